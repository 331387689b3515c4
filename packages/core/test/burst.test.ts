/**
 * Exactly-once polling under bursts: many scans (or QR codes) sharing one millisecond, more than a page and more than
 * the ids a cursor keeps. Property tests run the real `pollNewScans` / `pollNewQrCodes` (client, validation, cursor
 * JSON round trips) over an in-memory CodeQR whose `/events` orders rows of one millisecond stably or differently on
 * every request, and whose `start` is exact or rounded down to the day (as Dub's current code does); sandbox tests
 * poll thousands of scans stamped with one millisecond, under the docs-style and the Dub-style sandbox.
 */
import { createCodeQrClient, pollNewQrCodes, pollNewScans, type Transport } from '@codeqr-integrations/core';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { propertySeeds } from '@codeqr-integrations/test/support/seeds';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrCodeSample } from '../src/operations/samples.ts';
import { IDS_KEPT_AT_SINCE, ScanCursor } from '../src/polling/index.ts';

const DAY = 86_400_000;
const BASE = Date.UTC(2026, 2, 1, 22, 0, 0); // two hours before midnight: day-rounded starts cross days
const iso = (ms: number) => new Date(ms).toISOString();
/** A stored cursor never grows past this (ids of ≤ 32 characters): a few kilobytes, whatever the burst. */
const CURSOR_BYTES = IDS_KEPT_AT_SINCE * 35 + 300;

/** A small deterministic PRNG, so a failing run replays. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

interface Row {
  id: string;
  ms: number;
  seq: number;
  /** When CodeQR's analytics store shows the scan (ingestion lag): its time on the fake's clock. */
  visibleAt?: number;
  /** The scanned QR code (default `qr_1`). */
  qr?: string;
}

/**
 * In-memory CodeQR: `/events` (sorted by timestamp only, like Dub's `ORDER BY timestamp`; rows of one millisecond in
 * arrival order, or shuffled anew on every request) and `/qrcodes` + `/qrcodes/count` (newest first by `createdAt`).
 */
function fakeCodeQr(options: {
  ties: 'stable' | 'shuffled';
  start: 'exact' | 'day';
  createdAfter?: 'inclusive' | 'exclusive';
  /** How `/events` reads `end`: as sent, or rounded up to the end of its day (Dub's code); a scan lag needs a clock. */
  end?: 'exact' | 'day';
  seed: number;
}) {
  let clock = Number.POSITIVE_INFINITY; // CodeQR's clock: scans show up once it reaches their `visibleAt`
  const scans: Row[] = [];
  const codes: Row[] = [];
  const random = prng(options.seed);
  let seq = 0;
  let requests = 0;
  /** QR codes deleted: like Dub's `/events`, their scans are removed from a page after paging (it comes back short). */
  const deletedCodes = new Set<string>();
  const order = (rows: Row[], dir: 1 | -1): Row[] => {
    const tie = new Map<Row, number>();
    if (options.ties === 'shuffled') for (const row of rows) tie.set(row, random());
    return [...rows].sort((a, b) => dir * (a.ms - b.ms) || (tie.get(a) ?? a.seq) - (tie.get(b) ?? b.seq));
  };
  const json = (body: unknown) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const transport: Transport = async (request) => {
    requests++;
    const url = new URL(request.url);
    const q = Object.fromEntries(url.searchParams);
    if (url.pathname === '/events') {
      let rows = scans.filter((row) => (row.visibleAt ?? row.ms) <= clock);
      if (q.qrcodeId) rows = rows.filter((row) => (row.qr ?? 'qr_1') === q.qrcodeId);
      if (q.start && q.end && Date.parse(q.end) < Date.parse(q.start)) {
        return { status: 422, headers: {}, body: '{"error":{"code":"unprocessable_entity","message":"end < start"}}' };
      }
      if (q.end) {
        const end = Date.parse(q.end);
        const to = options.end === 'day' ? Math.floor(end / DAY) * DAY + DAY - 1 : end;
        rows = rows.filter((row) => row.ms <= to);
      }
      if (q.start) {
        const start = Date.parse(q.start);
        const from = options.start === 'day' ? Math.floor(start / DAY) * DAY : start;
        rows = rows.filter((row) => row.ms >= from);
      }
      const limit = Number(q.limit ?? 100);
      const page = Number(q.page ?? 1);
      const sorted = order(rows, q.order === 'asc' ? 1 : -1);
      return json(
        sorted
          .slice((page - 1) * limit, page * limit)
          .filter((row) => !deletedCodes.has(row.qr ?? 'qr_1'))
          .map((row) => ({
            event: 'click',
            timestamp: iso(row.ms),
            click: { id: row.id, country: 'FR', device: 'Mobile' },
            qrcode: { id: row.qr ?? 'qr_1', domain: 'cqr.link', key: 'menu' },
          })),
      );
    }
    if (url.pathname === '/qrcodes' || url.pathname === '/qrcodes/count') {
      const after = q.createdAfter ? Date.parse(q.createdAfter) : Number.NEGATIVE_INFINITY;
      const before = q.createdBefore ? Date.parse(q.createdBefore) : Number.POSITIVE_INFINITY;
      const inWindow = codes.filter(
        (row) =>
          (options.createdAfter === 'inclusive' ? row.ms >= after : row.ms > after) &&
          row.ms < before &&
          (!q.folderId || row.qr === q.folderId),
      );
      if (url.pathname === '/qrcodes/count') return json(inWindow.length);
      const pageSize = Number(q.pageSize ?? 100);
      const page = Number(q.page ?? 1);
      // newest first; codes of one millisecond newest first too (a stable order)
      const sorted = [...inWindow].sort((a, b) => b.ms - a.ms || b.seq - a.seq);
      return json(
        sorted.slice((page - 1) * pageSize, page * pageSize).map((row) => ({
          ...qrCodeSample,
          id: row.id,
          key: row.id,
          shortLink: `https://cqr.link/${row.id}`,
          createdAt: iso(row.ms),
          updatedAt: iso(row.ms),
        })),
      );
    }
    return { status: 404, headers: {}, body: '{"error":{"code":"not_found","message":"no such route"}}' };
  };
  return {
    client: createCodeQrClient({
      apiKey: 'codeqr_test',
      baseUrl: 'https://api.codeqr.io',
      transport,
      sleep: async () => {},
    }),
    scan(ms: number, count: number, visibleAt?: number, qr?: string): string[] {
      return Array.from({ length: count }, () => {
        const id = `s${++seq}`;
        scans.push({ id, ms, seq, visibleAt, qr });
        return id;
      });
    },
    /** Deletes a QR code: its scans stay in the store but are dropped from `/events` pages after paging. */
    deleteCode(qr: string) {
      deletedCodes.add(qr);
    },
    /** Sets CodeQR's clock (scans with a later `visibleAt` are not listed yet). */
    at(ms: number) {
      clock = ms;
    },
    /** Deletes the codes at these indexes (modulo the number of codes), as a user deleting QR codes would. */
    remove(indexes: number[]): string[] {
      const gone = new Set<Row>();
      for (const index of indexes) if (codes.length > 0) gone.add(codes[index % codes.length] as Row);
      for (let i = codes.length - 1; i >= 0; i--) if (gone.has(codes[i] as Row)) codes.splice(i, 1);
      return [...gone].map((row) => row.id);
    },
    create(ms: number, count: number, folder?: string): string[] {
      return Array.from({ length: count }, () => {
        const id = `q${++seq}`;
        codes.push({ id, ms, seq, qr: folder });
        return id;
      });
    },
    get requests() {
      return requests;
    },
  };
}

