import * as z from 'zod/v4';
import { CodeQrError } from '../errors.ts';
import type { ScanEvent } from './scan-event.ts';
import { isoFromMs, parseTime, toIsoTime } from './time.ts';

/** At most this many ids are remembered for the cursor's exact timestamp. */
export const MAX_IDS_AT_SINCE = 500;
/** `since` of a first cursor when the first poll saw nothing and no `now` was given. */
export const EPOCH_ISO = '1970-01-01T00:00:00.000Z';

const IsoTime = z.string().refine((value) => !Number.isNaN(parseTime(value)), 'must be an ISO 8601 date-time');

/**
 * Where a polling trigger stands: everything strictly before `since` has been handled, and at `since` exactly the
 * items in `idsAtSince`, or, when `doneAtSince` is set, the first `doneAtSince` items of that millisecond in the
 * listing's order (the last ones read of them by id). `skip` and `start` say where the listing the poll reads begins
 * (see `advanceCursor`). Persist it between polls (it is plain JSON, a few kilobytes at most whatever the burst) and
 * re-validate it with `ScanCursor.parse` when reading it back. Shared by the scan and the new-QR-code triggers.
 */
export const ScanCursor = z.object({
  since: IsoTime,
  idsAtSince: z.array(z.string()).max(MAX_IDS_AT_SINCE),
  doneAtSince: z.number().int().nonnegative().optional(),
  skip: z.number().int().nonnegative().optional(),
  start: IsoTime.optional(),
  /**
   * A fingerprint of the filters the cursor was counted with (`skip` and `doneAtSince` are positions in that
   * listing); read with other filters, only `since` and the ids carry over. Absent in cursors of older versions.
   */
  scope: z.string().max(64).optional(),
  /**
   * `newScan` only: the page size of the next poll's first read, doubled (up to 1,000) by each poll that found
   * nothing after `since`: CodeQR drops the scans of deleted QR codes from a page after paging, so a page can come
   * back empty with scans behind it, and a wider read gets past any such run. Absent once a read finds something.
   */
  reach: z.number().int().positive().max(1000).optional(),
  /**
   * `newQrCode` only: how many codes the millisecond at `since` held when a poll stopped with a position counted in
   * it. The next poll counts them again: each one deleted since moves the counted position back by one (its rows are
   * then decided by id), so a deleted code never shifts a new one under the position. Absent in cursors of older
   * versions (no step back) and while `since` is not settled yet (codes may still be created at it).
   */
  countAtSince: z.number().int().nonnegative().optional(),
  /** `newQrCode` only: how many codes its listing held before `since` (the rows `skip` counts), for the same use. */
  countBefore: z.number().int().nonnegative().optional(),
});
export type ScanCursor = z.infer<typeof ScanCursor>;

/** How `selectNew` reads an item: its unique id and its ISO time (compared as `Date.parse` numbers). */
export interface SelectKeys<T> {
  id: (item: T) => string;
  time: (item: T) => string;
}

export interface SelectResult<T> {
  /** New items, oldest first (by time, then id). */
  fresh: T[];
  /** The cursor to store for the next poll. Never earlier than the one passed in. */
  cursor: ScanCursor;
}

export const scanKeys: SelectKeys<ScanEvent> = { id: (scan) => scan.id, time: (scan) => scan.timestamp };
export const qrCodeKeys: SelectKeys<{ id: string; createdAt: string }> = {
  id: (qr) => qr.id,
  time: (qr) => qr.createdAt,
};

interface Keyed<T> {
  item: T;
  id: string;
  ms: number;
}

/** A stored cursor's `since` in epoch ms; a cursor whose `since` is no date-time is refused, never read as 0. */
export function cursorSinceMs(cursor: { since: string }): number {
  const sinceMs = parseTime(cursor.since);
  if (Number.isNaN(sinceMs)) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `The stored cursor is invalid: since ${JSON.stringify(cursor.since)} is not an ISO 8601 date-time`,
      issues: [{ field: 'cursor.since', message: 'must be an ISO 8601 date-time' }],
    });
  }
  return sinceMs;
}

