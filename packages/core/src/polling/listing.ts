import { CodeQrError } from '../errors.ts';
import { cursorSinceMs, type ScanCursor, type SelectKeys } from './cursor.ts';
import { isoFromMs, parseTime } from './time.ts';

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

function timeOf<T>(row: T, keys: SelectKeys<T>): number {
  const time = keys.time(row);
  const ms = parseTime(time);
  if (Number.isNaN(ms)) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `Item ${JSON.stringify(keys.id(row))} has no valid time: ${JSON.stringify(time)} is not an ISO 8601 date-time`,
      issues: [{ field: 'time', message: 'must be an ISO 8601 date-time' }],
    });
  }
  return ms;
}

const utcDay = (ms: number) => Math.floor(ms / 86_400_000);

/** Where the listing a cursor reads starts: `start` when the API widened it, else `since`. */
export function listingStart(cursor: ScanCursor): string {
  return cursor.start ?? cursor.since;
}

/** Where a poll stands between two requests. */
interface State {
  since: string;
  sinceMs: number;
  /**
   * The first `done` rows of the millisecond at `since` are done. When `whole`, `ids` also holds every other done row
   * of it (`done` counts only the rows re-read so far, from its start), so ids decide whatever order the API gives
   * that millisecond; otherwise nothing after the first `done` rows is done and `ids` (the newest done ones, at most
   * `keep`) only catch repeats.
   */
  done: number;
  ids: string[];
  whole: boolean;
  /** When `whole`: the ids of the rows of `since` re-read this poll, in order (what is left of it, at the end). */
  seen: string[];
  skip: number;
  start: string | undefined;
  /** After a chunk that came back short: the next request of the listing at `anchor` reads from `pos` at least. */
  floor?: { anchor: string; pos: number };
  /** Rows at `since` were read this poll. */
  read?: boolean;
  /** `start` is only kept so that this poll reads on after a short chunk (the API did not widen the listing). */
  kept?: boolean;
}

/**
 * Reads what is new after `cursor` from oldest-first positional listings, and the cursor to store next.
 *
 * The cursor says: everything before `since` is done; at `since`, the first `doneAtSince` rows of that millisecond
 * (in the listing's order) are done, the newest of them also by id (`idsAtSince`; all of them when `doneAtSince` is
 * absent); `skip` is a lower bound on the rows before `since` that the listing puts first (`start`, when set, is
 * where that listing starts). A millisecond whose done rows are all remembered (fewer than a page) is re-read from its
 * start, ids decide;
 * a larger one is read on from its `doneAtSince`-th row. Rows at `since` are skipped when done by position or by id,
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
 */
