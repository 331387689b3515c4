/**
 * Cold start of the committed bundle, printed, never asserted: `node dist/index.js` from spawn until its first
 * request reaches a local server, side by side with `node -e 0` (spawn to exit) in the same run, interleaved so the
 * machine's noise hits both alike; plus the dist size (all of it, and what a get-qr-code step loads), and the
 * first-call cost of the n8n node and the Zapier app (`host-first-call.ts`).  Run: `npm run bench -w
 * codeqr-github-action`; the last lines are one `BENCH {json}` per figure, for machines.
 * `BENCH_BASELINE=/path/to/an/older/index.js` also times that bundle in the same interleaved runs (before / after).
 * `BENCH_ANCHOR_GITHUB_SCRIPT=/tmp/github-script.js` (actions/github-script's bundled `dist/index.js`, not committed
 * here) times that action too, as an anchor: a JavaScript action everyone runs, started the same way.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distFiles } from '../scripts/build.ts';
import { hostScripts, timeHost } from './host-first-call.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'index.js');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const baseline = process.env.BENCH_BASELINE;
const githubScript = process.env.BENCH_ANCHOR_GITHUB_SCRIPT;
const node = process.execPath;

let onRequest: (() => void) | undefined;
const server = createServer((_req, res) => {
  onRequest?.();
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const env = {
  PATH: process.env.PATH ?? '',
  INPUT_OPERATION: 'get-qr-code',
  'INPUT_QR-CODE-ID': 'qr_bench',
  'INPUT_API-KEY': 'codeqr_bench_key',
  'INPUT_API-BASE-URL': url,
  INPUT_SUMMARY: 'false',
};

function timeAction(file = dist, childEnv: Record<string, string> = env): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, [file], { env: childEnv, stdio: 'ignore' });
    onRequest = () => {
      onRequest = undefined;
      done(Number(process.hrtime.bigint() - start) / 1e6);
    };
    child.on('error', fail);
    child.on('exit', () => {
      if (onRequest) fail(new Error(`${file} exited without sending a request`));
    });
  });
}

function timeBare(): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, ['-e', '0'], { env: { PATH: env.PATH }, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', () => done(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

// actions/github-script, started as a runner starts it, its script sending one request to the same server
const githubScriptEnv = {
  PATH: env.PATH,
  INPUT_SCRIPT: `await fetch(${JSON.stringify(`${url}/github-script`)})`,
  'INPUT_GITHUB-TOKEN': 'ghs_bench',
  INPUT_DEBUG: 'false',
  'INPUT_USER-AGENT': 'actions/github-script',
  'INPUT_RESULT-ENCODING': 'json',
  INPUT_RETRIES: '0',
  'INPUT_RETRY-EXEMPT-STATUS-CODES': '400,401,403,404,422',
  'INPUT_BASE-URL': '',
  INPUT_PREVIEWS: '',
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_API_URL: url,
};
const anchor = githubScript && existsSync(githubScript) ? githubScript : undefined;

// where the time goes: core's registry alone (every operation's zod schemas), bundled the way dist bundles it
const scratch = mkdtempSync(join(tmpdir(), 'codeqr-bench-'));
const { build } = await import('esbuild');
writeFileSync(
  join(scratch, 'core.ts'),
  "import { actions } from '@codeqr-integrations/core/base';\nif (!actions.length) process.exit(1);\n",
);
await build({
  entryPoints: [join(scratch, 'core.ts')],
  absWorkingDir: root,
  nodePaths: [join(root, 'node_modules'), join(root, '..', '..', 'node_modules')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  conditions: ['source'],
  outfile: join(scratch, 'core.mjs'),
  logLevel: 'error',
});

function timeCore(): Promise<number> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, [join(scratch, 'core.mjs')], { env: { PATH: env.PATH }, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', () => done(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

const { hosts, missing } = hostScripts(join(root, '..', '..'), scratch);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const action: number[] = [];
const bare: number[] = [];
const coreOnly: number[] = [];
const before: number[] = [];
const anchored: number[] = [];
const hostTimes = new Map<string, number[]>(hosts.map((h) => [h.name, []]));
for (let i = 0; i < 3 + runs; i++) {
  const warm = i < 3;
  const record = (xs: number[], x: number) => {
    if (!warm) xs.push(x);
  };
  record(bare, await timeBare());
  record(action, await timeAction());
  record(coreOnly, await timeCore());
  if (baseline) record(before, await timeAction(baseline));
  if (anchor) record(anchored, await timeAction(anchor, githubScriptEnv));
  for (const host of hosts) record(hostTimes.get(host.name) as number[], await timeHost(host, node, env.PATH));
}
server.close();
server.closeAllConnections();
rmSync(scratch, { recursive: true, force: true });

const distDir = dirname(dist);
const size = distFiles(distDir).reduce((sum, name) => sum + statSync(join(distDir, name)).size, 0);
const bareMs = median(bare);
const ratio = (xs: number[]) => median(xs) / bareMs;
const bench: { figure: string; result: number; unit: string; target: string; anchor: string; detail: string }[] = [];
const figure = (name: string, result: number, unit: string, target: string, detail: string, anchorName = 'node -e 0') =>
  bench.push({
    figure: name,
    result: Number(result.toFixed(unit === 'KB' ? 1 : 2)),
    unit,
    target,
    anchor: anchorName,
    detail,
  });

console.log(`node ${process.version}, ${runs} interleaved runs each (medians)`);
console.log(`node -e 0 (spawn to exit):                     ${bareMs.toFixed(1)} ms`);
console.log(`node dist/index.js (spawn to first request):   ${median(action).toFixed(1)} ms`);
console.log(`ratio:                                         ${ratio(action).toFixed(2)}x  (target <= 1.5x)`);
figure(
  'github-action cold start (get-qr-code)',
  ratio(action),
  '×',
  '≤ 1.5×',
  `node dist/index.js spawn to first request ${median(action).toFixed(1)} ms vs node -e 0 ${bareMs.toFixed(1)} ms, median of ${runs} interleaved runs, ${process.version}`,
);
console.log(
  `of which node + core's registry import alone:  ${median(coreOnly).toFixed(1)} ms  (${ratio(coreOnly).toFixed(2)}x node -e 0)`,
);
figure(
  "core's registry import alone (every operation)",
  ratio(coreOnly),
  '×',
  '≤ 1.5×',
  `node on a bundle of core/base's actions list, spawn to exit ${median(coreOnly).toFixed(1)} ms`,
);
console.log(`dist/ (index.js and chunks):                   ${(size / 1024).toFixed(1)} KB  (target <= 500 KB)`);
figure(
  'github-action dist size (index.js and chunks)',
  size / 1024,
  'KB',
  '≤ 500 KB',
  `${distFiles(distDir).length} files`,
  'none',
);
if (anchor) {
  console.log(
    `actions/github-script (anchor, spawn to first request): ${median(anchored).toFixed(1)} ms  (${ratio(anchored).toFixed(2)}x node -e 0)`,
  );
  figure(
    'actions/github-script cold start (anchor)',
    ratio(anchored),
    '×',
    'none (anchor)',
    `${anchor}: spawn to its script's first request ${median(anchored).toFixed(1)} ms, same runs`,
  );
} else {
  console.log(
    'actions/github-script anchor skipped: set BENCH_ANCHOR_GITHUB_SCRIPT to its bundled dist/index.js ' +
      '(git -C <clone of actions/github-script> show HEAD:dist/index.js > /tmp/github-script.js)',
  );
}
for (const host of hosts) {
  const ms = median(hostTimes.get(host.name) as number[]);
  const hostRatio = (bareMs + ms) / bareMs;
  console.log(
    `${host.name} first call (import of the built bundle to the first request): ${ms.toFixed(1)} ms  ((node -e 0 + it) = ${hostRatio.toFixed(2)}x node -e 0)`,
  );
  figure(
    `${host.name} first call (get QR code)`,
    hostRatio,
    '×',
    '≤ 1.5×',
    `import of ${host.bundle.replace(/^.*packages\//, 'packages/')} to its first request ${ms.toFixed(1)} ms in a Node with the host library loaded; result = (node -e 0 + that) / node -e 0`,
  );
}
for (const note of missing) console.log(`skipped ${note}`);
if (baseline) {
  console.log(
    `baseline ${baseline}: ${median(before).toFixed(1)} ms  (${ratio(before).toFixed(2)}x node -e 0, ${(statSync(baseline).size / 1024).toFixed(1)} KB)`,
  );
  figure('github-action cold start, baseline bundle', ratio(before), '×', '≤ 1.5×', `${baseline}, same runs`);
}
for (const line of bench) console.log(`BENCH ${JSON.stringify(line)}`);