/** Unique by id (first occurrence wins), oldest first by (time, id). */
function sortUnique<T>(items: readonly T[], keys: SelectKeys<T>): Keyed<T>[] {
  const byId = new Map<string, Keyed<T>>();
  for (const item of items) {
    const id = keys.id(item);
    if (byId.has(id)) continue;
    const time = keys.time(item);
    const ms = parseTime(time);
    if (Number.isNaN(ms)) {
      throw new CodeQrError({
        code: 'validation_error',
        message: `Item ${JSON.stringify(id)} has no valid time: ${JSON.stringify(time)} is not an ISO 8601 date-time`,
        issues: [{ field: 'time', message: 'must be an ISO 8601 date-time' }],
      });
    }
    byId.set(id, { item, id, ms });
  }
  return [...byId.values()].sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Ids of the (sorted) entries at `ms`, in their order. */
function idsAt<T>(sorted: readonly Keyed<T>[], ms: number): string[] {
  return sorted.filter((entry) => entry.ms === ms).map((entry) => entry.id);
}

/** The last `MAX_IDS_AT_SINCE` ids: the most recently seen are kept. */
const bound = (ids: string[]): string[] => ids.slice(-MAX_IDS_AT_SINCE);

/**
 * The items a polling trigger has not emitted yet, and the cursor to store. `items` is what one poll fetched (the
 * API's newest-first list; any order is accepted, duplicates by id are dropped).
 *
 * - No cursor (first poll): emits nothing and records the newest time and every id at it as the baseline. With no
 *   items at all, `since` is `now` when given, else the epoch (the safe default: with `now`, a scan stamped before
 *   `now` that shows up later, e.g. through clock skew or ingestion lag, is never emitted).
 * - With a cursor: emits items after `since`, or at `since` and not in `idsAtSince`. The cursor moves to the newest
 *   emitted time (never backwards); `idsAtSince` holds the ids at that time (merged with the previous ones when the
 *   time did not move), at most `MAX_IDS_AT_SINCE`, keeping the most recently seen.
 *
 * Exactly-once guarantee: every item the API reports is emitted once, provided that (1) each poll passes every item
 * at or after the cursor's `since` (page until `reachedCursor` says so or the list ends: a poll truncated to the
 * newest N items silently loses the older fresh ones), (2) an item that appears late is never stamped before the
 * cursor's `since` at the poll that first sees it (late items stamped earlier are skipped for good), and (3) at most
 * `MAX_IDS_AT_SINCE` items share the cursor's exact millisecond (beyond that, older ids are forgotten and may be
 * emitted again: duplicates, never losses). Items present at the first poll are the baseline and never emitted.
 */
export function selectNew<T>(
  items: readonly T[],
  cursor: ScanCursor | null | undefined,
  keys: SelectKeys<T>,
  now?: string,
): SelectResult<T> {
  const sorted = sortUnique(items, keys);
  const newest = sorted.at(-1);

  if (!cursor) {
    if (!newest) return { fresh: [], cursor: { since: toIsoTime(now ?? EPOCH_ISO, 'now'), idsAtSince: [] } };
    return { fresh: [], cursor: { since: isoFromMs(newest.ms), idsAtSince: bound(idsAt(sorted, newest.ms)) } };
  }

  const sinceMs = cursorSinceMs(cursor);
  const known = new Set(cursor.idsAtSince);
  const fresh = sorted.filter((entry) => entry.ms > sinceMs || (entry.ms === sinceMs && !known.has(entry.id)));
  const newestFresh = fresh.at(-1);
  if (!newestFresh) return { fresh: [], cursor: { since: cursor.since, idsAtSince: [...cursor.idsAtSince] } };

  const moved = newestFresh.ms > sinceMs;
  const idsAtSince = moved ? idsAt(fresh, newestFresh.ms) : [...cursor.idsAtSince, ...idsAt(fresh, newestFresh.ms)];
  return {
    fresh: fresh.map((entry) => entry.item),
    cursor: { since: moved ? isoFromMs(newestFresh.ms) : cursor.since, idsAtSince: bound(idsAtSince) },
  };
}

/**
 * Whether a newest-first listing has been paged far enough for `selectNew` to see every fresh item: true once
 * `fetched` (all pages so far) holds an item strictly older than the cursor's `since` (with no cursor: strictly
 * older than the newest fetched item, so the whole baseline timestamp is covered). Also stop on a short page (end
 * of the list). Offset pages shifted by scans arriving mid-paging only repeat items, which `selectNew` drops.
 */
export function reachedCursor<T>(
  fetched: readonly T[],
  cursor: ScanCursor | null | undefined,
  keys: Pick<SelectKeys<T>, 'time'>,
): boolean {
  let newestMs = Number.NEGATIVE_INFINITY;
  let oldestMs = Number.POSITIVE_INFINITY;
  for (const item of fetched) {
    const ms = parseTime(keys.time(item));
    if (Number.isNaN(ms)) continue;
    newestMs = Math.max(newestMs, ms);
    oldestMs = Math.min(oldestMs, ms);
  }
  if (!cursor) return oldestMs < newestMs;
  return oldestMs < parseTime(cursor.since);
}

/** New scans since `cursor` (see `selectNew`), oldest first; `newestFirst` is what `GET /events` returned. */
export function selectNewScans(
  newestFirst: readonly ScanEvent[],
  cursor?: ScanCursor | null,
  now?: string,
): SelectResult<ScanEvent> {
  return selectNew(newestFirst, cursor, scanKeys, now);
}

/** QR codes created since `cursor` (see `selectNew`), keyed on (`createdAt`, `id`), oldest first. */
export function selectNewQrCodes<T extends { id: string; createdAt: string }>(
  newestFirst: readonly T[],
  cursor?: ScanCursor | null,
  now?: string,
): SelectResult<T> {
  return selectNew(newestFirst, cursor, qrCodeKeys, now);
}
