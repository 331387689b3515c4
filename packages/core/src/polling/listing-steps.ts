import type { ChunkScan, Poll, Request, State } from './listing-state.ts';
import { isoFromMs, parseTime } from './time.ts';

/**
 * The steps that move a poll's `State` on after one chunk (see listing-state.ts), chosen by where the newest row read
 * lies relative to `since`.
 */

const utcDay = (ms: number) => Math.floor(ms / 86_400_000);

/** Where the chunk leaves the poll: whether it reached the end of the listing, and what that end proves. */
export interface ChunkEnd {
  /** Nothing more to read in this listing this poll. */
  end: boolean;
  /** The listing itself said it ended (an empty chunk, or `end`). */
  provenEnd: boolean;
  /** The end proves the millisecond at `since` complete (see `AdvanceOptions.closeSpan`). */
  closes: boolean;
}

export function chunkEnd<T>(request: Request<T>, scan: ChunkScan, closeSpan: number | undefined): ChunkEnd {
  const { chunk, short } = request;
  return {
    end: chunk.rows.length === 0 || chunk.end || (scan.lastPos < 0 && !short),
    provenEnd: chunk.rows.length === 0 || chunk.end,
    closes: chunk.end || (chunk.rows.length === 0 && (chunk.span ?? 0) >= (closeSpan ?? Number.POSITIVE_INFINITY)),
  };
}

/** The state after a chunk: by where its newest row lies (none or older, at `since`, newer), then the bookkeeping. */
export function nextState<T>(poll: Poll<T>, state: State, request: Request<T>, scan: ChunkScan, end: boolean): State {
  const start = state.start ?? (scan.widened ? state.since : undefined);
  let next: State;
  if (scan.lastPos < 0 || scan.lastMs < state.sinceMs) next = pastOlderRows(state, scan, start);
  else if (scan.lastMs === state.sinceMs) next = withinSince(poll, state, request, scan, start, end);
  else next = toNewerMillisecond(poll, state, request, scan, start, end);
  if (scan.lastMs >= next.sinceMs && scan.lastPos >= 0) next = { ...next, read: true };
  return afterShortChunk(next, request, end);
}

/** Nothing at or after `since` yet: the older rows end further on. */
function pastOlderRows(state: State, scan: ChunkScan, start: string | undefined): State {
  return { ...state, skip: scan.preEnd, start };
}

/** The chunk ended inside the millisecond at `since`: every row of it read so far is done. */
function withinSince<T>(
  poll: Poll<T>,
  state: State,
  request: Request<T>,
  scan: ChunkScan,
  start: string | undefined,
  end: boolean,
): State {
  const first = Math.max(scan.groupStart ?? state.skip, state.skip);
  const read = scan.lastPos + 1 - first; // rows of `since` read so far, all done now
  // past the end of the listing nothing is left to count as done (rows may have been deleted), and a re-read of
  // the remembered ids walks on from what it read
  const done = end || request.reread > 0 ? read : Math.max(state.done, read);
  const seen = [...state.seen, ...scan.seenNow];
  const all = idsAtSince(poll, state, scan, seen, end);
  const whole = state.whole && all.length <= poll.keep;
  return {
    ...state,
    done: whole ? read : done,
    ids: all.slice(-poll.keep),
    whole,
    seen,
    skip: Math.min(first, scan.preEnd),
    start,
  };
}

/**
 * The done ids of the millisecond at `since`, in listing order. A whole re-read that reached the end knows exactly
 * what is left of that millisecond: the rows it read (ids of deleted rows are gone); one that only found new rows
 * may not have met every remembered one yet (the API orders a millisecond its own way, new rows among the old), so
 * it keeps them all: the remembered rows not met yet lie beyond the rows read, so they come last and are the ones
 * kept when the ids are cut to `keep`.
 */
function idsAtSince<T>(poll: Poll<T>, state: State, scan: ChunkScan, seen: string[], end: boolean): string[] {
  const met = new Set(seen);
  if (state.whole && end) return uniqueInOrder(seen);
  if (state.whole) {
    return uniqueInOrder([
      ...state.ids.filter((id) => met.has(id)),
      ...scan.freshAtSince,
      ...state.ids.filter((id) => !met.has(id)),
    ]);
  }
  // after a step back: the ids in listing order (the newest by position last): the remembered ones before the first
  // met again, the rows read, the remembered ones after the last met (ahead)
  if (poll.stepBack > 0 && state.sinceMs === poll.cursorSinceMs)
    return inListingOrder(poll.cursor.idsAtSince, seen, met);
  return uniqueInOrder([...state.ids, ...scan.freshAtSince]);
}

/** The chunk reached a newer millisecond: it becomes `since`, every row before it is done. */
function toNewerMillisecond<T>(
  poll: Poll<T>,
  state: State,
  request: Request<T>,
  scan: ChunkScan,
  start: string | undefined,
  end: boolean,
): State {
  const count = scan.lastPos + 1 - scan.newestStart;
  const ids = uniqueInOrder(scan.idsAtLast);
  const since = isoFromMs(scan.lastMs);
  // (after a chunk that may have lost rows after paging, the poll reads on in the same listing, from the next page,
  // to the end of the poll: a new listing read by position could not tell an empty page from one the API widened)
  const readOn = (request.short && !end && poll.dropsAfterPaging) || state.kept === true;
  if (readOn || (start !== undefined && (utcDay(parseTime(start)) === utcDay(scan.lastMs) || count > poll.keep))) {
    // a widened listing goes on while its day lasts (or while a new one could not re-count a large millisecond):
    // every row before the newest millisecond is done
    return {
      since,
      sinceMs: scan.lastMs,
      done: count,
      ids: ids.slice(-poll.keep),
      whole: false,
      seen: [],
      skip: scan.newestStart,
      start: start ?? request.anchor,
      kept: start === undefined || state.kept,
    };
  }
  // a new listing at the newest millisecond; when that millisecond began on this page it may go on past it, so the
  // next request reads it whole from there (ids decide), else it reads on by position
  const cut = scan.newestStart > scan.firstPos && !end;
  const whole = cut && ids.length <= poll.keep;
  return {
    since,
    sinceMs: scan.lastMs,
    done: whole ? 0 : count,
    ids: ids.slice(-poll.keep),
    whole,
    seen: [],
    skip: 0,
    start: undefined,
  };
}

/** After a short chunk (rows dropped after paging): read on from the next page, never this one again. */
function afterShortChunk<T>(state: State, request: Request<T>, end: boolean): State {
  const { chunk, short, anchor } = request;
  if (!(short && !end) || chunk.span === undefined) return state;
  const next = state.start ?? state.since;
  return next === anchor ? { ...state, floor: { anchor, pos: chunk.start + chunk.span } } : state;
}

/** `remembered` (in listing order) around `seen` (read this poll, in order): those before the first one met, after. */
function inListingOrder(remembered: readonly string[], seen: string[], met: ReadonlySet<string>): string[] {
  const first = remembered.findIndex((id) => met.has(id));
  if (first < 0) return uniqueInOrder([...remembered, ...seen]);
  const last = remembered.findLastIndex((id) => met.has(id));
  return uniqueInOrder([...remembered.slice(0, first), ...seen, ...remembered.slice(last + 1)]);
}

/** `ids` without repeats, each at its last place. */
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
