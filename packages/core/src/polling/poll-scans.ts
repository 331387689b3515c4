import * as z from 'zod/v4';
import type { CodeQrClient } from '../create-client.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { diffScanCounts, MAX_TRACKED_COUNTS, type ScanCountEvent, ScanCounts } from './counts.ts';
import { ScanCursor, scanKeys } from './cursor.ts';
import { advanceCursor } from './listing.ts';
import { type ListingSource, listingStart, type PositionalListing } from './listing-types.ts';
import { inScope, primeCursor, readStoredCursor, scopeOf, settleMs } from './poll-cursors.ts';
import { type ScanEvent, scanEventFromRow } from './scan-event.ts';
import { isoFromMs, parseTime, toIsoTime } from './time.ts';

/**
 * The state a scan trigger stores between polls (plain JSON). `events` strategy: the (timestamp, ids) cursor over
 * `/events`. `counts` strategy (plans without `/events`): the last seen scan count per QR code.
 */
export const ScanPollCursor = z.discriminatedUnion('strategy', [
  ScanCursor.extend({ strategy: z.literal('events') }),
  z.object({
    strategy: z.literal('counts'),
    /** Newest `lastClicked` read so far: codes last scanned before it cannot have grown. */
    since: z.string().nullable(),
    counts: ScanCounts,
    /** When counting started (the first poll). */
    primedAt: z.string().optional(),
    /** A pass over the codes that `maxPages` cut short: where the next poll continues, and its newest scan. */
    resume: z
      .object({
        page: z.number().int().min(2),
        newest: z.string().nullable(),
        /** The settle bound (now - settleMs) of the poll that started the pass; absent in older cursors. */
        settled: z.string().optional(),
        /**
         * How many codes created before `countedAt` there were when the previous poll of the pass ended: counted again
         * with the same bound, the difference is the codes deleted since (they move the codes after them up a page).
         */
        total: z.number().int().nonnegative().optional(),
        countedAt: z.string().optional(),
      })
      .optional(),
  }),
]);
export type ScanPollCursor = z.infer<typeof ScanPollCursor>;

export interface PollScansOptions {
  /** Only scans of this QR code. */
  qrCodeId?: string;
  /** `events`: one item per scan (Business plan and up). `counts`: one item per QR code whose count grew. */
  strategy: 'events' | 'counts';
  /** Pages read per poll at most (default 10); a larger backlog drains over the next polls. */
  maxPages?: number;
  pageSize?: number;
  /** This machine's clock (for tests). */
  now?: () => string;
  /**
   * How far behind "now" a poll reads (default 2 s; `counts`: how far back codes are read again). CodeQR's scan
   * events come from an analytics store where a scan shows up a moment after its timestamp; a poll that read up to
   * "now" would move the cursor past scans that are stamped before it but not visible yet, and lose them. Scans newer
   * than that come with the next poll.
   */
  settleMs?: number;
}

export interface PollScansResult {
  /** New scans, oldest first (`events` strategy). */
  scans: ScanEvent[];
  /** QR codes whose scan count grew (`counts` strategy). */
  changes: ScanCountEvent[];
  cursor: ScanPollCursor;
  /** More was waiting than `maxPages` allowed; the rest comes with the next poll. */
  truncated: boolean;
  /** True on the first poll: the cursor was primed and nothing emitted. */
  primed: boolean;
}

function readCursor(raw: unknown, strategy: 'events' | 'counts'): ScanPollCursor | undefined {
  const cursor = readStoredCursor(ScanPollCursor, raw, 'scan');
  // switching strategy starts over from now rather than replaying history
  return cursor?.strategy === strategy ? cursor : undefined;
}

/**
 * One poll of a "new scan" trigger. `events` reads `/events?event=scans` oldest-first from the cursor's position
 * (`advanceCursor`), so a backlog drains in order over polls and every scan is emitted once, however many share a
 * millisecond, up to `settleMs` before now (`end`), so a scan that shows up a moment after its timestamp is not
 * skipped; `counts` diffs `scans` per QR code from `GET /qrcodes?sort=lastClicked`. The first poll only primes the
 * cursor (nothing that exists then is ever emitted). The cursor carries a `scope` (the QR-code filter): read with
 * another one, only its time and ids carry over.
 */
