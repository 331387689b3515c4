/**
 * The fault matrix through the Action's committed dist: `node dist/index.js` run as a runner runs
 * it, in catalogue mode on a 250-row CSV (upsert-qr-code: 120 rows already there, 60 of them changed, 130 new; and
 * bulk-create-qr-codes: 250 new rows), with each fault (429 with and without Retry-After, 5xx, connection reset, slow
 * answer, truncated and dropped answers) armed on the sandbox on `GET /qrcodes*`, `POST /qrcodes/bulk` and
 * `PUT /qrcodes/*`. A run that exits non-zero is rerun, as a user reruns a failed job; a run that exits 0 must have
 * left no row failed (fail-on-error defaults to true). Afterwards the sandbox holds exactly 250 codes, none
 * duplicated, each with its row's URL; every failed row in the results file names its error code and External ID.
 *
 * The timeout row is a slow answer (1.5 s) here: the Action has no timeout input (core's 30 s default, 60 s for bulk),
 * too long for this suite; core's and the n8n node's fault suites cover a real client-side timeout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodeQrClient } from '@codeqr-integrations/core';
import { FAULT_ROUTES, faultModes, firedOf } from '@codeqr-integrations/test/support/fault-matrix';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../scripts/run-dist.ts';
import { API_KEY, type E2E, expectNoSecret, startE2E } from '../test/support/env.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E('business', { quotas: false, seed: 15 });
}, 60_000);
afterAll(() => e?.close(), 120_000);

const control = (path: string, body?: unknown, method = 'POST') =>
  sandboxControl(e.sandbox.url, API_KEY, path, body, method);
const codes = () => e.sandbox.project(API_KEY).data.qrCodes as { externalId: string | null; url: string }[];

const MODES = faultModes('slow answer');
const ROUTES = FAULT_ROUTES;
type Operation = 'upsert-qr-code' | 'bulk-create-qr-codes';

/** `row,externalId,status,id,shortLink,url,errorCode,…` of the results file, its failed rows. */
function failedRows(cwd: string): { externalId: string; errorCode: string }[] {
  const lines = readFileSync(join(cwd, 'results.csv'), 'utf8').trim().split('\n').slice(1);
  return lines
    .map((line) => line.split(','))
    .filter((cells) => cells[2] === 'failed')
    .map((cells) => ({ externalId: cells[1] ?? '', errorCode: cells[6] ?? '' }));
}

