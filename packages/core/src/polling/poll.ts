import * as z from 'zod/v4';
import { schemaIssues } from '../client/validate.ts';
import type { CodeQrClient } from '../create-client.ts';
import { CodeQrError } from '../errors.ts';
import type { ListQrCodesFilters } from '../qrcodes/qrcodes.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { diffScanCounts, MAX_TRACKED_COUNTS, type ScanCountEvent, ScanCounts } from './counts.ts';
import { EPOCH_ISO, qrCodeKeys, ScanCursor, type SelectKeys, scanKeys } from './cursor.ts';
import {
  advanceCursor,
  IDS_KEPT_AT_SINCE,
  type ListingSource,
  listingStart,
  type PositionalListing,
} from './listing.ts';
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

/** How far behind "now" the scan and QR-code polls read, by default. */
export const DEFAULT_SETTLE_MS = 2000;

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

/** A cursor read back from the host's storage: validated, or a clear error telling how to recover. */
function readStoredCursor<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const { issues, data } = schemaIssues(schema, raw, 'cursor');
  if (issues.length > 0) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `The stored ${what} cursor is not valid; reset the trigger to start over from now.`,
      issues,
    });
  }
  return data;
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

export interface PollQrCodesResult {
  qrCodes: QrCode[];
  cursor: ScanCursor;
  truncated: boolean;
  primed: boolean;
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

const settleMs = (options: { settleMs?: number }) => Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS);

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

/**
 * The QR codes created in a closed window, oldest first, addressed by position: CodeQR lists newest first, so a
 * position counts from the window's oldest end (`total` from `GET /qrcodes/count`), which codes created later cannot
 * shift.
 */
async function qrCodesListing(
  client: CodeQrClient,
  window: Omit<ListQrCodesFilters, 'sort' | 'page' | 'limit'>,
  pageSize: number,
): Promise<PositionalListing<QrCode>> {
  const total = await client.qrcodes.count(window);
  return {
    async read(from) {
      if (from >= total) return { start: total, rows: [], end: true };
      const page = Math.floor((total - 1 - from) / pageSize) + 1;
      const rows = await client.qrcodes.list({ ...window, sort: 'createdAt', page, pageSize });
      return { start: Math.max(0, total - (page - 1) * pageSize - rows.length), rows: rows.reverse(), end: page === 1 };
    },
  };
}

/**
 * One poll of a "new QR code" trigger. The first poll primes the cursor after the newest code's millisecond (however
 * many codes share it). Later polls read the closed window `[since, now - settleMs]` (`createdAfter`/`createdBefore`,
 * so codes created meanwhile cannot shift the offsets) from its oldest end, at most `maxPages` pages of new codes: a
 * larger backlog, a burst of codes sharing one millisecond included, is emitted oldest first over several polls
 * (`truncated` says more is waiting), never skipped and never repeated (see `advanceCursor`). Deleted codes: a window
 * read to its end closes the cursor's millisecond (no positions left to shift); a poll stopped inside one stores the
 * codes counted at and before `since` (`countAtSince`, `countBefore`), and the next poll steps back by the codes
 * deleted since (a code deleted before it was emitted may be missed; up to 100 deleted there, nothing repeats).
 */
export async function pollNewQrCodes(
  client: CodeQrClient,
  options: {
    filters?: Omit<ListQrCodesFilters, 'sort' | 'page' | 'limit' | 'createdAfter' | 'createdBefore'>;
    maxPages?: number;
    pageSize?: number;
    /** This machine's clock (for tests). */
    now?: () => string;
    /**
     * How far behind "now" the window ends (default 2 s): a code created while a poll pages through the window could
     * otherwise shift the offsets under it (also when this machine's clock runs ahead of CodeQR's). Codes newer than
     * the window's end come with the next poll.
     */
    settleMs?: number;
  } = {},
  rawCursor?: unknown,
): Promise<PollQrCodesResult> {
  const maxPages = options.maxPages ?? 10;
  const pageSize = options.pageSize ?? 100;
  const nowIso = options.now?.() ?? new Date().toISOString();
  const previous = readStoredCursor(ScanCursor, rawCursor, 'QR-code');
  const scope = scopeOf(options.filters ?? {});
  if (!previous) {
    const newest = await client.qrcodes.list({ ...options.filters, sort: 'createdAt', page: 1, pageSize });
    const primed = primeCursor(newest, qrCodeKeys, pageSize);
    return { qrCodes: [], cursor: { ...primed, scope }, truncated: false, primed: true };
  }
  // each listing reads from 1 ms before its start, whether CodeQR's createdAfter is inclusive or not
  const closedBefore = parseTime(nowIso) - settleMs(options);
  const createdBefore = isoFromMs(closedBefore);
  const source: ListingSource<QrCode> = {
    open: (start) =>
      qrCodesListing(
        client,
        { ...options.filters, createdAfter: isoFromMs(parseTime(start) - 1), createdBefore },
        pageSize,
      ),
    requestedFrom: (start) => parseTime(start) - 1,
  };
  const { countAtSince, countBefore, ...from } = inScope(previous, scope, pageSize);
  // codes deleted since the cursor was stored, at `since` and before it: the counted positions move back by that many
  const stepBack = {
    done: countAtSince === undefined ? 0 : Math.max(0, countAtSince - (await countAt(client, options.filters, from))),
    skip:
      countBefore === undefined ? 0 : Math.max(0, countBefore - (await countBeforeOf(client, options.filters, from))),
  };
  // QR codes can be deleted: the remembered ids are re-read, so deletions before the position shift nothing past it;
  // a window read to its end closes the millisecond at `since` (nothing is counted by position past a complete one)
  const { fresh, cursor, truncated } = await advanceCursor(source, from, qrCodeKeys, {
    maxPages,
    pageSize,
    rereadIds: true,
    closedBefore,
    stepBack,
  });
  // a cursor that counts positions remembers how many codes they span, to see deletions next time (only once `since`
  // is settled: before that, codes created at it would hide deleted ones)
  const settledSince = parseTime(cursor.since) < closedBefore;
  const counted = cursor.doneAtSince !== undefined || cursor.idsAtSince.length >= pageSize;
  const held = {
    ...(counted && settledSince ? { countAtSince: await countAt(client, options.filters, cursor) } : {}),
    ...((cursor.skip ?? 0) > 0 ? { countBefore: await countBeforeOf(client, options.filters, cursor) } : {}),
  };
  return { qrCodes: fresh, cursor: { ...cursor, ...held, scope }, truncated, primed: false };
}

