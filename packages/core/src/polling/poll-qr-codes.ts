import type { CodeQrClient } from '../create-client.ts';
import type { ListQrCodesFilters } from '../qrcodes/list.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { qrCodeKeys, ScanCursor } from './cursor.ts';
import { advanceCursor } from './listing.ts';
import { type ListingSource, listingStart, type PositionalListing } from './listing-types.ts';
import { inScope, primeCursor, readStoredCursor, scopeOf, settleMs } from './poll-cursors.ts';
import { isoFromMs, parseTime } from './time.ts';

export interface PollQrCodesResult {
  qrCodes: QrCode[];
  cursor: ScanCursor;
  truncated: boolean;
  primed: boolean;
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