type Step =
  | { kind: 'burst'; gap: number; late: number; size: number }
  | { kind: 'poll'; pageSize: number; maxPages: number };

/** Bursts up to `maxBurst` (often past every page and the cursor's id bound), gaps from 0 ms (same ms) to a day. */
function steps(maxBurst: number, pageSizes: fc.Arbitrary<number>) {
  const burst = fc.record({
    kind: fc.constant('burst' as const),
    gap: fc.constantFrom(0, 0, 1, 1, 3, 3_600_000, DAY),
    late: fc.constantFrom(0, 0, 0, 1, 2),
    size:
      maxBurst > IDS_KEPT_AT_SINCE
        ? fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: IDS_KEPT_AT_SINCE + 1, max: maxBurst }))
        : fc.integer({ min: 1, max: maxBurst }),
  });
  const poll = fc.record({
    kind: fc.constant('poll' as const),
    pageSize: pageSizes,
    maxPages: fc.integer({ min: 1, max: 3 }),
  });
  return fc.array(fc.oneof({ weight: 3, arbitrary: burst }, { weight: 2, arbitrary: poll }), {
    minLength: 1,
    maxLength: 14,
  });
}

/** Every item that arrived after the first poll was emitted exactly once; none of the baseline ever. */
function expectExactlyOnce(arrivedAfterPrime: string[], baseline: Set<string>, emitted: Map<string, number>) {
  const wrong: string[] = [];
  for (const id of arrivedAfterPrime) if (emitted.get(id) !== 1) wrong.push(`${id}×${emitted.get(id) ?? 0}`);
  for (const id of baseline) if (emitted.has(id)) wrong.push(`baseline ${id}×${emitted.get(id)}`);
  expect(wrong.slice(0, 10), `${wrong.length} items not emitted exactly once`).toEqual([]);
}

function storedCursor(cursor: unknown): unknown {
  const text = JSON.stringify(cursor);
  expect(text.length).toBeLessThanOrEqual(CURSOR_BYTES);
  return JSON.parse(text);
}

