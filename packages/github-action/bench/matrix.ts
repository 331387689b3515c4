/**
 * The Action's matrix on one key (issue 18 §3): `shard: i/4` jobs of the committed dist/ run as 4 processes at once
 * (the way a `strategy.matrix` of 4 jobs runs), creating a catalogue of ROWS new QR codes on one Free-plan key (60
 * requests per window, the window scaled from 60 s to BENCH_WINDOW_MS). Prints each code created once (counted by
 * External ID in the sandbox), 429s surfaced to a job (a failed row or an error line mentioning one) vs absorbed,
 * and the key's window use: accepted requests per window ÷ the limit (target ≥ 0.9×). Asserts nothing. The window
 * is long enough (and the catalogue big enough, 300 bulk calls) that the key's limit, not this machine's CPU, is
 * what bounds the run: with 2 s windows the 4 jobs cannot send 60 bulk calls of 100 codes per window here.
 * Run: npm run bench:matrix -w codeqr-github-action   (BENCH_ROWS, default 30,000; BENCH_WINDOW_MS, default
 *      10,000; BENCH_SHARDS, default 4; CODEQR_ACTION_ENTRY to run another bundle)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '@codeqr-integrations/sandbox';
import { runAction } from '../scripts/run-dist.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 30_000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const SHARDS = Number(process.env.BENCH_SHARDS ?? 4);
const FREE_LIMIT = 60;
const KEY = 'codeqr_sandbox_matrix_free_key';

const seen: { at: number; status: number }[] = [];
const sb = await startSandbox({
  keys: [{ key: KEY, plan: 'free' }],
  windowMs: WINDOW_MS,
  quotas: false, // Free's 10 codes a month would stop the catalogue; its rate limit is what is measured
  linkPort: 0,
  onExchange: (x) => {
    if (!x.path.startsWith('/__sandbox')) seen.push({ at: Date.now(), status: x.status });
  },
});

/** Accepted (non-429) requests per epoch-aligned window over every window but the last (cut short), ÷ the limit. */
function windowUse() {
  const windows = seen.filter((s) => s.status !== 429).map((s) => Math.floor(s.at / WINDOW_MS));
  const first = Math.min(...windows);
  const last = Math.max(...windows);
  const full = last - first;
  if (full === 0) return { ratio: windows.length / FREE_LIMIT, full: 1, accepted: windows.length };
  return { ratio: windows.filter((w) => w < last).length / (FREE_LIMIT * full), full, accepted: windows.length };
}

const cwd = mkdtempSync(join(tmpdir(), 'codeqr-matrix-'));
const run = Date.now().toString(36);
const lines = ['sku,url,title'];
for (let i = 0; i < ROWS; i++) lines.push(`m-${run}-${i},https://shop.example.com/${run}/p/${i},Product ${i}`);
writeFileSync(join(cwd, 'catalogue.csv'), `${lines.join('\n')}\n`);

console.log(
  `The Action's matrix: ${SHARDS} shards of the committed dist, ${ROWS} new rows, one Free key (${FREE_LIMIT} per ${WINDOW_MS} ms)`,
);
// start at a window boundary (the sandbox's windows are aligned to the epoch)
await new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS) + 5));
const started = Date.now();
const jobs = await Promise.all(
  Array.from({ length: SHARDS }, (_, i) =>
    runAction({
      inputs: {
        'api-key': KEY,
        'api-base-url': sb.url,
        operation: 'bulk-create',
        file: 'catalogue.csv',
        'external-id-column': 'sku',
        shard: `${i + 1}/${SHARDS}`,
        'results-file': `results-${i + 1}.json`,
      },
      cwd,
    }),
  ),
);
const seconds = (Date.now() - started) / 1000;

const codes = sb.project(KEY).data.qrCodes.filter((q) => q.externalId?.startsWith(`m-${run}-`));
const perId = new Map<string, number>();
for (const q of codes) perId.set(q.externalId as string, (perId.get(q.externalId as string) ?? 0) + 1);
const duplicates = [...perId.values()].filter((n) => n > 1).length;
const missing = ROWS - perId.size;
const failedRows = jobs.map((j) => Number(j.outputs['failed-count'] ?? Number.NaN));
const surfaced = jobs.reduce(
  (a, j) =>
    a + j.errors.filter((e) => /429|rate.?limit|too many/i.test(e)).length + (/"status":\s*429/.test(j.log) ? 1 : 0),
  0,
);
const absorbed = seen.filter((s) => s.status === 429).length;
const use = windowUse();
console.log(
  `jobs exit ${jobs.map((j) => j.code).join('/')}, failed rows ${failedRows.join('+')}, ${seconds.toFixed(1)} s; ` +
    `codes ${perId.size}/${ROWS} (duplicates ${duplicates}, missing ${missing}); requests ${seen.length}, ` +
    `429s absorbed ${absorbed}, surfaced ${surfaced}; window use ${use.ratio.toFixed(3)}× over ${use.full} full windows`,
);
for (const job of jobs.filter((j) => j.code !== 0)) console.log(job.log.slice(-1500));
const setup = `${SHARDS} shards × ${ROWS / SHARDS} rows, bulk-create, Free ${FREE_LIMIT}/${WINDOW_MS} ms, ${seconds.toFixed(1)} s`;
const line = (figure: string, result: number, unit: string, target: string, anchor: string, detail: string) =>
  console.log(`BENCH ${JSON.stringify({ figure, result, unit, target, anchor, detail })}`);
line(
  'Action matrix: codes created exactly once',
  perId.size - duplicates,
  'count',
  `${ROWS}`,
  'catalogue rows (External IDs)',
  `${setup}; duplicates ${duplicates}, missing ${missing}`,
);
line(
  'Action matrix: 429s surfaced to a job',
  surfaced,
  'count',
  '0',
  '429 answers the sandbox gave',
  `${setup}; ${absorbed} 429 answers absorbed by retries; failed rows ${failedRows.join('+')}`,
);
line(
  'Action matrix: throughput vs the key limit',
  Number(use.ratio.toFixed(3)),
  '×',
  '≥ 0.9×',
  'the key limit: 60 accepted requests per window',
  `${setup}; ${use.accepted} accepted requests over ${use.full} full windows`,
);
await sb.close();
process.exit(0);
