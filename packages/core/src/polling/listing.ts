import { cursorSinceMs, type ScanCursor, type SelectKeys } from './cursor.ts';
import { initialState, type Poll, type Request, type State, scanChunk } from './listing-state.ts';
import { chunkEnd, nextState } from './listing-steps.ts';
import {
  type AdvanceOptions,
  type AdvanceResult,
  IDS_KEPT_AT_SINCE,
  type ListingSource,
  type PositionalListing,
} from './listing-types.ts';
import { isoFromMs } from './time.ts';

/** How far a poll got: its requests, and what the last chunk left open or proved. */
interface Progress {
  requests: number;
  /** The one request past the budget that checks what follows a short chunk was made. */
  probed: boolean;
  /** The last chunk came back short and more may follow it. */
  lastShort: boolean;
  /** Stopped by the budget before the end of the listing. */
  truncated: boolean;
  /** The last chunk proved the end of the listing (empty, or `end`). */
  provenEnd: boolean;
  /** The proven end also closes the millisecond at `since` (see `closeSpan`). */
  closes: boolean;
}

/**
 * Reads what is new after `cursor` from oldest-first positional listings, and the cursor to store next.
 *
 * The cursor says: everything before `since` is done; at `since`, the first `doneAtSince` rows of that millisecond
 * (in the listing's order) are done, the newest of them also by id (`idsAtSince`; all of them when `doneAtSince` is
 * absent); `skip` is a lower bound on the rows before `since` that the listing puts first (`start`, when set, is
 * where that listing starts). A millisecond whose done rows are all remembered (fewer than a page) is re-read from its
 * start, ids decide; a larger one is read on from its `doneAtSince`-th row. Rows at `since` are skipped when done by position or by id,
 * the rest emitted in listing order. When a page ends inside a millisecond that began on it, the next request starts
 * a new listing at that millisecond, so a burst no larger than a page is always read whole in one request, whatever
 * order the API gives rows of one millisecond. A larger burst is read page by page by position, once, never re-read
 * forever, and the cursor stays bounded: up to `keepIds` ids and three numbers.
 *
 * Exact when (1) every row that shows up late is stamped after the cursor's `since` at the poll that first sees it, or
 * at `since` while that millisecond has at most `keepIds` done rows, and (2) the API keeps one order for the rows of a
 * millisecond across requests while that millisecond has more rows than a page. When the row before the first unknown
 * position is newer than `since` (the listing shrank, or a count is off), the poll re-reads from the start of the
 * listing, so that repeats are possible but losses are not.
 *
 * In steps: `openPoll` and `initialState` (listing-state.ts) set out from the cursor; then, while `mayRequest`,
 * `requestChunk` reads the next chunk, `scanChunk` emits its new rows, and `nextState` (listing-steps.ts) moves the
 * state on (or `restartListing`, when `since` ended early); `closingCursor` turns the last state into the cursor.
 */
export async function advanceCursor<T>(
  source: ListingSource<T>,
  cursor: ScanCursor,
  keys: SelectKeys<T>,
  options: AdvanceOptions,
): Promise<AdvanceResult<T>> {
  const poll = openPoll(cursor, keys, options);
  let state = initialState(poll, options);
  // re-reading the remembered ids of a millisecond takes a request of its own
  const budget = options.maxPages + ((state.whole || options.rereadIds) && state.ids.length > 0 ? 1 : 0);
  const progress: Progress = {
    requests: 0,
    probed: false,
    lastShort: false,
    truncated: false,
    provenEnd: false,
    closes: false,
  };
  const listings = new Map<string, PositionalListing<T>>();
  while (mayRequest(progress, budget)) {
    progress.requests++;
    const request = await requestChunk(poll, state, source, listings, progress.requests === 1);
    const scan = scanChunk(poll, state, request);
    if (scan.anomaly) {
      state = restartListing(poll, state);
      continue;
    }
    const { end, provenEnd, closes } = chunkEnd(request, scan, options.closeSpan);
    Object.assign(progress, { provenEnd, closes, lastShort: request.short && !end });
    state = nextState(poll, state, request, scan, end);
    if (end) break;
  }
  const fresh = poll.dropped.size === 0 ? poll.fresh : poll.fresh.filter((_, index) => !poll.dropped.has(index));
  return { fresh, cursor: closingCursor(poll, state, progress, options), truncated: progress.truncated };
}

/** What a poll from `cursor` knows before its first request. */
function openPoll<T>(cursor: ScanCursor, keys: SelectKeys<T>, options: AdvanceOptions): Poll<T> {
  return {
    cursor,
    keys,
    cursorSinceMs: cursorSinceMs(cursor),
    keep: Math.max(1, options.keepIds ?? IDS_KEPT_AT_SINCE),
    pageSize: options.pageSize,
    rereadIds: options.rereadIds === true,
    dropsAfterPaging: options.dropsAfterPaging === true,
    stepBack: Math.max(0, options.stepBack?.done ?? 0),
    stored: new Set(cursor.idsAtSince),
    fresh: [],
    emitted: new Set(),
    pending: [],
    dropped: new Set(),
    restarted: false,
  };
}

