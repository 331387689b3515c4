/**
 * The fault matrix through the Zapier app: Create or Update QR Codes and Bulk Create QR Codes
 * (250 line items with External IDs) and the single Create QR Code, through Zapier's own harness (`createAppTester`)
 * against the sandbox, with each fault (429 with and without Retry-After, 5xx, connection reset, slow answer,
 * truncated and dropped answers) armed on `GET /qrcodes*`, `POST /qrcodes/bulk`, `PUT /qrcodes/*` (and `POST /qrcodes`
 * for the single Create). A step that throws (ThrottledError or any error) is run again with the same input, as
 * Zapier's autoreplay / a user's Replay does; a step that succeeds with failed lines is replayed the same way.
 * Afterwards the sandbox holds exactly the expected codes, none duplicated, each with its line's URL.
 *
 * The timeout row is a slow answer (1.5 s) here: the app's attempt timeout is fixed at 20 s (ATTEMPT_TIMEOUT_MS in
 * src/transport.ts, inside Zapier's 30 s step), too long for this suite; the n8n and core suites cover a real timeout.
 * A truncated answer, though, is a timeout in Zapier: `z.request` (node-fetch 2.7, whose body stream does not fail
 * when the server closes mid-body: https://github.com/node-fetch/node-fetch/issues/1604) waits for the rest of the
 * body until the 20 s attempt timeout ("Response timeout while trying to fetch …"), so a step with two fails after
 * ~25 s (AppError "Could not reach CodeQR") and its replay settles it; the matrix keeps two such rows (a lookup, a
 * single create), not four, to stay near 90 s.
 */
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { FAULT_ROUTES, faultModes, firedOf } from '@codeqr-integrations/test/support/fault-matrix';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zapier from 'zapier-platform-core';
import app from '../src/index.ts';
import { BASE_URL_ENV } from '../src/transport.ts';

const KEY = 'zap_faults';
let sb: Sandbox;
const appTester = zapier.createAppTester(app);
type Item = Record<string, unknown>;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({ keys: [{ key: KEY, plan: 'business' }], quotas: false, seed: 15 });
  process.env[BASE_URL_ENV] = sb.url;
}, 60_000);
afterAll(async () => {
  delete process.env[BASE_URL_ENV];
  await sb?.close();
}, 120_000);

const control = (path: string, body?: unknown, method = 'POST') => sandboxControl(sb.url, KEY, path, body, method);
const codes = () => sb.project(KEY).data.qrCodes as { externalId: string | null; url: string }[];

function perform(key: string): unknown {
  const create = app.creates[key];
  if (!create) throw new Error(`no create ${key}`);
  return create.operation.perform;
}

/** One step, the way Zapier calls it. */
function step(key: string, inputData: Item): Promise<Item> {
  return appTester(
    perform(key) as never,
    {
      authData: { apiKey: KEY },
      inputData,
      meta: { isLoadingSample: false, isFillingDynamicDropdown: false, isPopulatingDedupe: false },
    } as never,
  ) as Promise<Item>;
}

const MODES = faultModes('slow answer');
const ROUTES = FAULT_ROUTES;
type Action = 'upsertQrCodes' | 'bulkCreateQrCodes' | 'createQrCode';

interface StepLog {
  thrown: string[];
  lineFailures: Item[];
  badLines: Item[];
  /** Single creates that answered a QR code with another External ID than the one they were given. */
  wrongAnswers: Item[];
  replays: number;
  /** Taken before the first replay clears the faults. */
  snapshot: () => Promise<void>;
}

/** Runs a step, replaying it (same input) while it throws or answers failed lines, at most 2 replays. */
async function runWithReplays(key: Action, input: Item, log: StepLog): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let failedLines: Item[] = [];
    try {
      const out = await step(key, input);
      if (Array.isArray(out.results)) {
        failedLines = (out.results as Item[]).filter((row) => row.status === 'failed');
        // a failed line says why (a code) and for which External ID, so the user can act on it
        for (const row of failedLines) {
          if (typeof row.errorCode !== 'string' || typeof row.externalId !== 'string') log.badLines.push(row);
        }
        log.lineFailures.push(...failedLines);
      } else if (out.externalId !== input.externalId) {
        log.wrongAnswers.push(out);
      }
      if (failedLines.length === 0) return;
    } catch (error) {
      const e = error as { name?: string; message?: string };
      log.thrown.push(`${e.name}: ${String(e.message).slice(0, 120)}`);
    }
    if (attempt === 2) return;
    // what timed out or was dropped lands first; Zapier's replay comes later, once the faults are gone
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    await log.snapshot();
    await control('/faults', undefined, 'DELETE');
    log.replays++;
  }
}

