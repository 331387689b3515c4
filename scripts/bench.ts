/**
 * Every benchmark of the project in one run, and one table: figure, result, target and the anchor each is measured
 * against side by side (raw fetch, `node -e 0`, actions/github-script, per-item calls). Benchmarks print and never
 * assert; each prints its own detail and then one `BENCH {json}` line per figure (and `BENCH_SERIES {json}` for a
 * chart), which this runner collects.
 *
 *   npm run bench                  the full run: writes bench/results.md and bench/bulk-requests.svg
 *   BENCH_SHORT=1 npm run bench    the short run `.ci/run` makes: smaller sizes, results printed and written to
 *                                  a temporary folder (the committed results stay those of a full run)
 *   BENCH_PICK=core,action         only the benches named (see BENCHES below)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

interface Bench {
  name: string;
  /** The npm script, in a workspace or at the root. */
  args: string[];
  /** Environment for the full run and the short one. */
  env: Record<string, string>;
  short: Record<string, string>;
  /** Arguments for the short run, after `--`. */
  shortArgs?: string[];
}

const BENCHES: Bench[] = [
  {
    name: 'sandbox',
    args: ['run', 'bench', '-w', '@codeqr-integrations/sandbox'],
    env: {},
    short: { BENCH_SECONDS: '3' },
  },
  {
    name: 'core',
    args: ['run', 'bench', '-w', '@codeqr-integrations/core'],
    env: {},
    short: { BENCH_CALLS: '1500' },
  },
  {
    name: 'n8n',
    args: ['run', 'bench', '-w', '@codeqr-integrations/n8n-nodes-codeqr'],
    env: {},
    short: {},
  },
  {
    name: 'action',
    args: ['run', 'bench', '-w', 'codeqr-github-action'],
    env: {},
    short: { BENCH_RUNS: '15' },
  },
  {
    name: 'matrix',
    args: ['run', 'bench:matrix', '-w', 'codeqr-github-action'],
    env: {},
    short: { BENCH_ROWS: '4000', BENCH_WINDOW_MS: '2000' },
  },
  {
    name: 'zapier',
    args: ['run', 'bench:concurrent', '-w', 'codeqr-zapier'],
    env: {},
    short: { BENCH_RUNS: '20', BENCH_WINDOWS: '2000' },
  },
  {
    name: 'queue',
    args: ['run', 'bench:queue', '-w', '@codeqr-integrations/n8n-nodes-codeqr'],
    env: {},
    short: {},
    shortArgs: ['--codes', '1000', '--window-ms', '1000'],
  },
];

export interface Figure {
  figure: string;
  result: number;
  unit?: string;
  target?: string;
  anchor?: string;
  detail?: string;
  /** The bench that printed it (set here). */
  bench?: string;
}

export interface Series {
  name: string;
  points: [number, number][];
  bound?: [number, number][];
}

/** The figures and series a bench printed, from its `BENCH` and `BENCH_SERIES` lines. */
export function collect(output: string, bench: string): { figures: Figure[]; series: Series[] } {
  const figures: Figure[] = [];
  const series: Series[] = [];
  for (const line of output.split('\n')) {
    const match = /^(BENCH|BENCH_SERIES) (\{.*\})\s*$/.exec(line.trim());
    if (!match?.[2]) continue;
    const value = JSON.parse(match[2]) as Figure & Series;
    if (match[1] === 'BENCH') figures.push({ ...value, bench });
    else series.push(value);
  }
  return { figures, series };
}

function run(bench: Bench, short: boolean): Promise<{ output: string; code: number | null }> {
  return new Promise((done) => {
    const env = { ...process.env, ...bench.env, ...(short ? bench.short : {}) };
    const extra = short && bench.shortArgs ? ['--', ...bench.shortArgs] : [];
    const child = spawn('npm', [...bench.args, ...extra], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => done({ output, code }));
  });
}

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const formatResult = (f: Figure) =>
  `${Number.isInteger(f.result) ? f.result : f.result.toFixed(f.result < 10 ? 3 : 1)}${f.unit === '×' ? '×' : f.unit ? ` ${f.unit}` : ''}`;

