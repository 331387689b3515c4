/**
 * The fast part of `resilience/triggers.model.test.ts`: every core trigger against the sandbox under pinned
 * random histories (fresh ones with PROPERTY_RUNS; each seed printed; `PROPERTY_SEED=n` replays one). See `resilience/trigger-model.ts`.
 */
import { createCodeQrClient, pollNewQrCodes, pollNewScans } from '@codeqr-integrations/core';
import { type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { freshRuns, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTriggerModel, startModelSandbox } from '../resilience/trigger-model.ts';
import { getOperation } from '../src/operations/index.ts';

const key = 'model_fast_business';
const clock = { now: Date.UTC(2026, 2, 1, 12, 0, 0) };
let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keys: [{ key, plan: 'business' }], seed: 15, quotas: false, now: () => clock.now });
  const hit = sb.limiter.hit.bind(sb.limiter); // the rate-limit window runs on the frozen clock: kept open
  sb.limiter.hit = (...args) => {
    sb.limiter.reset();
    return hit(...args);
  };
});
afterAll(() => sb?.close(), 30_000);

describe('core triggers, model-based against the sandbox (fast)', () => {
  it.each(propertySeeds('core triggers model (fast)', [1104694163, 101818540, 89214437], freshRuns(0)))(
    'seed %i: every scan, code and count change exactly once',
    async (seed) => {
      clock.now = Date.UTC(2026, 2, 1, 12, 0, 0); // a seed replays alone exactly as in a run of many
      const own = await startModelSandbox(`${key}_${seed}`, seed, clock);
      const stats = await runTriggerModel(own, `${key}_${seed}`, clock, { seed, steps: 50, maxBurst: 150 }).finally(
        () => own.close(),
      );
      expect(stats.polls).toBeGreaterThan(0);
    },
    60_000,
  );
});

