/**
 * The fault matrix through the n8n node: the CodeQR node's batched Create and Create or Update,
 * run through the fake n8n context the node tests use, 250 items with External IDs, continue-on-fail on, each fault
 * (429 with and without Retry-After, 5xx, connection reset, timeout, truncated and dropped answers) armed on the
 * sandbox on `GET /qrcodes*`, `POST /qrcodes/bulk` and `PUT /qrcodes/*`. Afterwards: every failed item carries
 * `details.code` and `details.externalId`, rerunning the failed items (as a user reruns them) leaves exactly 250
 * codes in the sandbox, none duplicated, each with its item's URL.
 *
 * The timeout row: the node passes core's `timeoutMs` to n8n's `httpRequest` as `timeout`; the fake context ignores
 * it, so this file's context caps it at 1 s and fails the call as n8n's HTTP helper (axios) does ("timeout of Nms
 * exceeded", code ECONNABORTED), against a 1.5 s sandbox delay.
 */
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { FAULT_ROUTES, faultModes, firedOf } from '@codeqr-integrations/test/support/fault-matrix';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeQr } from '../nodes/CodeQr/CodeQr.node.ts';
import { fakeContext } from '../test/fake-n8n.ts';

const KEY = 'codeqr_n8n_faults';
const HOST_TIMEOUT_MS = 1_000;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({ keys: [{ key: KEY, plan: 'business' }], quotas: false, seed: 15 });
}, 60_000);
afterAll(() => sb?.close(), 120_000);

const control = (path: string, body?: unknown, method = 'POST') => sandboxControl(sb.url, KEY, path, body, method);
const codes = () => sb.project(KEY).data.qrCodes;
const node = new CodeQr();

/** One node execution, as n8n runs it, with n8n's HTTP timeout honoured (capped, see the header). */
async function run(params: Record<string, unknown>[]): Promise<INodeExecutionData[]> {
  const fake = fakeContext({ params, credentials: { apiKey: KEY, baseUrl: sb.url }, continueOnFail: true });
  const helpers = fake.executeCtx.helpers as unknown as Record<string, (...args: never[]) => Promise<unknown>>;
  const inner = helpers.httpRequestWithAuthentication as (type: string, request: { timeout?: number }) => unknown;
  helpers.httpRequestWithAuthentication = (async (type: string, request: { timeout?: number }) => {
    const ms = Math.min(request.timeout ?? HOST_TIMEOUT_MS, HOST_TIMEOUT_MS);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`timeout of ${ms}ms exceeded`), { code: 'ECONNABORTED' })),
        ms,
      );
    });
    try {
      return await Promise.race([inner.call(helpers, type, request), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }) as never;
  const output = await node.execute.call(fake.executeCtx as unknown as IExecuteFunctions);
  return output[0] as INodeExecutionData[];
}

const MODES = faultModes('timeout');
const ROUTES = FAULT_ROUTES;
type Operation = 'create' | 'upsert';

interface Outcome {
  fired: number[];
  failedFirst: number;
  reruns: number;
  badFailures: unknown[];
  stored: { externalId: string | null; url: string }[];
  want: Map<string, string>;
}

