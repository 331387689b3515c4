import type { ScanCursor } from './cursor.ts';

/** What `advanceCursor` reads (a positional listing, and where a cursor's starts), how, and what it answers. */

/**
 * At most this many ids at the cursor's millisecond are stored (the newest ones read); the rest of that millisecond is
 * remembered as a count (`doneAtSince`), so the cursor stays a few kilobytes however large a burst is.
 */
export const IDS_KEPT_AT_SINCE = 100;

/**
 * One request's worth of an oldest-first listing, addressed by position: the rows at positions
 * `[start, start + rows.length)`, oldest first; `end` when nothing follows them (a short or newest page).
 */
export interface ListingChunk<T> {
  start: number;
  rows: T[];
  end: boolean;
  /**
   * The positions the request covered (its page size), when the API may drop rows from a page after paging (Dub's
   * `/events` removes the rows of deleted links): the rows are then somewhere in `[start, start + span)`, fewer of
   * them do not mean the listing ends (only `end` says so), and the next request reads from `start + span`.
   */
  span?: number;
}

/**
 * An oldest-first listing of everything at or after a start time (the API may also return some rows before it, e.g.
 * when it rounds `start` down to the day), read by position. `read(from)` answers the chunk holding position `from`
 * (one request). Positions are stable while the listing only grows at its newest end.
 */
export interface PositionalListing<T> {
  read(from: number): Promise<ListingChunk<T>>;
}

export interface ListingSource<T> {
  /** The listing that starts at `start` (an ISO time). */
  open(start: string): Promise<PositionalListing<T>> | PositionalListing<T>;
  /** The earliest time a listing opened at `start` asks for (a row before it means the API widened the window). */
  requestedFrom(start: string): number;
}

export interface AdvanceOptions {
  /** Requests per poll, besides the one that re-reads the ids the cursor remembers. */
  maxPages: number;
  pageSize: number;
  /** Ids kept at the newest millisecond (default `IDS_KEPT_AT_SINCE`). */
  keepIds?: number;
  /**
   * Re-read the remembered ids of a millisecond read by position, on a poll's first request (default false): up to a
   * page of rows may then disappear from before the position (deleted QR codes) without the rows behind them being
   * skipped.
   */
  rereadIds?: boolean;
  /**
   * The listing's chunks carry a `span` (the API may drop rows after paging): a short chunk that would end the poll
   * is followed by one more request (past `maxPages` if need be) at the next page.
   */
  dropsAfterPaging?: boolean;
  /**
   * With `dropsAfterPaging`: a poll that read rows at `since` and then reached the end of the listing, proven by
   * `end` or by an empty chunk spanning at least `closeSpan` positions, stores `since + 1 ms` with no ids (the next
   * idle poll reads one empty page). An empty chunk proves only that no row is left in its span: a run of that many
   * rows dropped after paging could hide rows of `since` behind it.
   */
  closeSpan?: number;
  /**
   * The listing is a closed window that ends before this time (epoch ms; `/qrcodes?createdBefore=`): a poll that
   * reads it to its end (not truncated) has read every row of the millisecond at `since` there is, so the cursor moves
   * 1 ms past the newest row read, with no ids and no positions. Rows deleted later can then shift nothing, and no
   * id list has to stand for a millisecond that is complete.
   */
  closedBefore?: number;
  /**
   * Rows deleted since the cursor was stored (its `countAtSince` / `countBefore` minus the counts now): `done` of the
   * millisecond at `since`, `skip` of the rows before it. The positions the cursor counted (`doneAtSince`, `skip`)
   * move back by that many, and the rows between are decided by time and id (a deleted row before the position would
   * otherwise shift an undone one under it). Set (even to zeros) for a listing whose rows can be deleted.
   */
  stepBack?: { done: number; skip: number };
}

export interface AdvanceResult<T> {
  /** New rows, oldest first (listing order), each once. */
  fresh: T[];
  cursor: ScanCursor;
  /** Stopped by `maxPages` before the end of the listing: more is waiting. */
  truncated: boolean;
}

/** Where the listing a cursor reads starts: `start` when the API widened it, else `since`. */
export function listingStart(cursor: ScanCursor): string {
  return cursor.start ?? cursor.since;
}