async function runScans(
  fake: ReturnType<typeof fakeCodeQr>,
  plan: Step[],
  { drainPageSize, maxGroup = Number.POSITIVE_INFINITY }: { drainPageSize: number; maxGroup?: number },
): Promise<void> {
  const groups = new Map<number, number>();
  let clock = BASE;
  let cursor: unknown;
  let since = Number.NEGATIVE_INFINITY; // the stored cursor's `since`: later arrivals are never stamped before it
  const baseline = new Set<string>();
  const after: string[] = [];
  const emitted = new Map<string, number>();
  const poll = async (pageSize: number, maxPages: number) => {
    const result = await pollNewScans(fake.client, { strategy: 'events', pageSize, maxPages }, cursor);
    for (const s of result.scans) emitted.set(s.id, (emitted.get(s.id) ?? 0) + 1);
    const times = result.scans.map((s) => Date.parse(s.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    cursor = storedCursor(result.cursor);
    since = Date.parse((cursor as { since: string }).since);
    return result;
  };
  for (const step of plan) {
    if (step.kind === 'poll') {
      await poll(step.pageSize, step.maxPages);
      continue;
    }
    clock += step.gap;
    const ms = Math.max(clock - step.late, since);
    const size = Math.min(step.size, maxGroup - (groups.get(ms) ?? 0));
    if (size <= 0) continue;
    groups.set(ms, (groups.get(ms) ?? 0) + size);
    const ids = fake.scan(ms, size);
    if (cursor === undefined) for (const id of ids) baseline.add(id);
    else after.push(...ids);
  }
  if (cursor === undefined) await poll(drainPageSize, 3);
  for (let i = 0; i < 3000; i++) {
    const r = await poll(drainPageSize, 3);
    if (!r.truncated && r.scans.length === 0) break;
  }
  expectExactlyOnce(after, baseline, emitted);
}

describe('pollNewScans: exactly once under bursts (property, in-memory CodeQR)', () => {
  it('with a stable order within a millisecond: bursts larger than every page and than the ids a cursor keeps', async () => {
    await fc.assert(
      fc.asyncProperty(
        steps(3 * IDS_KEPT_AT_SINCE, fc.integer({ min: 1, max: 40 })),
        fc.constantFrom('exact' as const, 'day' as const),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        async (plan, start, drainPageSize, seed) => {
          await runScans(fakeCodeQr({ ties: 'stable', start, seed }), plan, { drainPageSize });
        },
      ),
      { numRuns: 60, seed: 271828 },
    );
  }, 120_000);

  it('with a different order on every request: milliseconds of up to a page, late scans at the cursor included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 30 })
          .chain((pageSize) => fc.tuple(fc.constant(pageSize), steps(pageSize, fc.constant(pageSize)))),
        fc.nat(),
        async ([pageSize, plan], seed) => {
          // no strategy can read more rows of one millisecond than a page when every request orders them anew
          const fake = fakeCodeQr({ ties: 'shuffled', start: 'exact', seed });
          await runScans(fake, plan, { drainPageSize: pageSize, maxGroup: pageSize });
        },
      ),
      { numRuns: 80, seed: 314159 },
    );
  }, 120_000);

  it('primes after a burst larger than a page without emitting any of it, and keeps a small cursor', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', seed: 1 });
    fake.scan(BASE, 2_000);
    const primed = await pollNewScans(fake.client, { strategy: 'events', pageSize: 50 });
    expect(primed.primed).toBe(true);
    const next = await pollNewScans(fake.client, { strategy: 'events', pageSize: 50 }, primed.cursor);
    expect(next.scans).toEqual([]);
    const fresh = fake.scan(BASE + 1, 3);
    const later = await pollNewScans(fake.client, { strategy: 'events', pageSize: 50 }, next.cursor);
    expect(later.scans.map((s) => s.id)).toEqual(fresh);
  });

  it('drains a 2,000-scan millisecond at 2 requests per 50 rows at most, then stands still at 1 request a poll', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', seed: 2 });
    fake.scan(BASE, 1);
    let cursor: unknown = (await pollNewScans(fake.client, { strategy: 'events' })).cursor;
    fake.scan(BASE + 5, 2_000);
    const before = fake.requests;
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const r = await pollNewScans(fake.client, { strategy: 'events', pageSize: 50, maxPages: 4 }, cursor);
      for (const s of r.scans) seen.add(s.id);
      cursor = storedCursor(r.cursor);
      if (!r.truncated) break;
    }
    expect(seen.size).toBe(2_000);
    expect(fake.requests - before).toBeLessThanOrEqual(2 * (2_000 / 50) + 2);
    expect(ScanCursor.parse(cursor)).toMatchObject({ doneAtSince: 2_000 });
    const idle = fake.requests;
    const again = await pollNewScans(fake.client, { strategy: 'events', pageSize: 50, maxPages: 4 }, cursor);
    expect(again.scans).toEqual([]);
    expect(fake.requests - idle).toBe(1);
  });
});