export function table(figures: Figure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${cell(f.figure)} | ${formatResult(f)} | ${cell(f.target)} | ${cell(f.anchor)} | ${cell(f.detail)} | ${f.bench ?? ''} |`,
  );
  return [
    '| Figure | Result | Target | Anchor (side by side) | Detail | Bench |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** A line chart of cumulative requests over time against the rate-limit bound, as a standalone SVG. */
export function chart(series: Series): string {
  const [width, height, pad] = [720, 360, 48];
  const all = [...series.points, ...(series.bound ?? [])];
  const maxX = Math.max(1, ...all.map(([x]) => x));
  const maxY = Math.max(1, ...all.map(([, y]) => y));
  const x = (v: number) => (pad + (v / maxX) * (width - 2 * pad)).toFixed(1);
  const y = (v: number) => (height - pad - (v / maxY) * (height - 2 * pad)).toFixed(1);
  const path = (points: [number, number][]) => points.map(([a, b]) => `${x(a)},${y(b)}`).join(' ');
  const bound = series.bound
    ? `<polyline fill="none" stroke="#d33" stroke-dasharray="6 4" stroke-width="2" points="${path(series.bound)}"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<title>${series.name}: requests sent against the rate-limit bound</title>
<rect width="100%" height="100%" fill="#fff"/>
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#333"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#333"/>
<text x="${width / 2}" y="${height - 12}" text-anchor="middle">time (ms), 0 to ${Math.round(maxX)}</text>
<text x="14" y="${height / 2}" transform="rotate(-90 14 ${height / 2})" text-anchor="middle">requests, 0 to ${Math.round(maxY)}</text>
<text x="${pad}" y="20">${series.name}: requests sent (blue) against the rate-limit bound (red, dashed)</text>
${bound}
<polyline fill="none" stroke="#26c" stroke-width="2" points="${path(series.points)}"/>
</svg>
`;
}

async function main() {
  const short = process.env.BENCH_SHORT === '1';
  const only = process.env.BENCH_PICK?.split(',').map((s) => s.trim());
  const figures: Figure[] = [];
  const series: Series[] = [];
  const failed: string[] = [];
  for (const bench of BENCHES) {
    if (only && !only.includes(bench.name)) continue;
    console.log(`\n== bench: ${bench.name} (npm ${bench.args.join(' ')})`);
    const { output, code } = await run(bench, short);
    if (code !== 0) failed.push(`${bench.name} (exit ${code})`);
    const found = collect(output, bench.name);
    figures.push(...found.figures);
    series.push(...found.series);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${process.platform}`;
  const results = [
    '# Benchmark results',
    '',
    `Written by \`${short ? 'BENCH_SHORT=1 ' : ''}npm run bench\` on ${new Date().toISOString()}: ${machine}.`,
    'Each ratio is measured side by side with its anchor in the same run (this machine is shared and noisy).',
    '',
    table(figures),
    '',
    ...(series.length ? ['Requests over time in the bulk run: [bulk-requests.svg](bulk-requests.svg).', ''] : []),
    ...(failed.length ? [`Benches that did not finish: ${failed.join(', ')}.`, ''] : []),
  ].join('\n');
  const out = short ? mkdtempSync(join(tmpdir(), 'codeqr-bench-')) : join(ROOT, 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.md'), results);
  const bulk = series.find((s) => s.name === 'bulk-requests');
  if (bulk) writeFileSync(join(out, 'bulk-requests.svg'), chart(bulk));
  console.log(`\n${table(figures)}\n\nwritten to ${join(out, 'results.md')}`);
  if (failed.length) {
    console.error(`benches that did not finish: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (import.meta.main) await main();
