/**
 * The Action's catalogue mode under contention on one key, run from its TypeScript source (not the
 * committed dist, which the release build refreshes) the way a runner runs it, as 4 processes at once: `shard: i/4`
 * jobs on one Free-plan key (its window scaled from 60 s to 2 s) changing every URL of a 1,000-row catalogue. Every
 * job is green only when nothing failed; a forced permanent failure fails its job by default (`fail-on-error` is
 * true), and only warns with `fail-on-error: false`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange, Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot, type RunResult, runAction } from '../scripts/run-dist.ts';

const KEY = 'codeqr_sandbox_shards_free_7h2k';
const exchanges: Exchange[] = [];
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({
    keys: [{ key: KEY, plan: 'free' }],
    windowMs: 2_000, // Free's 60 requests per window, the window scaled down from 60 s
    quotas: false, // Free's 10 codes a month would stop a 1,000-row catalogue; the rate limit is under test
    seed: 15,
    onExchange: (x) => exchanges.push(x),
  });
}, 60_000);
afterAll(() => sb?.close(), 120_000);

/** One job: the Action from src/ (Node strips the types; `source` resolves core to its TypeScript). */
const run = (inputs: Record<string, string>, cwd: string) =>
  runAction({
    inputs: { 'api-key': KEY, 'api-base-url': sb.url, ...inputs },
    cwd,
    entry: join(packageRoot, 'src', 'index.ts'),
    env: { NODE_OPTIONS: '--conditions=source' },
  });
const counts = (r: RunResult) =>
  ['created', 'updated', 'unchanged', 'failed'].map((k) => Number(r.outputs[`${k}-count`]));
const green = (r: RunResult) => {
  expect(r.errors, r.stdout.slice(-2000) + r.stderr.slice(-2000)).toEqual([]);
  expect(r.code).toBe(0);
  return r;
};

function catalogue(cwd: string, version: string, extra: string[] = []): void {
  const lines = ['sku,url,title'];
  for (let i = 0; i < 1000; i++)
    lines.push(`sku-${String(i).padStart(4, '0')},https://shop.example.com/${version}/p/${i},Product ${i}`);
  writeFileSync(join(cwd, 'products.csv'), `${[...lines, ...extra].join('\n')}\n`);
}

describe('4 shards of a 1,000-row catalogue on one Free key', () => {
  it('every URL changed: 0 rows failed, every job green, 1,000 codes all updated', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'codeqr-shards-'));
    catalogue(cwd, 'v1');
    expect(counts(green(await run({ operation: 'upsert', file: 'products.csv' }, cwd)))).toEqual([1000, 0, 0, 0]);

    catalogue(cwd, 'v2');
    exchanges.length = 0;
    const started = Date.now();
    const jobs = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        run({ operation: 'upsert', file: 'products.csv', shard: `${i}/4`, 'results-file': `r${i}.json` }, cwd),
      ),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const tallies = jobs.map(counts);
    const on429 = exchanges.filter((x) => x.status === 429).length;
    const reads = exchanges.filter((x) => x.method === 'GET').length;
    console.log(
      `[figure] 4 shards × 1,000 rows on one Free key (60 per 2 s), every URL changed: exit codes ${jobs.map((j) => j.code).join('/')}, ` +
        `failed ${tallies.map((t) => t[3]).join('+')}, updated ${tallies.map((t) => t[1]).join('+')}, ${on429} 429s absorbed, ` +
        `${reads} GETs, ${exchanges.length} requests, ${seconds} s`,
    );
    for (const job of jobs) green(job);
    expect(tallies.reduce((a, t) => a + (t[3] ?? 0), 0)).toBe(0);
    expect(tallies.reduce((a, t) => a + (t[1] ?? 0), 0)).toBe(1000);
    const stored = sb.project(KEY).data.qrCodes;
    expect(stored).toHaveLength(1000);
    expect(stored.filter((qr) => !qr.url?.includes('/v2/'))).toEqual([]);
  });

  it('a forced permanent failure fails its job by default, and only warns with fail-on-error: false', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'codeqr-shards-'));
    // one row no retry can fix: its URL is not a URL
    catalogue(cwd, 'v3', ['sku-bad,not a url,Broken']);
    const jobs = await Promise.all(
      [1, 2, 3, 4].map((i) => run({ operation: 'upsert', file: 'products.csv', shard: `${i}/4` }, cwd)),
    );
    const failing = jobs.filter((j) => counts(j)[3] !== 0);
    console.log(
      `[figure] forced failure: exit codes ${jobs.map((j) => j.code).join('/')}, failed ${jobs.map((j) => counts(j)[3]).join('+')}`,
    );
    expect(failing).toHaveLength(1);
    expect(failing[0]?.code).not.toBe(0);
    expect(failing[0]?.errors).toEqual([expect.stringMatching(/^1 of \d+ rows failed/)]);
    for (const job of jobs.filter((j) => counts(j)[3] === 0)) green(job);
    expect(jobs.reduce((a, j) => a + (counts(j)[1] ?? 0), 0)).toBe(1000);

    const lenient = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        run({ operation: 'upsert', file: 'products.csv', shard: `${i}/4`, 'fail-on-error': 'false' }, cwd),
      ),
    );
    expect(lenient.map((j) => j.code)).toEqual([0, 0, 0, 0]);
    expect(lenient.reduce((a, j) => a + (counts(j)[3] ?? 0), 0)).toBe(1);
    expect(lenient.some((j) => /::warning::1 of \d+ rows failed/.test(j.stdout))).toBe(true);
  });
});