describe('pollNewScans: ingestion lag (scans show up a moment after their timestamp)', () => {
  it('a scan stamped just before a poll that shows up after it is still emitted', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', seed: 4 });
    const T = BASE + 60_000;
    fake.scan(BASE, 1);
    fake.at(BASE + 10_000);
    const options = { strategy: 'events' as const, now: () => iso(T) };
    let cursor = storedCursor((await pollNewScans(fake.client, options)).cursor);
    const visible = fake.scan(T - 100, 1); // already listed at T
    const late = fake.scan(T - 1_000, 1, T + 500); // stamped T - 1 s, listed from T + 0.5 s
    fake.at(T);
    const first = await pollNewScans(fake.client, options, cursor);
    cursor = storedCursor(first.cursor);
    fake.at(T + 3_000);
    const second = await pollNewScans(fake.client, { ...options, now: () => iso(T + 3_000) }, cursor);
    expect([...first.scans, ...second.scans].map((s) => s.id)).toEqual([...late, ...visible]);
  });

  it('a cursor newer than the settled time (primed on scans of the last seconds) waits, sending nothing', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', seed: 5 });
    const T = BASE + 60_000;
    fake.scan(T - 500, 2);
    fake.at(T);
    const options = { strategy: 'events' as const, now: () => iso(T) };
    const primed = await pollNewScans(fake.client, options);
    const before = fake.requests;
    const idle = await pollNewScans(fake.client, options, primed.cursor);
    expect(idle.scans).toEqual([]);
    expect(idle.cursor).toEqual(primed.cursor);
    expect(fake.requests).toBe(before);
    const fresh = fake.scan(T + 100, 1);
    fake.at(T + 5_000);
    const later = await pollNewScans(fake.client, { ...options, now: () => iso(T + 5_000) }, idle.cursor);
    expect(later.scans.map((s) => s.id)).toEqual(fresh);
  });

  it('exactly once when every scan lags up to settleMs, end exact or rounded up to the day, host clock behind', async () => {
    const settleMs = 2_000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('burst' as const),
              gap: fc.constantFrom(0, 1, 3, 500, 1_999, 2_000, 2_001, 3_600_000),
              lag: fc.integer({ min: 0, max: settleMs }),
              size: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 30, max: 250 })),
            }),
            fc.record({
              kind: fc.constant('poll' as const),
              gap: fc.constantFrom(0, 1, 700, 2_000),
              pageSize: fc.integer({ min: 1, max: 40 }),
              maxPages: fc.integer({ min: 1, max: 3 }),
            }),
          ),
          { minLength: 1, maxLength: 16 },
        ),
        fc.constantFrom('exact' as const, 'day' as const),
        fc.constantFrom('exact' as const, 'day' as const),
        fc.integer({ min: -3_000, max: 0 }),
        async (plan, start, end, skew) => {
          const fake = fakeCodeQr({ ties: 'stable', start, end, seed: 6 });
          let clock = BASE;
          fake.at(clock);
          const host = () => iso(clock + skew);
          let cursor = storedCursor((await pollNewScans(fake.client, { strategy: 'events', now: host })).cursor);
          clock += settleMs + 1; // scans made from here on are stamped after everything the first poll saw
          const after: string[] = [];
          const emitted = new Map<string, number>();
          const poll = async (pageSize: number, maxPages: number) => {
            fake.at(clock);
            const r = await pollNewScans(
              fake.client,
              { strategy: 'events', pageSize, maxPages, now: host, settleMs },
              cursor,
            );
            for (const s of r.scans) emitted.set(s.id, (emitted.get(s.id) ?? 0) + 1);
            cursor = storedCursor(r.cursor);
            return r;
          };
          for (const step of plan) {
            clock += step.gap;
            if (step.kind === 'poll') await poll(step.pageSize, step.maxPages);
            else after.push(...fake.scan(clock - step.lag, step.size, clock)); // stamped `lag` ago, listed now
          }
          clock += settleMs - skew + 1; // everything has settled
          for (let i = 0; i < 3000; i++) {
            const r = await poll(17, 3);
            if (!r.truncated && r.scans.length === 0) break;
          }
          expectExactlyOnce(after, new Set(), emitted);
        },
      ),
      { numRuns: 80, seed: 161803 },
    );
  }, 120_000);
});