async function scenario(key: Action, faults: { route: string; rule: object; count: number }[]) {
  expect((await control('/reset')).ok).toBe(true);
  const existing = Array.from({ length: 120 }, (_, i) => ({ url: `https://example.com/f/${i}`, externalId: `f-${i}` }));
  let items: { url: string; externalId: string }[];
  if (key === 'upsertQrCodes') {
    const seeded = await step('bulkCreateQrCodes', { items: existing });
    expect(seeded).toMatchObject({ succeeded: 120 });
    items = [
      ...existing.map((item, i) => (i % 2 ? { ...item, url: `https://example.com/f2/${i}` } : item)),
      ...Array.from({ length: 130 }, (_, i) => ({ url: `https://example.com/new/${i}`, externalId: `new-${i}` })),
    ];
  } else {
    const n = key === 'createQrCode' ? 20 : 250;
    items = Array.from({ length: n }, (_, i) => ({ url: `https://example.com/c/${i}`, externalId: `c-${i}` }));
  }
  for (const f of faults)
    expect((await control('/faults', { route: f.route, ...f.rule, count: f.count })).status).toBe(201);
  let fired: number[] | undefined;
  const snapshot = async () => {
    fired ??= await firedOf(sb.url, KEY, faults);
  };
  const log: StepLog = { thrown: [], lineFailures: [], badLines: [], wrongAnswers: [], replays: 0, snapshot };
  if (key === 'createQrCode') {
    // one Zap run per item: each its own step, replayed on its own
    for (const item of items) await runWithReplays(key, item, log);
  } else {
    await runWithReplays(key, { items }, log);
  }
  await snapshot();
  await control('/faults', undefined, 'DELETE');
  const stored = codes();
  const want = new Map(items.map((item) => [item.externalId, item.url]));
  return { log, stored, want, n: items.length, fired: fired ?? [] };
}

function expectExactly({ log, stored, want, n }: Awaited<ReturnType<typeof scenario>>) {
  expect(log.badLines).toEqual([]);
  expect(log.wrongAnswers).toEqual([]);
  expect(stored).toHaveLength(n);
  expect(new Set(stored.map((qr) => qr.externalId)).size).toBe(n);
  expect(stored.filter((qr) => want.get(qr.externalId as string) !== qr.url)).toEqual([]);
}

const figures: string[] = [];
const describeRun = (label: string, r: Awaited<ReturnType<typeof scenario>>) =>
  `${label}: fired ${r.fired.join('/')}, ${r.log.thrown.length} thrown [${[...new Set(r.log.thrown)].join(' | ')}], ` +
  `${r.log.lineFailures.length} failed lines [${[...new Set(r.log.lineFailures.map((l) => l.errorCode))].join(', ')}], ` +
  `${r.log.replays} replays → ${r.stored.length}/${r.n} codes`;
afterAll(() => {
  const replayed = figures.filter((f) => !f.includes(' 0 replays')).length;
  console.log(
    `[figure] Zapier app: ${MODES.length} faults × ${ROUTES.length} routes (Create or Update, 250 lines) + ${MODES.length} × POST /qrcodes/bulk ` +
      `(Bulk Create, 250 lines) + ${MODES.length} × POST /qrcodes (Create, 20 steps), truncated answers on GET /qrcodes* and POST /qrcodes only: ${figures.length} cases, ${replayed} needed a replay\n  ${figures.join('\n  ')}`,
  );
});

describe('Zapier app: the fault matrix, replayed as Zapier replays', () => {
  const cases = [
    ...MODES.flatMap((m) => ROUTES.map((route) => ['upsertQrCodes', m.name, route, m.rule] as const)),
    ...MODES.map((m) => ['bulkCreateQrCodes', m.name, 'POST /qrcodes/bulk', m.rule] as const),
    ...MODES.map((m) => ['createQrCode', m.name, 'POST /qrcodes', m.rule] as const),
  ].filter(
    // a truncated answer costs a whole 20 s attempt timeout in Zapier (see the header): two such rows, not four
    ([key, name, route]) =>
      name !== 'truncated answer' || (key === 'upsertQrCodes' && route === 'GET /qrcodes*') || key === 'createQrCode',
  );
  it.each(cases)('%s: %s on %s', async (key, name, route, rule) => {
    const r = await scenario(key, [{ route, rule, count: 2 }]);
    figures.push(describeRun(`${key} ${name} on ${route}`, r));
    expectExactly(r);
    expect(r.fired[0], 'the armed fault fired').toBeGreaterThan(0);
  });

  it('random fault sequences (seeded): exactly the expected codes after replays', async () => {
    for (const seed of propertySeeds('zapier faults: random sequences', [15], 1)) {
      const random = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
      const key = pick(['upsertQrCodes', 'bulkCreateQrCodes', 'createQrCode'] as const);
      const routes = key === 'createQrCode' ? ['GET /qrcodes*', 'POST /qrcodes', 'PUT /qrcodes/*'] : ROUTES;
      const faults = routes
        .filter(() => random() < 0.7)
        .map((route) => ({ route, rule: pick(MODES).rule, count: 1 + Math.floor(random() * 2) }));
      const r = await scenario(key, faults);
      figures.push(
        describeRun(
          `seed ${seed} ${key} ${faults.map((f) => `${f.route} ${JSON.stringify(f.rule)}×${f.count}`).join(', ') || 'no fault'}`,
          r,
        ),
      );
      expectExactly(r);
    }
  });
});