/** How many QR codes (of `filters`) were created in the cursor's millisecond. */
function countAt(client: CodeQrClient, filters: object | undefined, cursor: ScanCursor): Promise<number> {
  const ms = parseTime(cursor.since);
  return client.qrcodes.count({ ...filters, createdAfter: isoFromMs(ms - 1), createdBefore: isoFromMs(ms + 1) });
}

/** How many QR codes (of `filters`) the cursor's listing holds before `since` (from 1 ms before where it starts). */
function countBeforeOf(client: CodeQrClient, filters: object | undefined, cursor: ScanCursor): Promise<number> {
  return client.qrcodes.count({
    ...filters,
    createdAfter: isoFromMs(parseTime(listingStart(cursor)) - 1),
    createdBefore: cursor.since,
  });
}

/**
 * A short fingerprint (FNV-1a, 8 hex digits) of a poll's filters, stored in its cursor: the positions a cursor
 * counts (`skip`, `doneAtSince`) belong to the listing of those filters. Lists are compared as sets.
 */
function scopeOf(filters: object): string {
  const text = JSON.stringify(filters, (_, value) =>
    Array.isArray(value) ? [...value].map(String).sort() : (value ?? undefined),
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The cursor to read the listing of `scope` with. One counted with other filters (the user picked another QR code or
 * folder; some hosts keep the stored cursor then) carries over only its time and ids: every item after `since` is
 * read, and of those at `since` the ones not remembered by id may be emitted, nothing is skipped. A cursor without a
 * scope (older versions) is taken as it is.
 */
function inScope(cursor: ScanCursor, scope: string, pageSize: number): ScanCursor {
  const { scope: counted, ...rest } = cursor;
  if (counted === undefined || counted === scope) return rest;
  // fewer ids than a page: the millisecond at `since` is re-read whole and ids decide
  const ids = pageSize > 1 ? rest.idsAtSince.slice(-(pageSize - 1)) : [];
  return { since: rest.since, idsAtSince: ids };
}

/**
 * The first cursor, from the newest page (newest first): everything up to the newest item is the baseline. When the
 * page holds the newest item's whole millisecond (it ends older or short) and its ids fit the cursor, the cursor sits
 * at that millisecond with those ids, so an item stamped with it that shows up later is still emitted; otherwise (a
 * burst larger than the page or the id bound) it sits 1 ms after, so none of the burst is ever emitted. An empty
 * project starts from the epoch, not from this machine's "now": a clock ahead of CodeQR's would skip the first items.
 */
function primeCursor<T>(newestFirst: readonly T[], keys: SelectKeys<T>, pageSize: number): ScanCursor {
  const times = newestFirst.map((item) => parseTime(toIsoTime(keys.time(item), 'time')));
  const newest = Math.max(...times);
  if (newestFirst.length === 0 || !Number.isFinite(newest)) return { since: EPOCH_ISO, idsAtSince: [] };
  const atNewest = newestFirst.filter((_, i) => times[i] === newest).map(keys.id);
  const whole = newestFirst.length < pageSize || times.some((ms) => ms < newest);
  if (whole && atNewest.length <= IDS_KEPT_AT_SINCE)
    return { since: isoFromMs(newest), idsAtSince: [...new Set(atNewest)] };
  return { since: isoFromMs(newest + 1), idsAtSince: [] };
}