describe('cursors stored by an earlier version (no scope, all ids at since, up to 500)', () => {
  it.each([
    ['exact', 3],
    ['exact', 150],
    ['day', 150],
    ['day', 500],
  ] as const)('start %s, %i ids at since: emits only what came after', async (start, count) => {
    const fake = fakeCodeQr({ ties: 'stable', start, seed: 9 });
    fake.scan(BASE - 5, 7);
    const old = fake.scan(BASE, count);
    const fresh = [...fake.scan(BASE, 2), ...fake.scan(BASE + 1, 3)];
    const legacy = { strategy: 'events', since: iso(BASE), idsAtSince: old };
    const seen: string[] = [];
    let cursor: unknown = JSON.parse(JSON.stringify(legacy));
    for (let i = 0; i < 20; i++) {
      const r = await pollNewScans(fake.client, { strategy: 'events', pageSize: 100, maxPages: 2 }, cursor);
      seen.push(...r.scans.map((s) => s.id));
      cursor = storedCursor(r.cursor);
      if (!r.truncated) break;
    }
    expect(seen).toEqual(fresh);
  });
});

describe('a stored cursor read with another filter (a host that keeps it when the user changes the QR code)', () => {
  it('new scans: a position counted in all scans never hides the scans of the QR code picked next', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', seed: 7 });
    fake.scan(BASE, 1, undefined, 'qr_a');
    const all = { strategy: 'events' as const, pageSize: 50 };
    let cursor = storedCursor((await pollNewScans(fake.client, all)).cursor);
    fake.scan(BASE + 5, 300, undefined, 'qr_a'); // a burst: the cursor counts 300 done by position
    for (let i = 0; i < 20; i++) {
      const r = await pollNewScans(fake.client, all, cursor);
      cursor = storedCursor(r.cursor);
      if (!r.truncated) break;
    }
    expect(Date.parse(ScanCursor.parse(cursor).since)).toBeGreaterThanOrEqual(BASE + 5); // all 300 done
    const b = fake.scan(BASE + 9, 3, undefined, 'qr_b');
    const picked = await pollNewScans(fake.client, { ...all, qrCodeId: 'qr_b' }, cursor);
    expect(picked.scans.map((s) => s.id)).toEqual(b);
    const more = fake.scan(BASE + 10, 2, undefined, 'qr_b');
    const next = await pollNewScans(fake.client, { ...all, qrCodeId: 'qr_b' }, storedCursor(picked.cursor));
    expect(next.scans.map((s) => s.id)).toEqual(more);
  });

  it('new QR codes: a position counted with other filters never hides the codes of the new filters', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', createdAfter: 'exclusive', seed: 8 });
    const now = () => iso(BASE + DAY);
    const options = { pageSize: 25, maxPages: 20, now, settleMs: 0 };
    fake.create(BASE, 1);
    let cursor = storedCursor((await pollNewQrCodes(fake.client, options)).cursor);
    fake.create(BASE + 5, 120, 'fold_1');
    // stopped inside the burst (a window read to its end closes its millisecond: nothing counted by position)
    cursor = storedCursor((await pollNewQrCodes(fake.client, { ...options, maxPages: 2 }, cursor)).cursor);
    expect(ScanCursor.parse(cursor)).toMatchObject({ countAtSince: 120 }); // counted by position in the burst
    const made = fake.create(BASE + 9, 2, 'fold_2');
    const moved = await pollNewQrCodes(fake.client, { ...options, filters: { folderId: 'fold_2' } }, cursor);
    expect(moved.qrCodes.map((q) => q.id)).toEqual(made);
  });
});

// Seed 1104694163 was a counterexample (fixed, kept as a regression seed): a code created in the cursor's millisecond,
// after a first poll with one-item pages that ended 1 ms after a 101-code burst and deletions of baseline codes, was
// never emitted. Deleted codes now never shift a position (a window read to its end closes its millisecond; a poll
// stopped inside one stores its count and steps back by the codes deleted since).
describe('pollNewQrCodes: exactly once under bursts (property, in-memory CodeQR)', () => {
  it.each(propertySeeds('pollNewQrCodes bursts with deletions', [424242, 1104694163]))(
    'codes created many at one millisecond, more than a page and than the ids a cursor keeps, some deleted (seed %i)',
    async (seed) => {
      await fc.assert(
        fc.asyncProperty(
          steps(3 * IDS_KEPT_AT_SINCE, fc.integer({ min: 1, max: 40 })),
          fc.array(fc.array(fc.nat(), { maxLength: 20 }), { maxLength: 14 }),
          fc.constantFrom('inclusive' as const, 'exclusive' as const),
          fc.integer({ min: 5, max: 40 }),
          async (plan, deletions, createdAfter, drainPageSize) => {
            const fake = fakeCodeQr({ ties: 'stable', start: 'exact', createdAfter, seed: 3 });
            let clock = BASE;
            let cursor: unknown;
            const baseline = new Set<string>();
            const after: string[] = [];
            const emitted = new Map<string, number>();
            const poll = async (pageSize: number, maxPages: number) => {
              const now = () => iso(clock + 1);
              const r = await pollNewQrCodes(fake.client, { pageSize, maxPages, now, settleMs: 0 }, cursor);
              for (const q of r.qrCodes) emitted.set(q.id, (emitted.get(q.id) ?? 0) + 1);
              cursor = storedCursor(r.cursor);
              return r;
            };
            const deleted = new Set<string>();
            for (const [index, step] of plan.entries()) {
              // codes deleted between polls (at most a page of the drain's size each time): never emitted twice, and
              // their deletion never hides a code behind them
              for (const id of fake.remove((deletions[index] ?? []).slice(0, drainPageSize))) deleted.add(id);
              if (step.kind === 'poll') {
                await poll(step.pageSize, step.maxPages);
                continue;
              }
              // CodeQR stamps codes with its own clock, never before the cursor (which may sit 1 ms after the newest)
              const since = cursor ? Date.parse((cursor as { since: string }).since) : Number.NEGATIVE_INFINITY;
              clock = Math.max(clock + step.gap, since);
              const ids = fake.create(clock, step.size);
              if (cursor === undefined) for (const id of ids) baseline.add(id);
              else after.push(...ids);
            }
            if (cursor === undefined) await poll(drainPageSize, 3);
            for (let i = 0; i < 3000; i++) {
              const r = await poll(drainPageSize, 3);
              if (!r.truncated && r.qrCodes.length === 0) break;
            }
            for (const id of deleted) {
              expect(emitted.get(id) ?? 0, id).toBeLessThanOrEqual(baseline.has(id) ? 0 : 1); // once, or never
              emitted.delete(id);
              baseline.delete(id);
            }
            expectExactlyOnce(
              after.filter((id) => !deleted.has(id)),
              baseline,
              emitted,
            );
          },
        ),
        { numRuns: 60, seed },
      );
    },
    120_000,
  );
});

