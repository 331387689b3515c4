import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diffScanCounts,
  EPOCH_ISO,
  MAX_IDS_AT_SINCE,
  reachedCursor,
  type ScanCountSource,
  ScanCursor,
  ScanEvent,
  scanEventFromRow,
  scanEventFromWebhook,
  scanKeys,
  selectNew,
  selectNewQrCodes,
  selectNewScans,
} from '../src/polling/index.ts';
import { ScanEventRow } from '../src/schemas/events.ts';
import { parseWebhookEvent } from '../src/webhooks/index.ts';

const BASE = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const at = (seconds: number) => iso(BASE + seconds * 1000);

function scan(id: string, timestamp: string): ScanEvent {
  return {
    id,
    timestamp,
    qrCodeId: 'qr_1',
    domain: 'cqr.sh',
    key: 'menu',
    shortLink: 'https://cqr.sh/menu',
    url: 'https://example.com',
    country: null,
    city: null,
    continent: null,
    device: null,
    browser: null,
    os: null,
    referer: null,
    ip: null,
    source: 'events',
  };
}
const ids = (scans: readonly ScanEvent[]) => scans.map((s) => s.id);
const newestFirst = (scans: readonly ScanEvent[]) =>
  [...scans].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || (a.id < b.id ? 1 : -1));

describe('ScanEvent', () => {
  const row = ScanEventRow.parse({
    event: 'scan',
    timestamp: '2026-03-01T10:15:30.250Z',
    click: {
      id: 'clk_8f2a',
      url: 'https://example.com/landing',
      continent: 'EU',
      country: 'FR',
      city: 'Paris',
      device: 'Mobile',
      browser: 'Safari',
      os: 'iOS',
      referer: '(direct)',
      refererUrl: '(direct)',
      ip: '203.0.113.7',
    },
    qrcode: { id: 'qr_1', domain: 'cqr.sh', key: 'menu', url: 'https://example.com/landing' },
    link: { id: 'link_1', domain: 'cqr.sh', key: 'menu' },
  });
  const webhookBody = JSON.stringify({
    id: 'evt_123',
    event: 'qrcode.scanned',
    createdAt: '2026-03-01T10:15:31Z',
    data: {
      eventName: 'Scan',
      interaction: {
        timestamp: '2026-03-01 10:15:30.250',
        clickId: 'clk_8f2a',
        url: 'https://example.com/landing',
        ip: '203.0.113.7',
        continent: 'EU',
        country: 'FR',
        city: 'Paris',
        device: 'Mobile',
        browser: 'Safari',
        os: 'iOS',
        ua: 'Mozilla/5.0',
        bot: false,
        qr: true,
        referer: '(direct)',
      },
      qrcode: {
        id: 'qr_1',
        domain: 'cqr.sh',
        key: 'menu',
        url: 'https://example.com/landing',
        shortLink: 'https://cqr.sh/menu',
        scans: 42,
      },
    },
  });

  it('is the same object from /events and from the webhook, except source', () => {
    const evt = parseWebhookEvent(webhookBody);
    if (evt.event !== 'qrcode.scanned') throw new Error('expected a scan');
    const fromRow = scanEventFromRow(row);
    const fromWebhook = scanEventFromWebhook(evt);
    expect(fromRow.source).toBe('events');
    expect(fromWebhook.source).toBe('webhook');
    expect({ ...fromWebhook, source: 'events' }).toStrictEqual(fromRow);
    expect(fromRow).toStrictEqual({
      id: 'clk_8f2a',
      timestamp: '2026-03-01T10:15:30.250Z',
      qrCodeId: 'qr_1',
      domain: 'cqr.sh',
      key: 'menu',
      shortLink: 'https://cqr.sh/menu',
      url: 'https://example.com/landing',
      country: 'FR',
      city: 'Paris',
      continent: 'EU',
      device: 'Mobile',
      browser: 'Safari',
      os: 'iOS',
      referer: '(direct)',
      ip: '203.0.113.7',
      source: 'events',
    });
    expect(ScanEvent.parse(fromRow)).toStrictEqual(fromRow);
    expect(ScanEvent.parse(fromWebhook)).toStrictEqual(fromWebhook);
  });

  it('fills null for what a row does not say', () => {
    const bare = scanEventFromRow(
      ScanEventRow.parse({ event: 'scan', timestamp: '2026-03-01T10:00:00+01:00', click: { id: 'c1' } }),
    );
    expect(bare).toStrictEqual({
      id: 'c1',
      timestamp: '2026-03-01T09:00:00.000Z',
      qrCodeId: null,
      domain: null,
      key: null,
      shortLink: null,
      url: null,
      country: null,
      city: null,
      continent: null,
      device: null,
      browser: null,
      os: null,
      referer: null,
      ip: null,
      source: 'events',
    });
  });

  it('rejects a webhook event that is not a scan', () => {
    const created = parseWebhookEvent(
      JSON.stringify({
        id: 'evt_1',
        event: 'qrcode.created',
        createdAt: '2026-03-01T10:00:00Z',
        data: { qrcode: { id: 'qr_1', domain: 'cqr.sh', key: 'menu' } },
      }),
    );
    expect(() => scanEventFromWebhook(created as never)).toThrow(/qrcode\.scanned/);
  });
});