export async function pollNewScans(
  client: CodeQrClient,
  options: PollScansOptions,
  rawCursor?: unknown,
): Promise<PollScansResult> {
  const maxPages = options.maxPages ?? 10;
  const pageSize = options.pageSize ?? 100;
  const cursor = readCursor(rawCursor, options.strategy);

  if (options.strategy === 'events') {
    const previous = cursor?.strategy === 'events' ? cursor : undefined;
    const scope = scopeOf({ qrCodeId: options.qrCodeId });
    if (!previous) {
      const newestPage = (limit: number) =>
        client.events.list({
          event: 'scans',
          qrcodeId: options.qrCodeId,
          interval: 'all',
          order: 'desc',
          page: 1,
          limit,
        });
      // CodeQR drops deleted QR codes' scans from a page after paging: an empty page is read again as wide as it
      // goes before the cursor starts from the epoch, and a short page does not prove it holds its whole millisecond
      let newest = await newestPage(pageSize);
      if (newest.length === 0 && pageSize < MAX_EVENTS_LIMIT) newest = await newestPage(MAX_EVENTS_LIMIT);
      const primedAt = primeCursor(newest.map(scanEventFromRow), scanKeys, 0);
      return {
        scans: [],
        changes: [],
        cursor: { strategy: 'events', ...primedAt, scope },
        truncated: false,
        primed: true,
      };
    }
    const { strategy: _strategy, reach, ...stored } = previous;
    const settled = parseTime(toIsoTime(options.now?.() ?? new Date().toISOString(), 'now')) - settleMs(options);
    const from = inScope(stored, scope, pageSize);
    // a cursor right after a complete millisecond (nothing done at `since`) reads its listing `reach` rows a page
    const first = from.idsAtSince.length === 0 && !from.doneAtSince ? listingStart(from) : undefined;
    const wide = readingWidth(from, pageSize, reach);
    const source: ListingSource<ScanEvent> = {
      open: (start) => eventsListing(client, options.qrCodeId, start, start === first ? wide : pageSize, settled),
      requestedFrom: parseTime,
    };
    const result = await advanceCursor(source, from, scanKeys, {
      maxPages,
      pageSize,
      dropsAfterPaging: true,
      closeSpan: 0,
    });
    // nothing found after a complete millisecond: the next poll reads twice as far (an empty page may hide scans
    // behind a run of deleted QR codes' scans; the API drops those after paging)
    const idle =
      first !== undefined &&
      result.fresh.length === 0 &&
      !result.truncated &&
      result.cursor.since === from.since &&
      parseTime(from.since) <= settled;
    const grown = idle ? Math.min(MAX_EVENTS_LIMIT, 2 * Math.max(pageSize, reach ?? 0)) : undefined;
    return {
      scans: result.fresh,
      changes: [],
      cursor: { strategy: 'events', ...result.cursor, scope, ...(grown ? { reach: grown } : {}) },
      truncated: result.truncated,
      primed: false,
    };
  }

  const previous = cursor?.strategy === 'counts' ? cursor : undefined;
  const current: QrCode[] = [];
  let truncated = false;
  let resume: { page: number; newest: string | null; settled?: string; total?: number; countedAt?: string } | undefined;
  const passStart = isoFromMs(
    parseTime(toIsoTime(options.now?.() ?? new Date().toISOString(), 'now')) - settleMs(options),
  );
  const later = (a: string | null, b: string | null) =>
    a === null || (b !== null && Date.parse(b) > Date.parse(a)) ? b : a;
  let newest = previous?.resume?.newest ?? null;
  if (options.qrCodeId) {
    current.push(await client.qrcodes.get({ id: options.qrCodeId }));
  } else {
    // A pass over the codes, most recently scanned first, may span several polls: it resumes at the page where
    // `maxPages` stopped it. Scans move codes to the top, which only repeats codes ahead; codes deleted from the pages
    // already read move the next ones up into them, so the pass goes back one page, plus one per page of codes deleted
    // since its previous poll (counted, `total`), and reads those pages again (counts make a repeat emit nothing).
    const stored = previous?.resume;
    const codesBefore = (at: string) => client.qrcodes.count({ showArchived: true, createdBefore: at });
    const deleted =
      stored?.total === undefined || stored.countedAt === undefined
        ? 0
        : Math.max(0, stored.total - (await codesBefore(stored.countedAt)));
    const startPage = stored ? Math.max(1, stored.page - 1 - Math.ceil(deleted / pageSize)) : 1;
    const overlap = stored ? stored.page - startPage : 0;
    const list = client.qrcodes.list({ sort: 'lastClicked', page: startPage, pageSize, showArchived: true });
    const sinceMs = previous?.since ? Date.parse(previous.since) : Number.NEGATIVE_INFINITY;
    // the first poll reads enough pages to know every code's count (as many as the count map may hold)
    const budget = previous ? maxPages + overlap : Math.ceil(MAX_TRACKED_COUNTS / pageSize);
    let pages = 0;
    outer: for await (const page of list.pages()) {
      for (const qr of page) {
        // codes last scanned before the previous pass cannot have grown
        if (previous && (!qr.lastClicked || Date.parse(qr.lastClicked) < sinceMs)) break outer;
        current.push(qr);
        newest = later(newest, qr.lastClicked);
      }
      if (++pages >= budget) {
        truncated = page.length === pageSize;
        break;
      }
    }
    if (truncated && previous) resume = { page: startPage + pages, newest };
    const started = previous?.resume?.settled ?? passStart;
    if (resume && started) resume.settled = started;
    if (resume) {
      const countedAt = toIsoTime(options.now?.() ?? new Date().toISOString(), 'now');
      resume.total = await codesBefore(countedAt);
      resume.countedAt = countedAt;
    }
  }
  const primedAt = previous?.primedAt ?? toIsoTime(options.now?.() ?? new Date().toISOString(), 'now');
  const diff = diffScanCounts(current, previous?.counts ?? null, { knownBefore: previous ? primedAt : null });
  // `since` moves only when a pass is complete, so the codes a cut-short pass did not reach are read next time; and
  // never past `settleMs` ago, so a scan recorded a moment after its time is read even if a later one was seen first
  // (codes scanned since then are read again: their counts did not grow, nothing repeats)
  // a pass that spans several polls is capped at the settle bound of the poll that started it: a scan that shows up
  // between those polls, stamped up to `settleMs` before it, belongs to a code the next pass must read again
  const settled =
    previous?.resume?.settled ??
    isoFromMs(parseTime(toIsoTime(options.now?.() ?? new Date().toISOString(), 'now')) - settleMs(options));
  const capped = newest !== null && parseTime(newest) > parseTime(settled) ? settled : newest;
  const since = resume ? (previous?.since ?? null) : later(previous?.since ?? null, capped);
  return {
    scans: [],
    changes: diff.events,
    cursor: { strategy: 'counts', since, counts: diff.counts, primedAt, ...(resume ? { resume } : {}) },
    truncated,
    primed: !previous,
  };
}