describe.each([
  ['docs-style sandbox', {}],
  ['Dub-style sandbox (--dub-headers --dub-bulk)', { rateLimitHeaders: 'dub', bulkAnswers: 'dub' }],
] as const)('thousands in one millisecond against the %s', (_, flags) => {
  let sb: Sandbox;
  let clock = Date.now() - 3_600_000; // the sandbox's clock, moved by hand (an hour back, so windows have settled)
  const key = 'burst_business';
  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({
      keys: [{ key, plan: 'business' }],
      seed: 11,
      quotas: false,
      now: () => clock,
      ...flags,
    });
  });
  afterAll(() => sb.close(), 30_000); // also fails if any request was not valid against the official spec

  const client = () => createCodeQrClient({ apiKey: key, baseUrl: sb.url });
  async function simulate(body: object): Promise<string[]> {
    const res = await fetch(`${sb.url}/__sandbox/scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { recorded: { id: string }[] }).recorded.map((r) => r.id);
  }
  async function drainScans(qrCodeId: string, cursor: unknown, seen: Map<string, number>): Promise<unknown> {
    for (let i = 0; i < 200; i++) {
      const r = await pollNewScans(client(), { strategy: 'events', qrCodeId, pageSize: 100, maxPages: 10 }, cursor);
      for (const s of r.scans) seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
      cursor = storedCursor(r.cursor);
      if (!r.truncated) return cursor;
    }
    throw new Error('the poll never caught up');
  }

  it('new scans: 3,000 scans stamped with one millisecond are emitted once each, then newer ones', async () => {
    const c = client();
    const qr = await c.qrcodes.create({ url: 'https://example.com/burst' });
    const at = clock - 60_000;
    const before = await simulate({ qrCodeId: qr.id, count: 2_500, timestamp: iso(at) }); // existed before the trigger
    const primed = await pollNewScans(c, { strategy: 'events', qrCodeId: qr.id });
    expect(primed.primed).toBe(true);
    const seen = new Map<string, number>();
    let cursor = await drainScans(qr.id, primed.cursor, seen);
    expect(seen.size, 'scans that existed before the first poll were emitted').toBe(0);

    const burst = await simulate({ qrCodeId: qr.id, count: 3_000, timestamp: iso(at + 1) });
    cursor = await drainScans(qr.id, cursor, seen);
    const newer = await simulate({ qrCodeId: qr.id, count: 250, timestamp: iso(at + 2) });
    const next = await simulate({ qrCodeId: qr.id, count: 3, timestamp: iso(at + 3), intervalMs: 1 });
    cursor = await drainScans(qr.id, cursor, seen);
    for (const id of [...burst, ...newer, ...next]) expect(seen.get(id), id).toBe(1);
    for (const id of before) expect(seen.has(id)).toBe(false);
    expect(seen.size).toBe(3_253);
    // standing still costs one request and emits nothing
    const again = await pollNewScans(c, { strategy: 'events', qrCodeId: qr.id, pageSize: 100 }, cursor);
    expect(again.scans).toEqual([]);
  }, 60_000);

  it('new QR codes: 600 codes created in one millisecond with pages of 25, none of the 40 before the trigger', async () => {
    const c = client();
    clock += 1_000;
    const existing = await c.qrcodes.bulkCreate(
      Array.from({ length: 40 }, (_, i) => ({ url: `https://example.com/old/${i}`, externalId: `burst-old-${i}` })),
    );
    expect(existing.every((r) => r.ok)).toBe(true);
    const now = () => iso(clock + 1);
    const options = { pageSize: 25, maxPages: 2, now, settleMs: 0 };
    const primed = await pollNewQrCodes(c, options);
    let cursor: unknown = primed.cursor;
    const r0 = await pollNewQrCodes(c, options, cursor);
    expect(r0.qrCodes, 'codes that existed before the first poll were emitted').toEqual([]);
    cursor = r0.cursor;

    clock += 1_000;
    const made = await c.qrcodes.bulkCreate(
      Array.from({ length: 600 }, (_, i) => ({ url: `https://example.com/new/${i}`, externalId: `burst-new-${i}` })),
    );
    const ids = made.map((r) => (r.ok ? r.qrCode.id : `failed ${r.index}`));
    const seen = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const r = await pollNewQrCodes(c, options, cursor);
      for (const q of r.qrCodes) seen.set(q.id, (seen.get(q.id) ?? 0) + 1);
      cursor = storedCursor(r.cursor);
      if (!r.truncated && r.qrCodes.length === 0) break;
    }
    for (const id of ids) expect(seen.get(id), id).toBe(1);
    expect(seen.size).toBe(600);
  }, 60_000);
});

