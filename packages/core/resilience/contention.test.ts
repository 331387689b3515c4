/**
 * Nothing lost under contention on one key, through core against the spec-checked sandbox:
 * - 4 concurrent clients (separate instances, as 4 processes would be: nothing shared but the key) on one Free-plan
 *   key, its window scaled down to 60 requests per 2 s, each upserting a 250-row shard of a 1,000-row catalogue with
 *   every URL changed: 0 rows failed, the 429s absorbed are counted, and the sandbox holds 1,000 codes, all updated;
 * - concurrent `upsertMany` runs of the same items: no duplicate, each item created by exactly one run;
 * - the fault matrix (429 with and without Retry-After, 5xx, connection reset, timeout, truncated and dropped answers)
 *   on the lookup, bulk-create and update routes: the codes in the sandbox afterwards are exactly the items (no loss,
 *   no duplicate), after at most one rerun for items whose outcome was honestly unknown.
 * Randomness (the clients' jitter, the faults drawn) comes from `propertySeeds`, printed; `PROPERTY_SEED` replays one.
 */
import { type CodeQrClient, createCodeQrClient, type UpsertManyResult } from '@codeqr-integrations/core';
import type { Exchange, Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { FAULT_ROUTES, faultModes } from '@codeqr-integrations/test/support/fault-matrix';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { freshRuns, prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FREE = 'codeqr_contention_free';
const BUSINESS = 'codeqr_contention_business';
const exchanges: Exchange[] = [];
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({
    keys: [
      { key: FREE, plan: 'free' },
      { key: BUSINESS, plan: 'business' },
    ],
    // the Free plan's 60 requests per window, with the window scaled from 60 s down to 2 s
    windowMs: 2_000,
    // Free's 10-codes-a-month quota would stop a 1,000-row catalogue; the rate limit is what is under test
    quotas: false,
    seed: 15,
    onExchange: (x) => exchanges.push(x),
  });
}, 60_000);
afterAll(() => sb?.close(), 120_000);

const control = (key: string, path: string, body?: unknown) => sandboxControl(sb.url, key, path, body, 'POST');
const codes = (key: string) => sb.project(key).data.qrCodes;
const outcome = (r: UpsertManyResult | undefined) =>
  r ? (r.ok ? r.action : `${r.error.code}: ${r.error.message}`) : 'none';

describe('4 shards on one Free key, every URL changed', () => {
  it('0 rows failed, the 429s are waited out, 1,000 codes afterwards, all updated', async () => {
    const [seed] = propertySeeds('contention: 4 clients on one Free key', [], 1);
    const random = prng(seed ?? 1);
    await control(FREE, '/reset');
    const catalogue = Array.from({ length: 1000 }, (_, i) => ({
      url: `https://shop.example.com/p/${i}`,
      externalId: `sku-${String(i).padStart(4, '0')}`,
      title: `Product ${i}`,
    }));
    const seedClient = createCodeQrClient({ apiKey: FREE, baseUrl: sb.url });
    const seeded = await seedClient.qrcodes.upsertMany(catalogue);
    expect(seeded.filter((r) => !r.ok).map(outcome)).toEqual([]);
    expect(codes(FREE)).toHaveLength(1000);

    // every URL changes; shard i of 4 takes every fourth row, as the Action's shards split by External ID
    const changed = catalogue.map((item, i) => ({ ...item, url: `https://shop.example.com/v2/p/${i}` }));
    const shards = [0, 1, 2, 3].map((s) => changed.filter((_, i) => i % 4 === s));
    exchanges.length = 0;
    const absorbed: number[] = [];
    const started = Date.now();
    const runs = await Promise.all(
      shards.map((shard) => {
        // a client per shard, as a process per job would have: its own pacer, clock reading and jitter
        const client: CodeQrClient = createCodeQrClient({
          apiKey: FREE,
          baseUrl: sb.url,
          random,
          onRateLimit: (e) => e.reason === '429' && absorbed.push(e.waitMs),
        });
        return client.qrcodes.upsertMany(shard);
      }),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const results = runs.flat();
    const failed = results.filter((r) => !r.ok);
    const on429 = exchanges.filter((x) => x.status === 429).length;
    const tally: Record<string, number> = {};
    for (const r of results) tally[r.ok ? r.action : 'failed'] = (tally[r.ok ? r.action : 'failed'] ?? 0) + 1;
    console.log(
      `[figure] 4 shards × 250 rows on one Free key (60 per 2 s), every URL changed: ${failed.length} failed, ` +
        `${on429} 429s on the wire (${absorbed.length} waited out), ${exchanges.length} requests, ${seconds} s; ` +
        `${JSON.stringify(tally)}; codes afterwards ${codes(FREE).length}`,
    );
    expect(failed.map(outcome)).toEqual([]);
    expect(results).toHaveLength(1000);
    expect(tally).toEqual({ updated: 1000 });
    const stored = codes(FREE);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored.map((qr) => qr.externalId)).size).toBe(1000);
    const expected = new Map(changed.map((item) => [item.externalId, item.url]));
    expect(stored.filter((qr) => expected.get(qr.externalId as string) !== qr.url)).toEqual([]);
  });
});

