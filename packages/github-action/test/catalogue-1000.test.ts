/**
 * Scale, through the committed dist against the spec-checked sandbox: a 1,000-row catalogue run twice creates 1,000
 * QR codes once (the rerun reports 1,000 unchanged); a 4-way sharded run (4 processes at once, one API key) creates
 * each row exactly once, also through 429s and a bulk answer lost on the way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/run-dist.ts';
import { type E2E, expectNoSecret, startE2E } from './support/env.ts';

let e: E2E;
beforeEach(async () => {
  e = await startE2E();
});
afterEach(async () => {
  await e?.close();
});

const ok = (r: RunResult) => {
  expect(r.errors, r.stdout.slice(-2000) + r.stderr).toEqual([]);
  expect(r.code).toBe(0);
  expectNoSecret(r);
  return r;
};
const counts = (r: RunResult) =>
  ['created', 'updated', 'unchanged', 'failed'].map((k) => Number(r.outputs[`${k}-count`]));

function catalogue(cwd: string, rows: number): string {
  const lines = ['sku,url,title,tags'];
  for (let i = 0; i < rows; i++)
    lines.push(`sku-${String(i).padStart(4, '0')},https://shop.example.com/p/${i},"Product ${i}, size M",`);
  const file = join(cwd, 'products.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const projectCount = () => e.sandbox.project('codeqr_sandbox_action_secret_9f3k2').data.qrCodes.length;

describe('1,000-row catalogue', () => {
  it('run twice: 1,000 created, then 1,000 unchanged, nothing created twice', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    catalogue(cwd, 1000);
    const inputs = { operation: 'upsert-qr-code', file: 'products.csv', 'results-file': 'results.json' };
    const first = ok(await e.run(inputs, { cwd }));
    expect(counts(first)).toEqual([1000, 0, 0, 0]);
    expect(projectCount()).toBe(1000);
    const second = ok(await e.run(inputs, { cwd }));
    expect(counts(second)).toEqual([0, 0, 1000, 0]);
    expect(projectCount()).toBe(1000);
    const results = JSON.parse(readFileSync(join(cwd, 'results.json'), 'utf8')) as { row: number; status: string }[];
    expect(results.map((r) => r.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(second.summary.length).toBeLessThan(1024 * 1024);
    expect(second.summary).toContain('…and 800 more');
  });

  it('4 shards at once: each of 1,000 rows created exactly once', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    catalogue(cwd, 1000);
    const runs = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        e.run({ operation: 'upsert', file: 'products.csv', shard: `${i}/4`, 'results-file': `r${i}.json` }, { cwd }),
      ),
    );
    const created = runs.map((r) => counts(ok(r))[0] as number);
    expect(created.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.min(...created)).toBeGreaterThan(150);
    const ids = runs.flatMap((r) =>
      (JSON.parse(readFileSync(r.outputs['results-file'] as string, 'utf8')) as { externalId: string }[]).map(
        (x) => x.externalId,
      ),
    );
    expect(new Set(ids).size).toBe(1000);
    expect(projectCount()).toBe(1000);
  });

  it('4 shards through 429s and a dropped bulk answer: they wait, reconcile, and still create each row once', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    catalogue(cwd, 400);
    await e.fault({ route: 'POST /qrcodes/bulk', mode: 'status', status: 429, retryAfter: 1, count: 2 });
    await e.fault({ route: 'POST /qrcodes/bulk', mode: 'drop', count: 1 });
    const runs = await Promise.all(
      [1, 2, 3, 4].map((i) => e.run({ operation: 'upsert', file: 'products.csv', shard: `${i}/4` }, { cwd })),
    );
    expect(runs.map((r) => counts(ok(r))[0] as number).reduce((a, b) => a + b, 0)).toBe(400);
    expect(runs.some((r) => /Waiting [\d.]+ s for CodeQR's rate limit after a 429/.test(r.stdout))).toBe(true);
    expect(projectCount()).toBe(400);
    const again = await Promise.all(
      [1, 2, 3, 4].map((i) => e.run({ operation: 'upsert', file: 'products.csv', shard: `${i}/4` }, { cwd })),
    );
    expect(again.map((r) => counts(ok(r))[2] as number).reduce((a, b) => a + b, 0)).toBe(400);
    expect(projectCount()).toBe(400);
  });

  it('with Dub-style bulk answers (created first, errors last, duplicates skipped), rows still map to their results', async () => {
    await e.close();
    e = await startE2E('business', { bulkAnswers: 'dub' });
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    catalogue(cwd, 300);
    const first = ok(await e.run({ operation: 'upsert', file: 'products.csv', 'results-file': 'r.json' }, { cwd }));
    expect(counts(first)).toEqual([300, 0, 0, 0]);
    const rows = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8')) as { row: number; externalId: string }[];
    expect(rows.every((r) => r.externalId === `sku-${String(r.row - 1).padStart(4, '0')}`)).toBe(true);
    expect(counts(ok(await e.run({ operation: 'upsert', file: 'products.csv' }, { cwd })))).toEqual([0, 0, 300, 0]);
    expect(projectCount()).toBe(300);
  });
});