describe('pollNewScans: scans of deleted QR codes, dropped from /events pages after paging (as Dub does)', () => {
  it.each(['exact', 'day'] as const)(
    'start %s: a page made short by a deleted code never stalls the trigger',
    async (start) => {
      const fake = fakeCodeQr({ ties: 'stable', start, seed: 12 });
      fake.scan(BASE, 1);
      const options = { strategy: 'events' as const, pageSize: 10 };
      let cursor = storedCursor((await pollNewScans(fake.client, options)).cursor);
      fake.scan(BASE + 5, 1, undefined, 'qr_gone');
      const burst = fake.scan(BASE + 5, 10);
      fake.deleteCode('qr_gone');
      const seen: string[] = [];
      const drain = async () => {
        for (let i = 0; i < 10; i++) {
          const r = await pollNewScans(fake.client, options, cursor);
          seen.push(...r.scans.map((s) => s.id));
          cursor = storedCursor(r.cursor);
        }
      };
      await drain();
      expect(seen).toEqual(burst);
      const later = fake.scan(BASE + 9, 3);
      await drain();
      expect(seen).toEqual([...burst, ...later]);
    },
  );

  it('an idle poll costs one request (exact start), a poll that finds scans one more (the page after a short one)', async () => {
    const fake = fakeCodeQr({ ties: 'stable', start: 'exact', seed: 13 });
    fake.scan(BASE, 1);
    const options = { strategy: 'events' as const, pageSize: 10 };
    let cursor = storedCursor((await pollNewScans(fake.client, options)).cursor);
    let before = fake.requests;
    cursor = storedCursor((await pollNewScans(fake.client, options, cursor)).cursor);
    expect(fake.requests - before).toBe(1); // primed after the newest scan's millisecond: one empty page
    for (let i = 0; i < 3; i++) {
      before = fake.requests;
      const idle = await pollNewScans(fake.client, options, cursor);
      expect(idle.scans).toEqual([]);
      expect(fake.requests - before).toBe(1);
      cursor = storedCursor(idle.cursor);
    }
    const fresh = fake.scan(BASE + 3, 4);
    before = fake.requests;
    const found = await pollNewScans(fake.client, options, cursor);
    expect(found.scans.map((s) => s.id)).toEqual(fresh);
    expect(fake.requests - before).toBe(2);
  });
});