describe('concurrent upsertMany of the same items', () => {
  it('3 runs of the same 300 items at once: 300 codes, each item created by exactly one run', async () => {
    for (const seed of propertySeeds('contention: concurrent upsertMany', [1], Math.min(freshRuns(), 3))) {
      const random = prng(seed);
      await control(BUSINESS, '/reset');
      sb.behaviour.bulkAnswers = random() < 0.5 ? 'docs' : 'dub';
      const items = Array.from({ length: 300 }, (_, i) => ({
        url: `https://example.com/same/${i}`,
        externalId: `same-${i}`,
      }));
      const runs = await Promise.all(
        [0, 1, 2].map(() =>
          createCodeQrClient({ apiKey: BUSINESS, baseUrl: sb.url, random }).qrcodes.upsertMany(items),
        ),
      );
      const created = items.map((_, i) => runs.filter((run) => run[i]?.ok && run[i]?.action === 'created').length);
      const others = runs.flat().filter((r) => !(r.ok && (r.action === 'created' || r.action === 'unchanged')));
      console.log(
        `[figure] seed ${seed} (${sb.behaviour.bulkAnswers}): 3 × 300 concurrent → created ${created.reduce((a, b) => a + b, 0)}, codes ${codes(BUSINESS).length}`,
      );
      expect(others.map(outcome)).toEqual([]);
      expect(created.filter((n) => n !== 1)).toEqual([]);
      expect(codes(BUSINESS)).toHaveLength(300);
    }
    sb.behaviour.bulkAnswers = 'docs';
  });
});

describe('the fault matrix through core: no loss, no duplicate', () => {
  const MODES = faultModes('timeout');
  const ROUTES = FAULT_ROUTES;

  /** A client whose waits are skipped (its clock jumps instead), with a 1 s timeout so a 1.5 s delay times out. */
  const skipping = (random: () => number) => {
    let skew = 0;
    return createCodeQrClient({
      apiKey: BUSINESS,
      baseUrl: sb.url,
      timeoutMs: 1_000,
      random,
      now: () => Date.now() + skew,
      sleep: async (ms) => {
        skew += ms;
      },
    });
  };

  async function scenario(random: () => number, faults: { route: string; rule: object; count: number }[]) {
    await control(BUSINESS, '/reset');
    const existing = Array.from({ length: 120 }, (_, i) => ({
      url: `https://example.com/f/${i}`,
      externalId: `f-${i}`,
    }));
    await createCodeQrClient({ apiKey: BUSINESS, baseUrl: sb.url }).qrcodes.upsertMany(existing);
    // 60 of them change, 60 stay, 130 are new (two bulk chunks)
    const items = [
      ...existing.map((item, i) => (i % 2 ? { ...item, url: `https://example.com/f2/${i}` } : item)),
      ...Array.from({ length: 130 }, (_, i) => ({ url: `https://example.com/new/${i}`, externalId: `new-${i}` })),
    ];
    for (const f of faults) await control(BUSINESS, '/faults', { route: f.route, ...f.rule, count: f.count });
    const first = await skipping(random).qrcodes.upsertMany(items);
    // requests that timed out client-side land late: let them, before counting
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    await sandboxControl(sb.url, BUSINESS, '/faults', undefined, 'DELETE'); // what was left unused
    const unsettled = first.filter((r) => !r.ok);
    // an item may honestly end outcome_unknown (never silently lost): the rerun, which is always safe, settles it
    const rerun = unsettled.length ? await skipping(random).qrcodes.upsertMany(items) : first;
    const stored = codes(BUSINESS);
    return { items, first, unsettled, rerun, stored };
  }

  it.each(MODES.flatMap((m) => ROUTES.map((route) => [m.name, route, m.rule] as const)))(
    '%s on %s',
    async (_name, route, rule) => {
      const { items, first, unsettled, rerun, stored } = await scenario(prng(15), [{ route, rule, count: 2 }]);
      expect(unsettled.filter((r) => !r.ok && r.error.code !== 'outcome_unknown').map(outcome)).toEqual([]);
      expect(rerun.filter((r) => !r.ok).map(outcome)).toEqual([]);
      expect(first).toHaveLength(items.length);
      expect(stored).toHaveLength(items.length);
      const want = new Map(items.map((item) => [item.externalId, item.url]));
      expect(stored.filter((qr) => want.get(qr.externalId as string) !== qr.url).map((qr) => qr.externalId)).toEqual(
        [],
      );
    },
  );

  it('random fault sequences (seeded): the codes afterwards are exactly the items', async () => {
    const figures: string[] = [];
    for (const seed of propertySeeds('contention: fault matrix', [15], freshRuns())) {
      const random = prng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
      // one rule per route at most, so non-429 failures stay within the retry limit of one request
      const faults = ROUTES.filter(() => random() < 0.7).map((route) => ({
        route,
        rule: pick(MODES).rule,
        count: 1 + Math.floor(random() * 2),
      }));
      const { items, unsettled, rerun, stored } = await scenario(random, faults);
      figures.push(
        `seed ${seed}: ${faults.map((f) => `${f.route} ${JSON.stringify(f.rule)}×${f.count}`).join(', ') || 'no fault'} → ` +
          `${unsettled.length} unknown then settled, ${stored.length} codes`,
      );
      expect(unsettled.filter((r) => !r.ok && r.error.code !== 'outcome_unknown').map(outcome), `seed ${seed}`).toEqual(
        [],
      );
      expect(rerun.filter((r) => !r.ok).map(outcome), `seed ${seed}`).toEqual([]);
      expect(stored, `seed ${seed}`).toHaveLength(items.length);
      const want = new Map(items.map((item) => [item.externalId, item.url]));
      expect(stored.filter((qr) => want.get(qr.externalId as string) !== qr.url).length, `seed ${seed}`).toBe(0);
    }
    console.log(`[figure] fault matrix:\n  ${figures.join('\n  ')}`);
  });
});