/** Reported cases, each on its own (every one failed before the fix). */
describe('deletions, odd rows and late scans never stall, lose or repeat a trigger item', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const project = () => sb.project(key);
  const fresh = () => {
    const p = project();
    for (const qr of [...p.data.qrCodes]) sb.store.remove(p, qr);
    p.data.scans.length = 0;
    p.scansByQr.clear();
    clock.now += 86_400_000;
  };
  const client = () => createCodeQrClient({ apiKey: key, baseUrl: sb.url, pacing: false, sleep: async () => {} });
  const create = (n: number) => Array.from({ length: n }, () => sb.store.create(project(), { url: 'https://e.x/' }));
  const remove = (qrs: { id: string }[]) => {
    for (const { id } of qrs) {
      const qr = project().qrById.get(id);
      if (qr) sb.store.remove(project(), qr);
    }
  };
  const scan = (qr: { id: string }, timestamp: number) =>
    sb.store.recordScan(project(), project().qrById.get(qr.id) as never, {
      timestamp,
      url: 'https://e.x/',
      country: 'US',
      city: 'Unknown',
      region: 'Unknown',
      continent: 'NA',
      device: 'Mobile',
      browser: 'Chrome',
      os: 'iOS',
      referer: '(direct)',
      refererUrl: '(direct)',
      ip: '127.0.0.1',
      ua: 'test',
    });
  const now = () => iso(clock.now);
  const json = (cursor: unknown) => JSON.parse(JSON.stringify(cursor)) as unknown;

  it("a deleted code's scans (qrcode.shortLink null) are read as scans: New Scan, events.list and List Scans go on", async () => {
    fresh();
    const c = client();
    const [a, b] = create(2) as unknown as [{ id: string }, { id: string }];
    const options = { strategy: 'events' as const, now, settleMs: 0 };
    const primed = await pollNewScans(c, options);
    clock.now += 10;
    const gone = scan(a, clock.now);
    remove([a]);
    clock.now += 1;
    const kept = scan(b, clock.now);
    clock.now += 1;
    const r = await pollNewScans(c, options, json(primed.cursor));
    expect(r.scans.map((s) => s.id)).toEqual([gone.id, kept.id]);
    expect(r.scans[0]).toMatchObject({ qrCodeId: a.id, shortLink: null, domain: null, key: null });
    expect((await c.events.list({ event: 'scans', interval: 'all' })).length).toBe(2);
    const listed = (await getOperation('listScans').execute(c, { interval: 'all', limit: 10 })) as { id: string }[];
    expect(listed.map((s) => s.id).sort()).toEqual([gone.id, kept.id].sort());
    const again = await pollNewScans(c, options, json(r.cursor));
    expect(again.scans).toEqual([]);
  });

  it('New QR Code: 150 codes of one millisecond polled, 120 deleted, 5 created: the 5 are emitted', async () => {
    fresh();
    const c = client();
    const options = { now, settleMs: 0 };
    create(1);
    const primed = await pollNewQrCodes(c, options);
    clock.now += 10;
    const burst = create(150);
    clock.now += 1;
    const first = await pollNewQrCodes(c, options, json(primed.cursor));
    expect(first.qrCodes).toHaveLength(150);
    remove(burst.slice(0, 120));
    const made = create(5);
    clock.now += 1;
    const next = await pollNewQrCodes(c, options, json(first.cursor));
    expect(next.qrCodes.map((q) => q.id).sort()).toEqual(made.map((q) => q.id).sort()); // one millisecond: any order
  });

  it('New QR Code, pages of 1: deleting the code at the cursor millisecond loses none of 3 new codes', async () => {
    fresh();
    const c = client();
    const options = { now, settleMs: 0, pageSize: 1, maxPages: 1 };
    create(1);
    const primed = await pollNewQrCodes(c, options);
    clock.now += 10;
    const [x] = create(1);
    clock.now += 1;
    const first = await pollNewQrCodes(c, options, json(primed.cursor));
    expect(first.qrCodes.map((q) => q.id)).toEqual([x?.id]);
    remove([x as { id: string }]);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(...create(1).map((q) => q.id));
      clock.now += 1;
    }
    const seen: string[] = [];
    let cursor = json(first.cursor);
    for (let i = 0; i < 10; i++) {
      const r = await pollNewQrCodes(c, options, cursor);
      seen.push(...r.qrCodes.map((q) => q.id));
      cursor = json(r.cursor);
    }
    expect(seen).toEqual(made);
  });

  it('New QR Code: 100 codes of one millisecond, 3 deleted, 5 created: the next poll emits the 5 and no old code', async () => {
    fresh();
    const c = client();
    const options = { now, settleMs: 0 };
    create(1);
    const primed = await pollNewQrCodes(c, options);
    clock.now += 10;
    const burst = create(100);
    clock.now += 1;
    const first = await pollNewQrCodes(c, options, json(primed.cursor));
    expect(first.qrCodes).toHaveLength(100);
    remove(burst.slice(40, 43));
    const made = create(5);
    clock.now += 1;
    const next = await pollNewQrCodes(c, options, json(first.cursor));
    expect(next.qrCodes.map((q) => q.id).sort()).toEqual(made.map((q) => q.id).sort()); // one millisecond: any order
  });

  it('New QR Code: a burst drained over polls (maxPages) while codes before the position are deleted', async () => {
    fresh();
    const c = client();
    const options = { now, settleMs: 0, pageSize: 10, maxPages: 2 };
    create(1);
    const primed = await pollNewQrCodes(c, options);
    clock.now += 10;
    const burst = create(150);
    clock.now += 1;
    const seen = new Map<string, number>();
    const first = await pollNewQrCodes(c, options, json(primed.cursor));
    for (const q of first.qrCodes) seen.set(q.id, 1);
    expect(first).toMatchObject({ truncated: true });
    remove(burst.filter((q) => seen.has(q.id)).slice(0, 15)); // 15 of the 20 emitted codes
    let cursor = json(first.cursor);
    for (let i = 0; i < 30; i++) {
      const r = await pollNewQrCodes(c, options, cursor);
      for (const q of r.qrCodes) seen.set(q.id, (seen.get(q.id) ?? 0) + 1);
      cursor = json(r.cursor);
    }
    for (const q of burst) expect(seen.get(q.id), q.id).toBe(1);
  });

  it('Scan Count Changed: a late scan that arrives while one pass spans two polls is counted (+1, then +1 more)', async () => {
    fresh();
    const c = client();
    const t = clock.now + 10_000;
    const [a, d, b, cc] = create(4) as unknown as [{ id: string }, { id: string }, { id: string }, { id: string }];
    scan(cc, t - 5_000);
    scan(b, t - 700);
    scan(d, t - 600);
    clock.now = t - 500;
    const options = { strategy: 'counts' as const, now, settleMs: 2_000, pageSize: 1, maxPages: 2 };
    const primed = await pollNewScans(c, options);
    clock.now = t;
    scan(a, t);
    clock.now = t + 10;
    const p1 = await pollNewScans(c, options, json(primed.cursor)); // reads a, d: the pass goes on next poll
    expect(p1.truncated).toBe(true);
    clock.now = t + 1_000;
    scan(cc, t - 500); // shows up 1.5 s after its time: it moves cc above the rest of the pass
    clock.now = t + 3_000;
    const changes = new Map<string, number>();
    let cursor = json(p1.cursor);
    for (const change of p1.changes)
      changes.set(change.qrCodeId, (changes.get(change.qrCodeId) ?? 0) + change.newScans);
    for (let i = 0; i < 6; i++) {
      const r = await pollNewScans(c, options, cursor);
      for (const change of r.changes)
        changes.set(change.qrCodeId, (changes.get(change.qrCodeId) ?? 0) + change.newScans);
      cursor = json(r.cursor);
    }
    expect(changes.get(cc.id)).toBe(1);
    scan(cc, t + 3_000);
    clock.now = t + 6_000;
    for (let i = 0; i < 3; i++) {
      const r = await pollNewScans(c, options, cursor);
      for (const change of r.changes)
        changes.set(change.qrCodeId, (changes.get(change.qrCodeId) ?? 0) + change.newScans);
      cursor = json(r.cursor);
    }
    expect(Object.fromEntries(changes)).toEqual({ [a.id]: 1, [cc.id]: 2 });
  });
});