describe('selectNewScans: edge cases', () => {
  it('first poll emits nothing and records the newest timestamp with every id at it', () => {
    const list = newestFirst([scan('a', at(0)), scan('b', at(5)), scan('c', at(5)), scan('d', at(3))]);
    const { fresh, cursor } = selectNewScans(list);
    expect(fresh).toEqual([]);
    expect(cursor).toEqual({ since: at(5), idsAtSince: ['b', 'c'] });
  });

  it('first poll with no scans uses now, else the epoch', () => {
    expect(selectNewScans([], null, '2026-03-01T12:00:00+02:00').cursor).toEqual({
      since: '2026-03-01T10:00:00.000Z',
      idsAtSince: [],
    });
    expect(selectNewScans([]).cursor).toEqual({ since: EPOCH_ISO, idsAtSince: [] });
    // With the epoch baseline, everything that shows up later is new.
    expect(ids(selectNewScans([scan('a', at(0))], selectNewScans([]).cursor).fresh)).toEqual(['a']);
  });

  it('emits same-second scans not yet seen, and keeps the earlier ids at that second', () => {
    const first = selectNewScans([scan('a', at(1))]);
    const second = selectNewScans(newestFirst([scan('a', at(1)), scan('b', at(1))]), first.cursor);
    expect(ids(second.fresh)).toEqual(['b']);
    expect(second.cursor).toEqual({ since: at(1), idsAtSince: ['a', 'b'] });
    const third = selectNewScans(newestFirst([scan('a', at(1)), scan('b', at(1)), scan('c', at(1))]), second.cursor);
    expect(ids(third.fresh)).toEqual(['c']);
    expect(third.cursor.idsAtSince).toEqual(['a', 'b', 'c']);
  });

  it('drops duplicates within one poll', () => {
    const { cursor } = selectNewScans([scan('a', at(0))]);
    const result = selectNewScans([scan('b', at(2)), scan('b', at(2)), scan('c', at(1)), scan('c', at(1))], cursor);
    expect(ids(result.fresh)).toEqual(['c', 'b']);
  });

  it('re-polling without new data emits nothing and leaves the cursor unchanged', () => {
    const list = newestFirst([scan('a', at(0)), scan('b', at(3)), scan('c', at(3))]);
    const { cursor } = selectNewScans(list);
    const again = selectNewScans(list, cursor);
    expect(again.fresh).toEqual([]);
    expect(again.cursor).toEqual(cursor);
    expect(selectNewScans([], cursor).cursor).toEqual(cursor);
  });

  it('never moves the cursor backwards', () => {
    const cursor = { since: at(10), idsAtSince: ['x'] };
    const result = selectNewScans([scan('old', at(2)), scan('older', at(1))], cursor);
    expect(result.fresh).toEqual([]);
    expect(result.cursor).toEqual(cursor);
  });

  it('sorts unsorted input oldest first by (timestamp, id)', () => {
    const { cursor } = selectNewScans([scan('z', at(0))]);
    const result = selectNewScans(
      [scan('m', at(2)), scan('b', at(4)), scan('a', at(4)), scan('k', at(1)), scan('q', at(2))],
      cursor,
    );
    expect(ids(result.fresh)).toEqual(['k', 'm', 'q', 'a', 'b']);
    expect(result.cursor).toEqual({ since: at(4), idsAtSince: ['a', 'b'] });
  });

  it('compares timestamps as instants, not strings', () => {
    const cursor = { since: '2026-03-01T10:00:00Z', idsAtSince: [] };
    // Same instant as since, different spelling: a new id at since is fresh.
    expect(ids(selectNewScans([scan('a', '2026-03-01T11:00:00+01:00')], cursor).fresh)).toEqual(['a']);
    // Earlier instant that sorts later as a string: not fresh.
    expect(selectNewScans([scan('b', '2026-03-01T10:30:00+02:00')], cursor).fresh).toEqual([]);
  });

  it('bounds idsAtSince to the 500 most recently seen ids', () => {
    const many = Array.from({ length: 520 }, (_, i) => scan(`s${String(i).padStart(3, '0')}`, at(7)));
    const first = selectNewScans(many);
    expect(first.cursor.idsAtSince).toHaveLength(MAX_IDS_AT_SINCE);
    expect(first.cursor.idsAtSince[0]).toBe('s020');
    expect(ScanCursor.safeParse(first.cursor).success).toBe(true);

    const start = selectNewScans([scan('first', at(7))]);
    const second = selectNewScans([scan('first', at(7)), ...many], start.cursor);
    expect(second.fresh).toHaveLength(520);
    expect(second.cursor.idsAtSince).toHaveLength(MAX_IDS_AT_SINCE);
    expect(second.cursor.idsAtSince.at(-1)).toBe('s519');
    expect(second.cursor.idsAtSince).not.toContain('first');
  });

  it('loses a late scan stamped before the cursor (documented limit)', () => {
    const { cursor } = selectNewScans([scan('a', at(5))]);
    const result = selectNewScans([scan('a', at(5)), scan('late', at(4))], cursor);
    expect(result.fresh).toEqual([]);
  });

  it('a poll truncated to the newest N misses older fresh scans unless it pages past the cursor', () => {
    const { cursor } = selectNewScans([scan('a', at(0))]);
    const all = newestFirst([scan('a', at(0)), scan('b', at(1)), scan('c', at(2)), scan('d', at(3))]);
    const truncated = selectNewScans(all.slice(0, 2), cursor);
    expect(ids(truncated.fresh)).toEqual(['c', 'd']);
    // b is now behind the cursor: lost for good.
    expect(selectNewScans(all, truncated.cursor).fresh).toEqual([]);

    // Paging until reachedCursor: nothing lost.
    const fetched: ScanEvent[] = [];
    for (let page = 0; ; page++) {
      const items = all.slice(page * 2, page * 2 + 2);
      fetched.push(...items);
      if (items.length < 2 || reachedCursor(fetched, cursor, scanKeys)) break;
    }
    expect(ids(selectNewScans(fetched, cursor).fresh)).toEqual(['b', 'c', 'd']);
  });

  it('rejects a stored cursor with an invalid since, and unparseable times', () => {
    expect(() => selectNewScans([], { since: 'yesterday', idsAtSince: [] })).toThrow(/cursor/);
    expect(() => selectNewScans([scan('a', 'soon')])).toThrow(/"a"/);
  });
});