export async function advanceCursor<T>(
  source: ListingSource<T>,
  cursor: ScanCursor,
  keys: SelectKeys<T>,
  options: AdvanceOptions,
): Promise<AdvanceResult<T>> {
  const keep = Math.max(1, options.keepIds ?? IDS_KEPT_AT_SINCE);
  const sinceMs = cursorSinceMs(cursor);
  // (`doneAtSince` below the number of ids only in cursors of a listing read with `stepBack`: ids decide past it)
  const storedDone =
    options.stepBack !== undefined && cursor.doneAtSince !== undefined
      ? cursor.doneAtSince
      : Math.max(cursor.doneAtSince ?? 0, cursor.idsAtSince.length);
  // a millisecond whose done rows are all remembered, and fit a page with room for one more, is re-read whole from
  // its start in one request (ids decide); any other is read on by position
  const stepBack = Math.max(0, options.stepBack?.done ?? 0);
  const skipBack = Math.max(0, options.stepBack?.skip ?? 0);
  const whole =
    stepBack === 0 && skipBack === 0 && storedDone === cursor.idsAtSince.length && storedDone < options.pageSize;
  let state: State = {
    since: cursor.since,
    sinceMs,
    done: whole ? 0 : Math.max(0, storedDone - stepBack),
    ids: [...cursor.idsAtSince],
    whole,
    seen: [],
    skip: Math.max(0, (cursor.skip ?? 0) - skipBack),
    start: cursor.start,
  };
  const fresh: T[] = [];
  const emitted = new Set<string>();
  // after a step back: the rows of `since` read as new so far (indexes in `fresh`), and those found done after all
  const stored = new Set(cursor.idsAtSince);
  const pending: number[] = [];
  const dropped = new Set<number>();
  const listings = new Map<string, PositionalListing<T>>();
  let restarted = false;
  // re-reading the remembered ids of a millisecond takes a request of its own
  const budget = options.maxPages + ((state.whole || options.rereadIds) && state.ids.length > 0 ? 1 : 0);
  let requests = 0;
  let truncated = false;
  let probed = false; // the one request past the budget that checks what follows a short chunk
  let lastShort = false;
  let provenEnd = false;
  let closes = false;

  const out = () => (dropped.size === 0 ? fresh : fresh.filter((_, index) => !dropped.has(index)));
  while (true) {
    if (requests >= budget) {
      if (!lastShort || probed) {
        truncated = true;
        break;
      }
      probed = true;
    }
    requests++;
    const anchor = state.start ?? state.since;
    let listing = listings.get(anchor);
    if (!listing) {
      listing = await source.open(anchor);
      listings.set(anchor, listing);
    }
    const requestedFrom = source.requestedFrom(anchor);
    const { since, sinceMs: at, skip } = state;
    // (the ids the cursor came with stay known for the whole poll: a millisecond read whole that has grown past a page
    // since, by rows created in it after the cursor was stored, is read on past its first page)
    const known = new Set([...state.ids, ...cursor.idsAtSince]);
    // (re-reading the remembered ids happens once a poll, on its first request, so every later request moves on)
    const reread =
      options.rereadIds && !state.whole && requests === 1
        ? Math.min(state.ids.length, state.done, Math.max(0, options.pageSize - 1))
        : 0;
    const byCount = state.done - reread;
    const floor = state.floor?.anchor === anchor ? state.floor.pos : 0;
    const from = Math.max(skip + byCount, floor);
    const chunk = await listing.read(from);
    const short = chunk.span !== undefined && !chunk.end && chunk.rows.length > 0 && chunk.rows.length < chunk.span;

    let preEnd = skip; // rows before `since` end at least here
    let groupStart: number | undefined; // position of the first row at `since`
    let firstPos = -1;
    let lastPos = -1;
    let lastMs = Number.NEGATIVE_INFINITY;
    let newestStart = -1;
    let widened = state.start !== undefined;
    const idsAtLast: string[] = [];
    const freshAtSince: string[] = [];
    const seenNow: string[] = [];
    let anomaly = false;
    // a chunk with fewer rows than it spans may have lost some after paging: its rows' positions are only known to lie
    // between `q` (none lost before them) and `q + gap` (all lost before them); a row is done by position only when
    // even its latest position is, else ids decide (a repeat at worst, never a loss)
    const gap = chunk.span === undefined ? 0 : Math.max(0, chunk.span - chunk.rows.length);
    for (let i = 0; i < chunk.rows.length; i++) {
      const q = chunk.start + i;
      const late = q + gap;
      if (late < from - 1) continue; // the row before `from`, when the chunk has it, shows where `since` starts
      const row = chunk.rows[i] as T;
      const ms = timeOf(row, keys);
      const id = keys.id(row);
      if (late < from && ms > at && !restarted) {
        anomaly = true; // `since` ended before the rows counted done there
        break;
      }
      if (firstPos < 0) firstPos = q;
      lastPos = q;
      if (ms < requestedFrom) widened = true;
      if (ms > lastMs) {
        lastMs = ms;
        newestStart = q;
        idsAtLast.length = 0;
      }
      if (ms === lastMs) idsAtLast.push(id);
      if (ms < at) {
        preEnd = Math.max(preEnd, q + 1);
        continue;
      }
      if (ms === at) {
        if (late >= from) seenNow.push(id);
        if (stepBack > 0 && at === sinceMs && stored.has(id)) {
          // a remembered row after rows read as new: those come before it in the listing, so they were done already
          // (the step back went further than the codes deleted before the position)
          const done = new Set(pending.map((index) => keys.id(fresh[index] as T)));
          freshAtSince.splice(0, freshAtSince.length, ...freshAtSince.filter((each) => !done.has(each)));
          for (const index of pending) dropped.add(index);
          pending.length = 0;
        }
        groupStart ??= late < from ? skip : Math.max(skip, preEnd);
        // positions before `from` are done by construction; after a measured start, so are its first `byCount` rows
        if (late < from || late < Math.max(groupStart, preEnd) + byCount || known.has(id)) continue;
      }
      if (emitted.has(id)) continue;
      emitted.add(id);
      fresh.push(row);
      if (ms === at) freshAtSince.push(id);
      if (stepBack > 0 && ms === sinceMs) pending.push(fresh.length - 1);
    }
    if (anomaly) {
      // re-read the listing from its start; rows at `since` not remembered by id may repeat, none is skipped
      restarted = true;
      state = { ...state, skip: 0, done: 0, whole: true, seen: [] };
      continue;
    }
    const end = chunk.rows.length === 0 || chunk.end || (lastPos < 0 && !short);
    provenEnd = chunk.rows.length === 0 || chunk.end;
    closes =
      chunk.end || (chunk.rows.length === 0 && (chunk.span ?? 0) >= (options.closeSpan ?? Number.POSITIVE_INFINITY));
    const start = state.start ?? (widened ? since : undefined);
    if (lastPos < 0 || lastMs < at) {
      state = { ...state, skip: preEnd, start };
    } else if (lastMs === at) {
      const first = Math.max(groupStart ?? skip, skip);
      const read = lastPos + 1 - first; // rows of `since` read so far, all done now
      // past the end of the listing nothing is left to count as done (rows may have been deleted), and a re-read of
      // the remembered ids walks on from what it read
      const done = end || reread > 0 ? read : Math.max(state.done, read);
      const seen = [...state.seen, ...seenNow];
      // a whole re-read that reached the end knows exactly what is left of that millisecond: the rows it read (ids of
      // deleted rows are gone); one that only found new rows may not have met every remembered one yet (the API
      // orders a millisecond its own way, new rows among the old), so it keeps them all
      const past = end;
      // (read whole and not past it: the remembered rows not met yet lie beyond the rows read, so they come last and
      // are the ones kept when the ids are cut to `keep`; the rows read are done by position from here on)
      const met = new Set(seen);
      const all =
        state.whole && past
          ? uniqueInOrder(seen)
          : state.whole
            ? uniqueInOrder([
                ...state.ids.filter((id) => met.has(id)),
                ...freshAtSince,
                ...state.ids.filter((id) => !met.has(id)),
              ])
            : stepBack > 0 && at === sinceMs
              ? // after a step back: the ids in listing order (the newest by position last): the remembered ones
                // before the first met again, the rows read, the remembered ones after the last met (ahead)
                inListingOrder(cursor.idsAtSince, seen, met)
              : uniqueInOrder([...state.ids, ...freshAtSince]);
      const whole = state.whole && all.length <= keep;
      state = {
        ...state,
        done: whole ? read : done,
        ids: all.slice(-keep),
        whole,
        seen,
        skip: Math.min(first, preEnd),
        start,
      };
    } else {
      const count = lastPos + 1 - newestStart;
      const ids = uniqueInOrder(idsAtLast);
      const next = isoFromMs(lastMs);
      // (after a chunk that may have lost rows after paging, the poll reads on in the same listing, from the next page,
      // to the end of the poll: a new listing read by position could not tell an empty page from one the API widened)
      const readOn = (short && !end && options.dropsAfterPaging === true) || state.kept === true;
      if (readOn || (start !== undefined && (utcDay(parseTime(start)) === utcDay(lastMs) || count > keep))) {
        // a widened listing goes on while its day lasts (or while a new one could not re-count a large millisecond):
        // every row before the newest millisecond is done
        state = {
          since: next,
          sinceMs: lastMs,
          done: count,
          ids: ids.slice(-keep),
          whole: false,
          seen: [],
          skip: newestStart,
          start: start ?? anchor,
          kept: start === undefined || state.kept,
        };
      } else {
        // a new listing at the newest millisecond; when that millisecond began on this page it may go on past it, so
        // the next request reads it whole from there (ids decide), else it reads on by position
        const cut = newestStart > firstPos && !end;
        const whole = cut && ids.length <= keep;
        state = {
          since: next,
          sinceMs: lastMs,
          done: whole ? 0 : count,
          ids: ids.slice(-keep),
          whole,
          seen: [],
          skip: 0,
          start: undefined,
        };
      }
    }
    if (lastMs >= state.sinceMs && lastPos >= 0) state = { ...state, read: true };
    lastShort = short && !end;
    if (lastShort && chunk.span !== undefined) {
      // the API may have dropped rows from this page after paging: read on from the next page, never this one again
      const next = state.start ?? state.since;
      if (next === anchor) state = { ...state, floor: { anchor, pos: chunk.start + chunk.span } };
    }
    if (end) break;
  }

  if (options.dropsAfterPaging && !truncated && provenEnd && closes && state.read) {
    // every row up to the end of the listing was read: the millisecond at `since` is complete, so the next poll
    // starts right after it (one empty page when nothing is new) instead of re-reading it
    const widened = state.start !== undefined && !state.kept;
    const after = widened ? state.skip + state.done : 0;
    const next = isoFromMs(state.sinceMs + 1);
    return { fresh: out(), cursor: cursorOf(next, [], 0, after, widened ? state.start : undefined), truncated };
  }

  if (options.closedBefore !== undefined && !truncated && provenEnd && state.sinceMs < options.closedBefore) {
    // the closed window was read to its end: the millisecond at `since` is complete
    return { fresh: out(), cursor: cursorOf(isoFromMs(state.sinceMs + 1), [], 0, 0, undefined), truncated };
  }

  // stored: either every done row by id (no `doneAtSince`), or the count and the newest ids
  const ids = state.ids.slice(-keep);
  const done = state.whole ? ids.length : state.done;
  return {
    fresh: out(),
    cursor: cursorOf(state.since, ids, done, state.skip, state.start, options.stepBack !== undefined),
    truncated,
  };
}

/** `remembered` (in listing order) around `seen` (read this poll, in order): those before the first one met, after. */
function inListingOrder(remembered: readonly string[], seen: string[], met: ReadonlySet<string>): string[] {
  const first = remembered.findIndex((id) => met.has(id));
  if (first < 0) return uniqueInOrder([...remembered, ...seen]);
  const last = remembered.findLastIndex((id) => met.has(id));
  return uniqueInOrder([...remembered.slice(0, first), ...seen, ...remembered.slice(last + 1)]);
}

function uniqueInOrder(ids: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i] as string;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out.reverse();
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
