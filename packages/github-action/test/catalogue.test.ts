/**
 * Catalogue mode through the committed dist against the sandbox: CSV (quoted cells, nested columns), JSON and
 * NDJSON; reruns create nothing; a changed URL updates; per-row results and errors; fail-on-error; shards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/run-dist.ts';
import { type E2E, expectNoSecret, startE2E } from './support/env.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

const ok = (r: RunResult) => {
  expect(r.errors, r.stdout + r.stderr).toEqual([]);
  expect(r.code).toBe(0);
  expectNoSecret(r);
  return r;
};
const counts = (r: RunResult) =>
  ['created', 'updated', 'unchanged', 'failed'].map((k) => Number(r.outputs[`${k}-count`]));

async function projectCodes(): Promise<{ externalId: string | null; url: string }[]> {
  const out: { externalId: string | null; url: string }[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${e.sandbox.url}/qrcodes?page=${page}&pageSize=100&showArchived=true`, {
      headers: { authorization: 'Bearer codeqr_sandbox_action_secret_9f3k2' },
    });
    const batch = (await res.json()) as { externalId: string | null; url: string }[];
    out.push(...batch);
    if (batch.length < 100) return out;
  }
}

describe('catalogue mode', () => {
  it('CSV: upsert on every push creates once, then reports unchanged; a changed URL updates the same code', async () => {
    const first = ok(await e.run({ operation: 'list', limit: '1' }));
    const cwd = first.cwd;
    const csv = [
      'sku,url,title,tags,wifi.ssid',
      'sku-1,https://shop.example.com/1,"Mug, blue",,',
      'sku-2,https://shop.example.com/2,"Poster ""XL""",,',
      'sku-3,https://shop.example.com/3,Cap,,',
    ].join('\n');
    writeFileSync(join(cwd, 'catalogue.csv'), `${csv}\n`);
    const inputs = { operation: 'upsert-qr-code', file: 'catalogue.csv', 'results-file': 'results.csv' };
    const run1 = ok(await e.run(inputs, { cwd }));
    expect(counts(run1)).toEqual([3, 0, 0, 0]);
    expect(run1.outputs['results-file']).toBe(join(cwd, 'results.csv'));
    const results = readFileSync(join(cwd, 'results.csv'), 'utf8').trim().split('\n');
    expect(results[0]).toBe('row,externalId,status,id,shortLink,url,errorCode,errorField,errorMessage');
    expect(results.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '1,sku-1,created',
      '2,sku-2,created',
      '3,sku-3,created',
    ]);
    expect(run1.summary).toContain('**3 created**');
    expect(run1.summary).toContain('Mug, blue');

    const run2 = ok(await e.run(inputs, { cwd }));
    expect(counts(run2)).toEqual([0, 0, 3, 0]);

    writeFileSync(
      join(cwd, 'catalogue.csv'),
      `${csv.replace('https://shop.example.com/2', 'https://shop.example.com/2-new')}\n`,
    );
    const run3 = ok(await e.run(inputs, { cwd }));
    expect(counts(run3)).toEqual([0, 1, 2, 0]);
    const codes = (await projectCodes()).filter((c) => c.externalId?.startsWith('sku-'));
    expect(codes).toHaveLength(3);
    expect(codes.find((c) => c.externalId === 'sku-2')?.url).toBe('https://shop.example.com/2-new');
  });

  it('JSON and NDJSON, a named id column, step inputs as defaults for every row', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    writeFileSync(
      join(cwd, 'items.json'),
      JSON.stringify([
        { code: 'j-1', 'Destination URL': 'https://example.com/j1' },
        { code: 'j-2', 'Destination URL': 'https://example.com/j2', title: 'Own title' },
      ]),
    );
    const json = ok(
      await e.run(
        { operation: 'upsert', file: 'items.json', 'external-id-column': 'code', title: 'Default title' },
        { cwd },
      ),
    );
    expect(counts(json)).toEqual([2, 0, 0, 0]);
    const rows = JSON.parse(readFileSync(json.outputs['results-file'] as string, 'utf8')) as {
      row: number;
      title: string;
    }[];
    expect(rows.map((r) => [r.row, r.title])).toEqual([
      [1, 'Default title'],
      [2, 'Own title'],
    ]);
    writeFileSync(
      join(cwd, 'items.ndjson'),
      '{"externalId":"n-1","url":"https://example.com/n1"}\n\n{"externalId":"n-2","url":"https://example.com/n2"}\n',
    );
    expect(counts(ok(await e.run({ operation: 'bulk-create-qr-codes', file: 'items.ndjson' }, { cwd })))).toEqual([
      2, 0, 0, 0,
    ]);
  });

  it('per-row errors are reported with row numbers; the step only warns with fail-on-error: false', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    writeFileSync(
      join(cwd, 'bad.csv'),
      'externalId,url,size\nok-1,https://example.com/ok1,\nbad-1,not a url,\nbad-2,https://example.com/b2,99999\n,https://example.com/noid,\nok-1,https://example.com/dup,\n',
    );
    const run = ok(await e.run({ operation: 'upsert', file: 'bad.csv', 'fail-on-error': 'false' }, { cwd }));
    expect(counts(run)).toEqual([1, 0, 0, 4]);
    expect(run.stdout).toMatch(
      /::warning::4 of 5 rows failed \(first: row 2 \(url\): must be an absolute http\(s\) URL/,
    );
    const rows = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8')) as {
      row: number;
      status: string;
      error?: { field?: string; message: string };
    }[];
    expect(rows.map((r) => [r.row, r.status, r.error?.field])).toEqual([
      [1, 'created', undefined],
      [2, 'failed', 'url'],
      [3, 'failed', 'size'],
      [4, 'failed', 'externalId'],
      [5, 'failed', 'externalId'],
    ]);
    expect(rows[4]?.error?.message).toContain('of row 1');
    expect(run.summary.indexOf('❌ failed')).toBeLessThan(run.summary.indexOf('🆕 created'));

    const strict = await e.run({ operation: 'upsert', file: 'bad.csv', 'fail-on-error': 'true' }, { cwd });
    expect(strict.code).toBe(1);
    expect(strict.errors).toEqual([expect.stringMatching(/^4 of 5 rows failed/)]);
    expect(strict.summary).toContain('4 of 5 rows failed');
  });

  it('an unknown column fails naming it, unless ignored', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    writeFileSync(join(cwd, 'c.csv'), 'externalId,url,tittle,price\nu-1,https://example.com/u1,Hat,9\n');
    const r = await e.run({ operation: 'upsert', file: 'c.csv' }, { cwd });
    expect(r.code).toBe(1);
    expect(r.errors[0]).toContain('"tittle", "price"');
    const ignored = await e.run({ operation: 'upsert', file: 'c.csv', 'ignore-columns': 'tittle, price' }, { cwd });
    expect(counts(ok(ignored))).toEqual([1, 0, 0, 0]);
    expect((await e.run({ operation: 'create', file: 'c.csv' }, { cwd })).errors[0]).toMatch(
      /^Input "file" \(catalogue mode\) works with/,
    );
    expect((await e.run({ operation: 'upsert', file: 'c.csv', shard: '5/4' }, { cwd })).errors[0]).toMatch(
      /^Input "shard" must be i\/n/,
    );
  });

  it('shards: 4 jobs over one file create each row exactly once', async () => {
    const cwd = ok(await e.run({ operation: 'list', limit: '1' })).cwd;
    const lines = ['id,url', ...Array.from({ length: 40 }, (_, i) => `shard-${i},https://example.com/s${i}`)];
    writeFileSync(join(cwd, 's.csv'), `${lines.join('\n')}\n`);
    const runs = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        e.run({ operation: 'upsert', file: 's.csv', shard: `${i}/4`, 'results-file': `r${i}.json` }, { cwd }),
      ),
    );
    const created = runs.map((r) => counts(ok(r))[0] as number);
    expect(created.reduce((a, b) => a + b, 0)).toBe(40);
    expect(created.every((n) => n > 0 && n < 40)).toBe(true);
    const ids = runs.flatMap((r) =>
      (JSON.parse(readFileSync(r.outputs['results-file'] as string, 'utf8')) as { externalId: string }[]).map(
        (x) => x.externalId,
      ),
    );
    expect(new Set(ids).size).toBe(40);
    const codes = (await projectCodes()).filter((c) => c.externalId?.startsWith('shard-'));
    expect(codes).toHaveLength(40);
  });
});