describe('selectNewQrCodes', () => {
  const qr = (id: string, createdAt: string) => ({ id, createdAt, domain: 'cqr.sh', key: id });
  it('shares the contract, keyed on (createdAt, id)', () => {
    const first = selectNewQrCodes([qr('q2', at(2)), qr('q1', at(1))]);
    expect(first.fresh).toEqual([]);
    expect(first.cursor).toEqual({ since: at(2), idsAtSince: ['q2'] });
    const second = selectNewQrCodes([qr('q4', at(3)), qr('q3', at(2)), qr('q2', at(2)), qr('q1', at(1))], first.cursor);
    expect(second.fresh.map((q) => q.id)).toEqual(['q3', 'q4']);
    expect(second.fresh[0]).toEqual(qr('q3', at(2)));
    expect(second.cursor).toEqual({ since: at(3), idsAtSince: ['q4'] });
  });

  it('is the generic selectNew', () => {
    const items = [qr('b', at(1)), qr('a', at(1))];
    const keys = { id: (q: { id: string }) => q.id, time: (q: { createdAt: string }) => q.createdAt };
    expect(selectNew(items, { since: at(0), idsAtSince: [] }, keys)).toEqual(
      selectNewQrCodes(items, { since: at(0), idsAtSince: [] }),
    );
  });
});