async function scenario(operation: Operation, faults: { route: string; rule: object; count: number }[]) {
  expect((await control('/reset')).ok).toBe(true);
  // Create or Update: 120 already there (60 of them change), 130 new; Create: 250 new
  const existing = Array.from({ length: 120 }, (_, i) => ({ url: `https://example.com/f/${i}`, externalId: `f-${i}` }));
  if (operation === 'upsert') {
    const seeded = await run(existing.map((item) => ({ resource: 'qrCode', operation: 'create', ...item })));
    expect(seeded.filter((item) => item.json.error)).toEqual([]);
  }
  const items =
    operation === 'upsert'
      ? [
          ...existing.map((item, i) => (i % 2 ? { ...item, url: `https://example.com/f2/${i}` } : item)),
          ...Array.from({ length: 130 }, (_, i) => ({ url: `https://example.com/new/${i}`, externalId: `new-${i}` })),
        ]
      : Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/c/${i}`, externalId: `c-${i}` }));
  const params = items.map((item) => ({ resource: 'qrCode', operation, ...item }));
  for (const f of faults)
    expect((await control('/faults', { route: f.route, ...f.rule, count: f.count })).status).toBe(201);

  let pending: Record<string, unknown>[] = params;
  let output = await run(pending);
  const fired = await firedOf(sb.url, KEY, faults);
  const failedFirst = output.filter((item) => item.json.error).length;
  const badFailures: unknown[] = [];
  let reruns = 0;
  for (;;) {
    expect(output).toHaveLength(pending.length);
    const failed: Record<string, unknown>[] = [];
    output.forEach((item, i) => {
      const param = pending[i] as Record<string, unknown>;
      expect(item.pairedItem).toEqual({ item: i });
      if (!item.json.error) return;
      const details = item.json.details as { code?: unknown; externalId?: unknown } | undefined;
      // a failed item is on n8n's failure path and says what failed and for which External ID
      if (typeof details?.code !== 'string' || details.externalId !== param.externalId) badFailures.push(item.json);
      failed.push(param);
    });
    if (failed.length === 0 || reruns === 2) break;
    // requests that timed out client-side land late: let them, then drop the faults left unused, then rerun
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    await control('/faults', undefined, 'DELETE');
    reruns++;
    pending = failed;
    output = await run(pending);
  }
  const unsettled = output.filter((item) => item.json.error).map((item) => item.json);
  const want = new Map(items.map((item) => [item.externalId, item.url]));
  return {
    fired,
    failedFirst,
    reruns,
    badFailures,
    unsettled,
    stored: codes() as { externalId: string | null; url: string }[],
    want,
  } satisfies Outcome & { unsettled: unknown[] };
}

function expectExactly(outcome: Outcome & { unsettled: unknown[] }) {
  expect(outcome.badFailures).toEqual([]);
  expect(outcome.unsettled).toEqual([]);
  expect(outcome.stored).toHaveLength(250);
  expect(new Set(outcome.stored.map((qr) => qr.externalId)).size).toBe(250);
  expect(outcome.stored.filter((qr) => outcome.want.get(qr.externalId as string) !== qr.url)).toEqual([]);
}

const figures: string[] = [];
afterAll(() => {
  const reruns = figures.filter((f) => !f.endsWith('0 reruns')).length;
  console.log(
    `[figure] n8n node: ${MODES.length} faults × ${ROUTES.length} routes (Create or Update) + ${MODES.length} × POST /qrcodes/bulk (Create), 250 items each: ` +
      `${figures.length} cases, ${reruns} needed a rerun of the failed items\n  ${figures.join('\n  ')}`,
  );
});

describe('n8n node: the fault matrix, 250 items, continue-on-fail', () => {
  const cases = [
    ...MODES.flatMap((m) => ROUTES.map((route) => ['upsert', m.name, route, m.rule] as const)),
    ...MODES.map((m) => ['create', m.name, 'POST /qrcodes/bulk', m.rule] as const),
  ];
  it.each(cases)('%s: %s on %s', async (operation, name, route, rule) => {
    const outcome = await scenario(operation, [{ route, rule, count: 2 }]);
    figures.push(
      `${operation} ${name} on ${route}: fired ${outcome.fired[0]}×, ${outcome.failedFirst} failed first, ${outcome.stored.length} codes, ${outcome.reruns} reruns`,
    );
    expectExactly(outcome);
    expect(outcome.fired[0], 'the armed fault fired').toBeGreaterThan(0);
  });

  it('random fault sequences (seeded): exactly 250 codes after reruns', async () => {
    for (const seed of propertySeeds('n8n faults: random sequences', [15], 1)) {
      const random = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
      const faults = ROUTES.filter(() => random() < 0.7).map((route) => ({
        route,
        rule: pick(MODES).rule,
        count: 1 + Math.floor(random() * 2),
      }));
      const operation: Operation = random() < 0.5 ? 'create' : 'upsert';
      const outcome = await scenario(operation, faults);
      figures.push(
        `seed ${seed} ${operation}: ${faults.map((f) => `${f.route} ${JSON.stringify(f.rule)}×${f.count}`).join(', ') || 'no fault'} → ` +
          `fired ${outcome.fired.join('/')}, ${outcome.failedFirst} failed first, ${outcome.stored.length} codes, ${outcome.reruns} reruns`,
      );
      expectExactly(outcome);
    }
  });
});