/**
 * Whether the poll may make another request: within the budget, or once past it to see what follows a short chunk.
 * When not, the poll is truncated (more is waiting).
 */
function mayRequest(progress: Progress, budget: number): boolean {
  if (progress.requests < budget) return true;
  if (!progress.lastShort || progress.probed) {
    progress.truncated = true;
    return false;
  }
  progress.probed = true;
  return true;
}

/**
 * Reads the next chunk: from the listing at the state's `start` (or `since`), at the first position not done by
 * count (or the floor a short chunk left), less the remembered ids re-read on a poll's `first` request.
 */
async function requestChunk<T>(
  poll: Poll<T>,
  state: State,
  source: ListingSource<T>,
  listings: Map<string, PositionalListing<T>>,
  first: boolean,
): Promise<Request<T>> {
  const anchor = state.start ?? state.since;
  let listing = listings.get(anchor);
  if (!listing) {
    listing = await source.open(anchor);
    listings.set(anchor, listing);
  }
  const requestedFrom = source.requestedFrom(anchor);
  // (the ids the cursor came with stay known for the whole poll: a millisecond read whole that has grown past a page
  // since, by rows created in it after the cursor was stored, is read on past its first page)
  const known = new Set([...state.ids, ...poll.cursor.idsAtSince]);
  // (re-reading the remembered ids happens once a poll, on its first request, so every later request moves on)
  const reread =
    poll.rereadIds && !state.whole && first
      ? Math.min(state.ids.length, state.done, Math.max(0, poll.pageSize - 1))
      : 0;
  const byCount = state.done - reread;
  const floor = state.floor?.anchor === anchor ? state.floor.pos : 0;
  const from = Math.max(state.skip + byCount, floor);
  const chunk = await listing.read(from);
  const short = chunk.span !== undefined && !chunk.end && chunk.rows.length > 0 && chunk.rows.length < chunk.span;
  return { anchor, from, reread, byCount, requestedFrom, known, chunk, short };
}

/** `since` ended before the rows counted done there: re-read the listing from its start; rows at `since` not
 * remembered by id may repeat, none is skipped. */
function restartListing<T>(poll: Poll<T>, state: State): State {
  poll.restarted = true;
  return { ...state, skip: 0, done: 0, whole: true, seen: [] };
}

/**
 * The cursor to store. A listing that may drop rows after paging, read to a proven end, closes the millisecond at
 * `since`: the next poll starts right after it. So does a closed window read to its end. Otherwise the cursor keeps
 * either every done row of `since` by id (no `doneAtSince`), or the count and the newest ids.
 */
function closingCursor<T>(poll: Poll<T>, state: State, progress: Progress, options: AdvanceOptions): ScanCursor {
  const { truncated, provenEnd, closes } = progress;
  if (options.dropsAfterPaging && !truncated && provenEnd && closes && state.read) {
    // every row up to the end of the listing was read: the millisecond at `since` is complete, so the next poll
    // starts right after it (one empty page when nothing is new) instead of re-reading it
    const widened = state.start !== undefined && !state.kept;
    const after = widened ? state.skip + state.done : 0;
    return cursorOf(isoFromMs(state.sinceMs + 1), [], 0, after, widened ? state.start : undefined);
  }
  if (options.closedBefore !== undefined && !truncated && provenEnd && state.sinceMs < options.closedBefore) {
    // the closed window was read to its end: the millisecond at `since` is complete
    return cursorOf(isoFromMs(state.sinceMs + 1), [], 0, 0, undefined);
  }
  const ids = state.ids.slice(-poll.keep);
  const done = state.whole ? ids.length : state.done;
  return cursorOf(state.since, ids, done, state.skip, state.start, options.stepBack !== undefined);
}

function cursorOf(
  since: string,
  idsAtSince: string[],
  doneAtSince: number,
  skip: number,
  start: string | undefined,
  /** Rows may have been deleted before the position: every id is kept, and a count below them is stored as is. */
  deletions = false,
): ScanCursor {
  // ids beyond the count can only be of rows gone since (the oldest ones): keep the newest `doneAtSince`
  const ids =
    !deletions && doneAtSince < idsAtSince.length ? idsAtSince.slice(idsAtSince.length - doneAtSince) : idsAtSince;
  return {
    since,
    idsAtSince: ids,
    ...(doneAtSince > ids.length || (deletions && doneAtSince < ids.length) ? { doneAtSince } : {}),
    ...(skip > 0 ? { skip } : {}),
    ...(start !== undefined && start !== since ? { start } : {}),
  };
}