/**
 * The model: scans arrive one by one; a scan's timestamp follows a clock that only moves forward, except that a scan
 * may arrive late (stamped up to a few seconds before the clock) but never before the cursor's `since` at the poll
 * that first sees it (the documented assumption). Many scans share a second. Each poll reads the arrived scans one of
 * three ways and hands what it read to `selectNewScans` (sometimes reversed, since order must not matter):
 * - `asc`, what `pollNewScans` does: the scans at or after `since`, oldest first, in pages, at most `maxPages` pages
 *   plus the pages the already-emitted boundary scans take (a larger backlog waits for the next poll);
 * - `desc`: every arrived scan newest first, in pages, until `reachedCursor` or a short page;
 * - `full`: everything at once.
 * Scans that arrived before the first poll are the baseline; every other scan must be emitted exactly once once the
 * polls have drained.
 */
describe('selectNewScans: exactly once (property)', () => {
  type Step =
    | { kind: 'scan'; advance: number; late: number; tie: number }
    | { kind: 'poll'; pageSize: number; reverse: boolean; mode: 'asc' | 'desc' | 'full'; maxPages: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('scan' as const),
        advance: fc.constantFrom(0, 0, 0, 1, 2),
        late: fc.constantFrom(0, 0, 1, 2, 3),
        tie: fc.nat(1000),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('poll' as const),
        pageSize: fc.integer({ min: 1, max: 4 }),
        reverse: fc.boolean(),
        mode: fc.constantFrom('asc' as const, 'asc' as const, 'desc' as const, 'full' as const),
        maxPages: fc.integer({ min: 1, max: 3 }),
      }),
    },
  );

  it('emits every scan after the baseline exactly once, oldest first, never moving the cursor back', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        let clock = 0;
        const arrived: Array<{ scan: ScanEvent; tie: number }> = [];
        let cursor: ScanCursor | undefined;
        let baseline: Set<string> | undefined;
        const emitted = new Map<string, number>();

        const poll = (pageSize: number, reverse: boolean, mode: 'asc' | 'desc' | 'full', maxPages: number) => {
          const byTime = (dir: 1 | -1) => (a: (typeof arrived)[number], b: (typeof arrived)[number]) =>
            dir * (Date.parse(a.scan.timestamp) - Date.parse(b.scan.timestamp)) || a.tie - b.tie;
          let fetched: ScanEvent[] = [];
          if (mode === 'full' || (mode === 'asc' && !cursor)) {
            fetched = arrived.map((entry) => entry.scan);
          } else if (mode === 'asc' && cursor) {
            const since = Date.parse(cursor.since);
            const listing = arrived
              .filter((entry) => Date.parse(entry.scan.timestamp) >= since)
              .sort(byTime(1))
              .map((entry) => entry.scan);
            const budget = maxPages + Math.ceil(cursor.idsAtSince.length / pageSize);
            fetched = listing.slice(0, budget * pageSize);
          } else {
            const listing = [...arrived].sort(byTime(-1)).map((entry) => entry.scan);
            for (let page = 0; ; page++) {
              const items = listing.slice(page * pageSize, (page + 1) * pageSize);
              fetched.push(...items);
              if (items.length < pageSize || reachedCursor(fetched, cursor, scanKeys)) break;
            }
          }
          const before = cursor;
          const result = selectNewScans(reverse ? [...fetched].reverse() : fetched, cursor);
          baseline ??= new Set(arrived.map((entry) => entry.scan.id));
          // the first poll (no cursor yet) only primes: it emits nothing
          expect(before === undefined && result.fresh.length > 0, 'the priming poll emitted').toBe(false);
          for (const s of result.fresh) emitted.set(s.id, (emitted.get(s.id) ?? 0) + 1);
          const times = result.fresh.map((s) => Date.parse(s.timestamp));
          expect(times).toEqual([...times].sort((a, b) => a - b));
          // a later poll never moves the cursor back, and one that emits nothing leaves it as it was
          const since = Date.parse(result.cursor.since);
          expect(before === undefined || since >= Date.parse(before.since), 'the cursor moved back').toBe(true);
          expect(
            before === undefined || result.fresh.length > 0 || isDeepStrictEqual(result.cursor, before),
            'a poll that emitted nothing moved the cursor',
          ).toBe(true);
          expect(ScanCursor.safeParse(result.cursor).success).toBe(true);
          cursor = result.cursor;
          return result.fresh.length;
        };

        steps.forEach((s, index) => {
          if (s.kind === 'poll') {
            poll(s.pageSize, s.reverse, s.mode, s.maxPages);
            return;
          }
          clock += s.advance;
          const floor = cursor ? Date.parse(cursor.since) : Number.NEGATIVE_INFINITY;
          const ms = Math.max(BASE + (clock - s.late) * 1000, floor);
          arrived.push({ scan: scan(`s${index}`, iso(ms)), tie: s.tie });
        });
        // drain: polls the way pollNewScans does until nothing new comes (a backlog takes several)
        poll(3, false, 'asc', 1);
        for (let i = 0; i < 200 && poll(3, false, 'asc', 1) > 0; i++);

        for (const { scan: s } of arrived) {
          expect(emitted.get(s.id) ?? 0, s.id).toBe(baseline?.has(s.id) ? 0 : 1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('diffScanCounts', () => {
  const code = (id: string, scans: number, lastClicked: string | null = null): ScanCountSource => ({
    id,
    scans,
    lastClicked,
    domain: 'cqr.sh',
    key: id,
    url: `https://example.com/${id}`,
  });

  it('first call emits nothing and records the counts', () => {
    const result = diffScanCounts([code('a', 3, at(1)), code('b', 0)], null);
    expect(result.events).toEqual([]);
    expect(result.counts).toEqual({ a: 3, b: 0 });
    expect(diffScanCounts([code('a', 3)], undefined).events).toEqual([]);
  });

  it('emits growth with the difference, least recently scanned first', () => {
    const previous = { a: 3, b: 0 };
    const result = diffScanCounts([code('a', 5, at(9)), code('b', 1, at(4))], previous);
    expect(result.events).toEqual([
      {
        id: 'b:1',
        qrCodeId: 'b',
        previousScans: 0,
        scans: 1,
        newScans: 1,
        lastScannedAt: at(4),
        domain: 'cqr.sh',
        key: 'b',
        shortLink: 'https://cqr.sh/b',
        url: 'https://example.com/b',
      },
      expect.objectContaining({ id: 'a:5', previousScans: 3, scans: 5, newScans: 2, lastScannedAt: at(9) }),
    ]);
    expect(result.counts).toEqual({ a: 5, b: 1 });
  });

  it('treats a code unseen before as new with previousScans 0 only once previous exists', () => {
    const result = diffScanCounts([code('a', 3, at(1)), code('new', 2, at(2))], { a: 3 });
    expect(result.events).toEqual([
      expect.objectContaining({ id: 'new:2', qrCodeId: 'new', previousScans: 0, newScans: 2 }),
    ]);
    expect(diffScanCounts([code('new', 2, at(2))], {}).events).toHaveLength(1);
  });

  it('records a reset without an event, and keeps codes missing from this page', () => {
    const result = diffScanCounts([code('a', 1, at(5))], { a: 7, gone: 4 });
    expect(result.events).toEqual([]);
    expect(result.counts).toEqual({ gone: 4, a: 1 });
    expect(diffScanCounts([code('a', 1, at(5))], { a: 1 }).events).toEqual([]);
  });

  it('ignores inherited or malformed stored entries', () => {
    const result = diffScanCounts([code('constructor', 2, at(1))], JSON.parse('{"x": "nope"}'));
    expect(result.events).toEqual([expect.objectContaining({ id: 'constructor:2', previousScans: 0 })]);
    expect(result.counts).toEqual({ constructor: 2 });
  });

  it('bounds the map, dropping zero counts, then absent codes, then the least recently scanned', () => {
    const result = diffScanCounts(
      [code('z', 0), code('old', 5, at(1)), code('mid', 5, at(2)), code('new', 5, at(3))],
      {
        absent: 9,
      },
      { max: 3 },
    );
    expect(result.counts).toEqual({ old: 5, mid: 5, new: 5 });
    expect(
      Object.keys(diffScanCounts([code('old', 5, at(1)), code('new', 5, at(3))], null, { max: 1 }).counts),
    ).toEqual(['new']);
    const many = Array.from({ length: 6000 }, (_, i) => code(`q${i}`, 1, at(i)));
    const big = diffScanCounts(many, null).counts;
    expect(Object.keys(big)).toHaveLength(5000);
    expect(big.q5999).toBe(1);
    expect(big.q999).toBeUndefined();
  });

  it('sums to the growth since the first call across any sequence of increments (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(3), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }),
        (rounds) => {
          const scans = [0, 0, 0];
          let previous: Record<string, number> | null = null;
          let first: number[] | undefined;
          const total = [0, 0, 0];
          rounds.forEach((increments, round) => {
            increments.forEach((n, i) => {
              scans[i] = (scans[i] ?? 0) + n;
            });
            const current = scans.map((n, i) => code(`q${i}`, n, n > 0 ? at(round) : null));
            const result = diffScanCounts(current, previous);
            first ??= [...scans];
            for (const event of result.events) {
              const i = Number(event.qrCodeId.slice(1));
              total[i] = (total[i] ?? 0) + event.newScans;
            }
            previous = result.counts;
          });
          expect(total).toEqual(scans.map((n, i) => n - (first?.[i] ?? 0)));
        },
      ),
    );
  });
});

describe('diffScanCounts with knownBefore', () => {
  const code = (id: string, scans: number, createdAt: string) => ({
    id,
    scans,
    lastClicked: '2026-03-02T00:00:00.000Z',
    domain: 'codeqr.link',
    key: id,
    url: null,
    createdAt,
  });

  it('records an untracked code that existed when counting started, and emits a new one from zero', () => {
    const diff = diffScanCounts(
      [code('old', 400, '2026-01-01T00:00:00.000Z'), code('new', 3, '2026-03-01T12:00:00.000Z')],
      {},
      { knownBefore: '2026-03-01T00:00:00.000Z' },
    );
    expect(diff.events.map((e) => [e.qrCodeId, e.newScans])).toEqual([['new', 3]]);
    expect(diff.counts).toMatchObject({ old: 400, new: 3 });
  });

  it('without knownBefore a code missing from previous counts from zero (as before)', () => {
    const diff = diffScanCounts([code('old', 400, '2026-01-01T00:00:00.000Z')], {});
    expect(diff.events[0]).toMatchObject({ previousScans: 0, newScans: 400 });
  });
});