/**
 * How many rows a page of the cursor's own listing holds: `reach` (at most 1,000, at least `pageSize`), or less so
 * that the rows a page starts with before the cursor's position are among the ones it remembers by id (a row there is
 * then never emitted again); `pageSize` when no such width exists (a millisecond with more done rows than ids).
 */
function readingWidth(cursor: ScanCursor, pageSize: number, reach: number | undefined): number {
  const target = Math.min(MAX_EVENTS_LIMIT, Math.max(pageSize, reach ?? 0));
  if (cursor.doneAtSince === undefined) return target; // every done row at `since` is known by id
  const skip = cursor.skip ?? 0;
  const position = skip + cursor.doneAtSince;
  for (let width = target; width > pageSize; width--) {
    if (position - Math.max(skip, position - (position % width)) <= cursor.idsAtSince.length) return width;
  }
  return pageSize;
}

/** The largest `limit` CodeQR's `/events` takes. */
const MAX_EVENTS_LIMIT = 1000;

/**
 * `GET /events?event=scans` from `start` to `settled` (ms), oldest first, addressed by position. Rows newer than
 * `settled` are cut here too (CodeQR may widen `end`: Dub's code rounds it up to the end of the day), so the listing
 * ends at `settled` whatever the API does with `end`; a listing that starts after it reads nothing.
 */
function eventsListing(
  client: CodeQrClient,
  qrCodeId: string | undefined,
  start: string,
  pageSize: number,
  settled: number,
): PositionalListing<ScanEvent> {
  return {
    async read(from) {
      const page = Math.floor(from / pageSize) + 1;
      if (parseTime(start) > settled) return { start: from, rows: [], end: true };
      const rows = await client.events.list({
        event: 'scans',
        qrcodeId: qrCodeId,
        start,
        end: isoFromMs(settled),
        order: 'asc',
        page,
        limit: pageSize,
      });
      const scans = rows.map(scanEventFromRow);
      const cut = scans.findIndex((scan) => parseTime(scan.timestamp) > settled);
      // Dub's `/events` drops the rows of deleted links after paging: a short or even empty page does not prove the
      // end of the listing, a row past `settled` does (`advanceCursor` takes an empty page as the end of this poll)
      return {
        start: (page - 1) * pageSize,
        rows: cut < 0 ? scans : scans.slice(0, cut),
        end: cut >= 0,
        span: pageSize,
      };
    },
  };
}