async function scenario(operation: Operation, faults: { route: string; rule: object; count: number }[]) {
  expect((await control('/reset')).ok).toBe(true);
  const existing = Array.from({ length: 120 }, (_, i) => ({ url: `https://example.com/f/${i}`, externalId: `f-${i}` }));
  // upsert-qr-code runs over a catalogue half of which exists already (every second row with a new URL)
  const upsert = operation === 'upsert-qr-code';
  const seeded = upsert
    ? await createCodeQrClient({ apiKey: API_KEY, baseUrl: e.sandbox.url }).qrcodes.upsertMany(existing)
    : [];
  expect(seeded.filter((r) => !r.ok)).toEqual([]);
  let rows: { url: string; externalId: string }[];
  if (upsert) {
    rows = [
      ...existing.map((row, i) => (i % 2 ? { ...row, url: `https://example.com/f2/${i}` } : row)),
      ...Array.from({ length: 130 }, (_, i) => ({ url: `https://example.com/new/${i}`, externalId: `new-${i}` })),
    ];
  } else {
    rows = Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/c/${i}`, externalId: `c-${i}` }));
  }

  const first = await e.run({ operation: 'list', limit: '1' }); // a workspace (and a read that is not under test)
  const cwd = first.cwd;
  writeFileSync(
    join(cwd, 'catalogue.csv'),
    `externalId,url\n${rows.map((r) => `${r.externalId},${r.url}`).join('\n')}\n`,
  );
  const inputs = { operation, file: 'catalogue.csv', 'results-file': 'results.csv' };
  for (const f of faults) await e.fault({ route: f.route, ...f.rule, count: f.count } as never);
  const runs: RunResult[] = [];
  const offPath: string[] = [];
  const badRows: unknown[] = [];
  let fired: number[] | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) {
      // what was dropped or slow lands first; the user's rerun comes later, once the faults are gone
      await new Promise((resolve) => setTimeout(resolve, 1_700));
      fired ??= await firedOf(e.sandbox.url, API_KEY, faults);
      await control('/faults', undefined, 'DELETE');
    }
    const run = await e.run(inputs, { cwd });
    runs.push(run);
    expectNoSecret(run);
    const failed = failedRows(cwd);
    for (const row of failed) if (!row.errorCode || !row.externalId) badRows.push(row);
    // a row that failed must fail the job (fail-on-error: true), never leave it green
    if (run.code === 0 && (failed.length > 0 || Number(run.outputs['failed-count'] ?? 0) > 0)) {
      offPath.push(`exit 0 with ${failed.length} failed rows: ${JSON.stringify(failed.slice(0, 3))}`);
    }
    if (run.code === 0) break;
  }
  fired ??= await firedOf(e.sandbox.url, API_KEY, faults);
  await control('/faults', undefined, 'DELETE');
  const want = new Map(rows.map((r) => [r.externalId, r.url]));
  return { runs, offPath, badRows, stored: codes(), want, fired };
}

function expectExactly(r: Awaited<ReturnType<typeof scenario>>) {
  expect(r.offPath).toEqual([]);
  expect(r.badRows).toEqual([]);
  const last = r.runs.at(-1) as RunResult;
  expect(last.code, last.stdout.slice(-2_000) + last.stderr).toBe(0);
  expect(r.stored).toHaveLength(250);
  expect(new Set(r.stored.map((qr) => qr.externalId)).size).toBe(250);
  expect(r.stored.filter((qr) => r.want.get(qr.externalId as string) !== qr.url)).toEqual([]);
}

const figures: string[] = [];
const describeRun = (label: string, r: Awaited<ReturnType<typeof scenario>>) =>
  `${label}: fired ${r.fired.join('/')}, exits [${r.runs.map((run) => run.code).join(', ')}], ${r.runs.length - 1} reruns → ${r.stored.length} codes` +
  (r.runs[0]?.code ? ` (first run: ${(r.runs[0].errors[0] ?? '').slice(0, 140)})` : '');
afterAll(() => {
  const reran = figures.filter((f) => !f.includes(' 0 reruns')).length;
  console.log(
    `[figure] Action dist: ${MODES.length} faults × ${ROUTES.length} routes (upsert-qr-code, 250-row CSV) + ${MODES.length} × POST /qrcodes/bulk ` +
      `(bulk-create-qr-codes, 250 rows): ${figures.length} cases, ${reran} needed a rerun\n  ${figures.join('\n  ')}`,
  );
});

describe('Action dist: the fault matrix, catalogue mode, 250 rows', () => {
  const cases = [
    ...MODES.flatMap((m) => ROUTES.map((route) => ['upsert-qr-code', m.name, route, m.rule] as const)),
    ...MODES.map((m) => ['bulk-create-qr-codes', m.name, 'POST /qrcodes/bulk', m.rule] as const),
  ];
  it.each(cases)('%s: %s on %s', async (operation, name, route, rule) => {
    const r = await scenario(operation, [{ route, rule, count: 2 }]);
    figures.push(describeRun(`${operation} ${name} on ${route}`, r));
    expectExactly(r);
    expect(r.fired[0], 'the armed fault fired').toBeGreaterThan(0);
  });

  it('random fault sequences (seeded): exactly 250 codes after reruns', async () => {
    for (const seed of propertySeeds('action faults: random sequences', [15], 1)) {
      const random = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
      const operation: Operation = random() < 0.5 ? 'upsert-qr-code' : 'bulk-create-qr-codes';
      const faults = ROUTES.filter(() => random() < 0.7).map((route) => ({
        route,
        rule: pick(MODES).rule,
        count: 1 + Math.floor(random() * 2),
      }));
      const r = await scenario(operation, faults);
      figures.push(
        describeRun(
          `seed ${seed} ${operation} ${faults.map((f) => `${f.route} ${JSON.stringify(f.rule)}×${f.count}`).join(', ') || 'no fault'}`,
          r,
        ),
      );
      expectExactly(r);
    }
  });
});