describe('Scan Count Changed while codes are deleted during a pass that spans polls', () => {
  it('a code moved up into the pages already read by a deletion is still counted', async () => {
    const p = sb.project(key);
    for (const qr of [...p.data.qrCodes]) sb.store.remove(p, qr);
    p.data.scans.length = 0;
    p.scansByQr.clear();
    clock.now += 86_400_000;
    const c = createCodeQrClient({ apiKey: key, baseUrl: sb.url, pacing: false, sleep: async () => {} });
    const now = () => new Date(clock.now).toISOString();
    const qrs = Array.from({ length: 4 }, () => sb.store.create(p, { url: 'https://e.x/' }));
    const options = { strategy: 'counts' as const, now, settleMs: 2_000, pageSize: 1, maxPages: 1 };
    const primed = await pollNewScans(c, options);
    // scanned oldest first: d, c, b, a (a is the most recently scanned)
    for (const qr of [...qrs].reverse()) {
      clock.now += 10;
      sb.store.recordScan(p, qr, {
        timestamp: clock.now,
        url: 'https://e.x/',
        country: 'US',
        city: 'Unknown',
        region: 'Unknown',
        continent: 'NA',
        device: 'Mobile',
        browser: 'Chrome',
        os: 'iOS',
        referer: '(direct)',
        refererUrl: '(direct)',
        ip: '127.0.0.1',
        ua: 'test',
      });
    }
    clock.now += 5_000;
    const counted = new Map<string, number>();
    const first = await pollNewScans(c, options, JSON.parse(JSON.stringify(primed.cursor)));
    for (const change of first.changes) counted.set(change.qrCodeId, change.newScans);
    expect(first.truncated).toBe(true); // read a (page 1); the pass goes on at page 2
    sb.store.remove(p, qrs[0] as never); // a is deleted: b moves up to page 1, already read
    let cursor: unknown = first.cursor;
    for (let i = 0; i < 8; i++) {
      const r = await pollNewScans(c, options, JSON.parse(JSON.stringify(cursor)));
      for (const change of r.changes)
        counted.set(change.qrCodeId, (counted.get(change.qrCodeId) ?? 0) + change.newScans);
      cursor = r.cursor;
    }
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(qrs.map((qr) => [qr.id, 1])));
  });
});
