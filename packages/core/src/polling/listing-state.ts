import { CodeQrError } from '../errors.ts';
import type { ScanCursor, SelectKeys } from './cursor.ts';
import type { AdvanceOptions } from './listing-types.ts';
import { parseTime } from './time.ts';

/**
 * The cursor state machine behind `advanceCursor` (listing.ts): where a poll stands between two requests (`State`),
 * what one chunk of the listing showed (`ChunkScan`, from `scanChunk`), and the step that moves the state on, one per
 * case of the newest row read: none or older than `since` (`pastOlderRows`), at `since` (`withinSince`), newer
 * (`toNewerMillisecond`). `cursorOf` turns the final state into the stored cursor.
 */

/** Where a poll stands between two requests. */
export interface State {
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

/** What a poll knows from its start to its end: the stored cursor, its options, and the rows emitted so far. */
export interface Poll<T> {
  cursor: ScanCursor;
  keys: SelectKeys<T>;
  /** The cursor's `since`, epoch ms. */
  cursorSinceMs: number;
  /** Ids kept at the newest millisecond. */
  keep: number;
  pageSize: number;
  rereadIds: boolean;
  dropsAfterPaging: boolean;
  /** Rows of the cursor's millisecond deleted since it was stored (`AdvanceOptions.stepBack.done`). */
  stepBack: number;
  /** The cursor's remembered ids. */
  stored: ReadonlySet<string>;
  /** New rows, in listing order; `dropped` indexes of them turned out done after all (after a step back). */
  fresh: T[];
  emitted: Set<string>;
  /** After a step back: indexes in `fresh` of the rows of the cursor's millisecond read as new so far. */
  pending: number[];
  dropped: Set<number>;
  /** The listing was re-read from its start after an anomaly. */
  restarted: boolean;
}

/** One request: the listing it reads (`anchor`), where from, and how many rows of `since` it counts done by count. */
export interface Request<T> {
  anchor: string;
  /** The first position asked for. */
  from: number;
  /** Rows re-read on purpose (the remembered ids of a millisecond read by position, on a poll's first request). */
  reread: number;
  /** Rows of `since` done by position after a measured start. */
  byCount: number;
  /** The earliest time the listing asks for (a row before it means the API widened the window). */
  requestedFrom: number;
  /** Ids done whatever their position: the state's and the cursor's. */
  known: ReadonlySet<string>;
  chunk: { start: number; rows: T[]; end: boolean; span?: number };
  /** The chunk has fewer rows than it spans, and more may follow (the API dropped rows after paging). */
  short: boolean;
}

/** What one chunk showed, row by row. */
export interface ChunkScan {
  /** Rows before `since` end at least here. */
  preEnd: number;
  /** Position of the first row at `since`. */
  groupStart: number | undefined;
  firstPos: number;
  lastPos: number;
  lastMs: number;
  /** Position of the first row of the newest millisecond read. */
  newestStart: number;
  /** The listing starts before what it asked for. */
  widened: boolean;
  idsAtLast: string[];
  /** Ids at `since` emitted from this chunk. */
  freshAtSince: string[];
  /** Ids at `since` read (at or after `from`) in this chunk. */
  seenNow: string[];
  /** `since` ended before the rows counted done there: the listing must be re-read from its start. */
  anomaly: boolean;
}

/** The state a poll starts from: the cursor's millisecond, re-read whole when all its done rows are remembered. */
export function initialState<T>(poll: Poll<T>, options: AdvanceOptions): State {
  const { cursor } = poll;
  const skipBack = Math.max(0, options.stepBack?.skip ?? 0);
  // (`doneAtSince` below the number of ids only in cursors of a listing read with `stepBack`: ids decide past it)
  const storedDone =
    options.stepBack !== undefined && cursor.doneAtSince !== undefined
      ? cursor.doneAtSince
      : Math.max(cursor.doneAtSince ?? 0, cursor.idsAtSince.length);
  // a millisecond whose done rows are all remembered, and fit a page with room for one more, is re-read whole from
  // its start in one request (ids decide); any other is read on by position
  const whole =
    poll.stepBack === 0 && skipBack === 0 && storedDone === cursor.idsAtSince.length && storedDone < poll.pageSize;
  return {
    since: cursor.since,
    sinceMs: poll.cursorSinceMs,
    done: whole ? 0 : Math.max(0, storedDone - poll.stepBack),
    ids: [...cursor.idsAtSince],
    whole,
    seen: [],
    skip: Math.max(0, (cursor.skip ?? 0) - skipBack),
    start: cursor.start,
  };
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

/**
 * Reads one chunk row by row: rows before `since` move the end of the older rows on, rows at `since` are skipped
 * when done by position or by id, the rest are emitted (into `poll.fresh`) in listing order. A chunk with fewer rows
 * than it spans may have lost some after paging: its rows' positions are only known to lie between `q` (none lost
 * before them) and `q + gap` (all lost before them); a row is done by position only when even its latest position
 * is, else ids decide (a repeat at worst, never a loss).
 */
export function scanChunk<T>(poll: Poll<T>, state: State, request: Request<T>): ChunkScan {
  const { keys, fresh, emitted, pending, dropped, stored, stepBack } = poll;
  const { chunk, from, byCount, known, requestedFrom } = request;
  const { sinceMs: at, skip } = state;
  const scan: ChunkScan = {
    preEnd: skip,
    groupStart: undefined,
    firstPos: -1,
    lastPos: -1,
    lastMs: Number.NEGATIVE_INFINITY,
    newestStart: -1,
    widened: state.start !== undefined,
    idsAtLast: [],
    freshAtSince: [],
    seenNow: [],
    anomaly: false,
  };
  const gap = chunk.span === undefined ? 0 : Math.max(0, chunk.span - chunk.rows.length);
  for (let i = 0; i < chunk.rows.length; i++) {
    const q = chunk.start + i;
    const late = q + gap;
    if (late < from - 1) continue; // the row before `from`, when the chunk has it, shows where `since` starts
    const row = chunk.rows[i] as T;
    const ms = timeOf(row, keys);
    const id = keys.id(row);
    if (late < from && ms > at && !poll.restarted) {
      scan.anomaly = true; // `since` ended before the rows counted done there
      break;
    }
    if (scan.firstPos < 0) scan.firstPos = q;
    scan.lastPos = q;
    if (ms < requestedFrom) scan.widened = true;
    if (ms > scan.lastMs) {
      scan.lastMs = ms;
      scan.newestStart = q;
      scan.idsAtLast.length = 0;
    }
    if (ms === scan.lastMs) scan.idsAtLast.push(id);
    if (ms < at) {
      scan.preEnd = Math.max(scan.preEnd, q + 1);
      continue;
    }
    if (ms === at) {
      if (late >= from) scan.seenNow.push(id);
      if (stepBack > 0 && at === poll.cursorSinceMs && stored.has(id)) {
        // a remembered row after rows read as new: those come before it in the listing, so they were done already
        // (the step back went further than the codes deleted before the position)
        const done = new Set(pending.map((index) => keys.id(fresh[index] as T)));
        scan.freshAtSince.splice(0, scan.freshAtSince.length, ...scan.freshAtSince.filter((each) => !done.has(each)));
        for (const index of pending) dropped.add(index);
        pending.length = 0;
      }
      scan.groupStart ??= late < from ? skip : Math.max(skip, scan.preEnd);
      // positions before `from` are done by construction; after a measured start, so are its first `byCount` rows
      if (late < from || late < Math.max(scan.groupStart, scan.preEnd) + byCount || known.has(id)) continue;
    }
    if (emitted.has(id)) continue;
    emitted.add(id);
    fresh.push(row);
    if (ms === at) scan.freshAtSince.push(id);
    if (stepBack > 0 && ms === poll.cursorSinceMs) pending.push(fresh.length - 1);
  }
  return scan;
}