describe('pollNewScans: exactly once while QR codes are deleted (property, rows dropped after paging)', () => {
  type DropStep =
    | { kind: 'burst'; gap: number; size: number; code: number }
    | { kind: 'poll'; pageSize: number; maxPages: number }
    | { kind: 'delete'; code: number };
  const codes = ['qr_1', 'qr_2', 'qr_3', 'qr_4'];
  const plan = fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('burst' as const),
          gap: fc.constantFrom(0, 0, 1, 1, 3, 3_600_000, DAY),
          size: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 3 * IDS_KEPT_AT_SINCE })),
          code: fc.integer({ min: 0, max: codes.length - 1 }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('poll' as const),
          pageSize: fc.integer({ min: 1, max: 40 }),
          maxPages: fc.integer({ min: 1, max: 3 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('delete' as const),
          code: fc.integer({ min: 1, max: codes.length - 1 }),
        }),
      },
    ),
    { minLength: 1, maxLength: 16 },
  ) as fc.Arbitrary<DropStep[]>;

  it('every scan of a code still there is emitted once, under exact and day-rounded start', async () => {
    await fc.assert(
      fc.asyncProperty(
        plan,
        fc.constantFrom('exact' as const, 'day' as const),
        fc.integer({ min: 1, max: 40 }),
        async (steps, start, drainPageSize) => {
          const fake = fakeCodeQr({ ties: 'stable', start, seed: 14 });
          let clock = BASE;
          let cursor: unknown;
          let since = Number.NEGATIVE_INFINITY;
          const baseline = new Set<string>();
          const after: string[] = [];
          const codeOf = new Map<string, string>();
          const stampOf = new Map<string, number>();
          const count = new Map<number, number>(); // scans per millisecond
          const mayGo = new Map<number, boolean>(); // a millisecond holds scans of a code that may be deleted
          const deleted = new Set<string>();
          const emitted = new Map<string, number>();
          let smallestPage = drainPageSize;
          const poll = async (pageSize: number, maxPages: number) => {
            smallestPage = Math.min(smallestPage, pageSize);
            const r = await pollNewScans(fake.client, { strategy: 'events', pageSize, maxPages }, cursor);
            for (const s of r.scans) emitted.set(s.id, (emitted.get(s.id) ?? 0) + 1);
            const times = r.scans.map((s) => Date.parse(s.timestamp));
            expect(times).toEqual([...times].sort((a, b) => a - b));
            cursor = storedCursor(r.cursor);
            since = Date.parse((cursor as { since: string }).since);
            return r;
          };
          for (const step of steps) {
            if (step.kind === 'poll') await poll(step.pageSize, step.maxPages);
            else if (step.kind === 'delete') {
              deleted.add(codes[step.code] as string);
              fake.deleteCode(codes[step.code] as string);
            } else {
              clock += step.gap;
              const code = codes[step.code] as string;
              if (deleted.has(code)) continue; // a deleted code is scanned no more
              // not covered (see the README): a millisecond with more scans than the ids a cursor keeps that also
              // holds scans of a code deleted later; such a burst moves to the next millisecond
              let ms = Math.max(clock, since);
              const size = step.code === 0 ? step.size : Math.min(step.size, 4);
              while ((count.get(ms) ?? 0) + size > IDS_KEPT_AT_SINCE && (step.code !== 0 || mayGo.get(ms))) ms++;
              clock = ms;
              count.set(ms, (count.get(ms) ?? 0) + size);
              if (step.code !== 0) mayGo.set(ms, true);
              const ids = fake.scan(ms, size, undefined, code);
              for (const id of ids) codeOf.set(id, code);
              for (const id of ids) stampOf.set(id, ms);
              if (cursor === undefined) for (const id of ids) baseline.add(id);
              else after.push(...ids);
            }
          }
          if (cursor === undefined) await poll(drainPageSize, 3);
          // "eventually": an empty page may hide scans behind deleted codes' ones; idle polls read ever wider
          for (let i = 0, idle = 0; i < 3000 && idle < 12; i++) {
            const r = await poll(drainPageSize, 3);
            idle = !r.truncated && r.scans.length === 0 ? idle + 1 : 0;
          }
          // a millisecond with more scans than the ids a cursor keeps is read by position, and positions on a page the
          // API thinned out are only known within bounds: there a deletion may repeat a scan (never lose one)
          const perMs = new Map<number, number>();
          for (const id of [...baseline, ...after])
            perMs.set(stampOf.get(id) ?? 0, (perMs.get(stampOf.get(id) ?? 0) ?? 0) + 1);
          const repeatsAllowed = deleted.size > 0 && [...perMs.values()].some((n) => n > IDS_KEPT_AT_SINCE);
          // not covered (see the README): a run of deleted codes' scans that fills a whole page of some poll
          const ordered = [...stampOf.keys()].sort(
            (a, b) => (stampOf.get(a) ?? 0) - (stampOf.get(b) ?? 0) || Number(a.slice(1)) - Number(b.slice(1)),
          );
          let run = 0;
          let longest = 0;
          for (const id of ordered) {
            run = deleted.has(codeOf.get(id) as string) ? run + 1 : 0;
            longest = Math.max(longest, run);
          }
          fc.pre(longest < smallestPage);
          const wrong: string[] = [];
          for (const id of after) {
            const n = emitted.get(id) ?? 0;
            const gone = deleted.has(codeOf.get(id) as string);
            if (gone ? n > (repeatsAllowed ? 2 : 1) : n === 0 || (n > 1 && !repeatsAllowed)) wrong.push(`${id}×${n}`);
          }
          for (const id of baseline) if (emitted.has(id)) wrong.push(`baseline ${id}×${emitted.get(id)}`);
          expect(wrong.slice(0, 10), `${wrong.length} scans not emitted exactly once`).toEqual([]);
        },
      ),
      { numRuns: 150, seed: 141421 },
    );
  }, 120_000);
});
