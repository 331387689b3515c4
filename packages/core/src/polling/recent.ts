import * as z from 'zod/v4';
import type { CodeQrClient } from '../create-client.ts';
import { isCodeQrError } from '../errors.ts';
import type { ListQrCodesFilters } from '../qrcodes/list.ts';
import { type QrCode, shortLinkFor } from '../schemas/qr-code.ts';
import { type ScanEvent, scanEventFromRow } from './scan-event.ts';
import { isoFromMs, parseTime } from './time.ts';

/**
 * Stateless triggers: everything that can be new within a time window, newest first, for a host that keeps no state
 * of its own and dedupes items by `id` itself (Zapier). Each read answers every item of the window (not a fixed
 * number of the newest), over as many pages as that takes, unless a cap stops it first; it then says which cap, so
 * the host can tell its user. Items are selected by their own time (a scan's timestamp, a code's creation, a code's
 * last scan), never by their position in a list, so deleting QR codes cannot pull older items into the answer.
 */

/** How far back a stateless read looks by default: 60 minutes (four times Zapier's longest polling interval). */
export const RECENT_LOOKBACK_MS = 60 * 60_000;
/** At most this many items per read by default. */
export const RECENT_MAX_ITEMS = 10_000;

export interface RecentOptions {
  /** The window: items at or after `now - lookbackMs` (default `RECENT_LOOKBACK_MS`). */
  lookbackMs?: number;
  /** At most this many items (default `RECENT_MAX_ITEMS`); the newest are kept. */
  maxItems?: number;
  /** At most this many characters of items as JSON (default: no cap); the newest are kept. */
  maxBytes?: number;
  /**
   * No new page is requested once this much time has passed since the read began (default: no cap). Run the read on
   * a client with a hard budget (`client.withBudget`) too: a page that fails after the first one ends the read with
   * what it has (`stop.reason: 'error'`) instead of failing it.
   */
  budgetMs?: number;
  /** Items newer than `now - settleMs` are left for the next read (default 0: none are). */
  settleMs?: number;
  /** Rows per request (default: the endpoint's largest page). */
  pageSize?: number;
  /** This machine's clock, epoch ms (default `Date.now`). */
  now?: () => number;
}

export type RecentStopReason = 'maxItems' | 'maxBytes' | 'time' | 'error';

export interface RecentResult<T> {
  /** The items of the window, newest first, each `id` once. */
  items: T[];
  /** Where the window starts (ISO): older items are never answered, so they cannot fire again. */
  windowStart: string;
  /** Every item of the window was read (no cap stopped the read). */
  complete: boolean;
  /**
   * Why the read stopped before the end of the window, when it did: the items answered are the newest ones; older
   * items of the window (before `oldest`) were not read.
   */
  stop?: { reason: RecentStopReason; message: string; oldest: string | null };
}

/** The largest `/events` page core asks for (its query schema's maximum). */
const EVENTS_PAGE_SIZE = 1000;
/** The largest `/qrcodes` page (CodeQR's maximum). */
const QR_PAGE_SIZE = 100;

interface WindowSpec<R, T> {
  /** One page of rows at or after `windowStart` (epoch ms; the API may add older ones), newest first by `timeOf`. */
  fetchPage(page: number, pageSize: number, windowStart: number): Promise<R[]>;
  pageSize: number;
  /** The row's time (epoch ms); `NaN` for none (a never-scanned code): it counts as older than the window. */
  timeOf(row: R): number;
  toItem(row: R): T;
  idOf(item: T): string;
  /**
   * The API may leave rows out of a page after paging (`/events` drops rows it cannot read as scans, Dub thins pages
   * of deleted links): a short page does not end the list then, only an empty one does.
   */
  thinned: boolean;
  what: string;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Reads a newest-first list down to the window's start, or until a cap. */
async function readWindow<R, T>(spec: WindowSpec<R, T>, options: RecentOptions): Promise<RecentResult<T>> {
  const clock = options.now ?? Date.now;
  const started = clock();
  const windowStart = started - positive(options.lookbackMs, RECENT_LOOKBACK_MS);
  const settleMs = Math.max(0, options.settleMs ?? 0);
  const windowEnd = started - settleMs;
  const maxItems = Math.floor(positive(options.maxItems, RECENT_MAX_ITEMS));
  const maxBytes = positive(options.maxBytes, Number.POSITIVE_INFINITY);
  const budgetMs = positive(options.budgetMs, Number.POSITIVE_INFINITY);
  const items: T[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  let oldest: number | null = null;
  const result = (stop?: { reason: RecentStopReason; message: string }): RecentResult<T> => ({
    items,
    windowStart: isoFromMs(windowStart),
    complete: !stop,
    ...(stop ? { stop: { ...stop, oldest: oldest === null ? null : isoFromMs(oldest) } } : {}),
  });

  for (let page = 1; ; page++) {
    if (page > 1 && clock() - started >= budgetMs) {
      return result({
        reason: 'time',
        message: `read ${items.length} ${spec.what} in ${Math.round(budgetMs / 1000)} s without reaching the start of the window`,
      });
    }
    let rows: R[];
    try {
      rows = await spec.fetchPage(page, spec.pageSize, windowStart);
    } catch (error) {
      // the newest pages are read: answer them (older items stay in the window for the next read)
      if (page === 1 || !isCodeQrError(error)) throw error;
      return result({ reason: 'error', message: `page ${page} failed: ${error.message}` });
    }
    let older = false;
    for (const row of rows) {
      const time = spec.timeOf(row);
      if (Number.isNaN(time) || time < windowStart) {
        older = true;
        continue;
      }
      if (settleMs > 0 && time > windowEnd) continue;
      const item = spec.toItem(row);
      const id = spec.idOf(item);
      if (seen.has(id)) continue; // a row shifted onto the next page by a newer one
      if (items.length >= maxItems) {
        return result({ reason: 'maxItems', message: `more than ${maxItems} ${spec.what} in the window` });
      }
      const size = JSON.stringify(item).length;
      if (bytes + size > maxBytes) {
        return result({
          reason: 'maxBytes',
          message: `the ${spec.what} in the window take more than ${maxBytes} characters`,
        });
      }
      seen.add(id);
      items.push(item);
      bytes += size;
      oldest = oldest === null ? time : Math.min(oldest, time);
    }
    if (older || rows.length === 0 || (!spec.thinned && rows.length < spec.pageSize)) return result();
  }
}

/** Every scan stamped within the window, newest first: the `/events` rows (Business plan and up) as `ScanEvent`s. */
export function recentScans(
  client: CodeQrClient,
  options: RecentOptions & { qrCodeId?: string | undefined } = {},
): Promise<RecentResult<ScanEvent>> {
  return readWindow(
    {
      fetchPage: async (page, limit, start) =>
        await client.events.list({
          event: 'scans',
          qrcodeId: options.qrCodeId,
          // 1 ms early, whether CodeQR's `start` is inclusive or not; rows before the window are dropped here
          start: isoFromMs(start - 1),
          order: 'desc',
          page,
          limit,
        }),
      pageSize: Math.min(positive(options.pageSize, EVENTS_PAGE_SIZE), EVENTS_PAGE_SIZE),
      timeOf: (row) => parseTime(row.timestamp),
      toItem: scanEventFromRow,
      idOf: (scan) => scan.id,
      thinned: true,
      what: 'scans',
    },
    options,
  );
}

export type RecentQrCodeFilters = Omit<
  ListQrCodesFilters,
  'sort' | 'page' | 'pageSize' | 'limit' | 'createdAfter' | 'createdBefore'
>;

/**
 * Every QR code created within the window (and matching `filters`), newest first. A code created before the window
 * is never answered, however many newer codes are deleted.
 */
export function recentQrCodes(
  client: CodeQrClient,
  options: RecentOptions & { filters?: RecentQrCodeFilters } = {},
): Promise<RecentResult<QrCode>> {
  return readWindow(
    {
      fetchPage: async (page, pageSize, start) =>
        await client.qrcodes.list({
          ...options.filters,
          createdAfter: isoFromMs(start - 1),
          sort: 'createdAt',
          page,
          pageSize,
        }),
      pageSize: Math.min(positive(options.pageSize, QR_PAGE_SIZE), QR_PAGE_SIZE),
      timeOf: (qr) => parseTime(qr.createdAt),
      toItem: (qr) => qr,
      idOf: (qr) => qr.id,
      thinned: false,
      what: 'QR codes',
    },
    options,
  );
}

/**
 * A QR code's scan count as it stands: what a stateless host can know without remembering earlier counts. The id
 * (`<qrCodeId>:<scans>`) is new each time the count changes, so a host that dedupes by id emits each observed count
 * once. Nothing here claims a previous count or a difference.
 */
export const RecentScanCount = z.object({
  /** `${qrCodeId}:${scans}`: unique per (code, count). */
  id: z.string().min(1),
  qrCodeId: z.string().min(1),
  /** The QR code's total scans when it was read. */
  scans: z.number().int().min(0),
  lastScannedAt: z.string().nullable(),
  domain: z.string(),
  key: z.string(),
  shortLink: z.string(),
  url: z.string().nullable(),
});
export type RecentScanCount = z.infer<typeof RecentScanCount>;

function scanCountOf(qr: QrCode): RecentScanCount {
  return {
    id: `${qr.id}:${qr.scans}`,
    qrCodeId: qr.id,
    scans: qr.scans,
    lastScannedAt: qr.lastClicked,
    domain: qr.domain,
    key: qr.key,
    shortLink: qr.shortLink || shortLinkFor(qr.domain, qr.key),
    url: qr.url ?? null,
  };
}

/**
 * The scan count of every QR code last scanned within the window (works on every plan: `GET /qrcodes`
 * sorted by last scan), most recently scanned first; with `qrCodeId`, that code alone.
 */
export async function recentScanCounts(
  client: CodeQrClient,
  options: RecentOptions & { qrCodeId?: string | undefined } = {},
): Promise<RecentResult<RecentScanCount>> {
  const qrCodeId = options.qrCodeId;
  return readWindow(
    {
      fetchPage: async (page, pageSize) => {
        if (qrCodeId) return page === 1 ? [await client.qrcodes.get({ id: qrCodeId })] : [];
        return await client.qrcodes.list({ sort: 'lastClicked', showArchived: true, withTags: false, page, pageSize });
      },
      pageSize: qrCodeId ? 1 : Math.min(positive(options.pageSize, QR_PAGE_SIZE), QR_PAGE_SIZE),
      timeOf: (qr) => (qr.lastClicked && qr.scans > 0 ? parseTime(qr.lastClicked) : Number.NaN),
      toItem: scanCountOf,
      idOf: (count) => count.id,
      thinned: false,
      what: 'scanned QR codes',
    },
    options,
  );
}

/** A trigger's stateless read, by trigger key: its item schema (when it differs from the trigger's) and its read. */
export interface RecentReader {
  /** The item's schema when it is not the trigger's `output` (Updated Scan Count claims no previous count). */
  output?: z.ZodType;
  read(client: CodeQrClient, input: Record<string, unknown>, options: RecentOptions): Promise<RecentResult<unknown>>;
}

const qrCodeIdOf = (input: Record<string, unknown>) =>
  typeof input.qrCodeId === 'string' && input.qrCodeId ? input.qrCodeId : undefined;

/** The stateless read of each registry trigger (its parsed input in, the window's items out). */
export const recentReaders: Readonly<Record<string, RecentReader>> = Object.freeze({
  newScan: { read: (client, input, options) => recentScans(client, { ...options, qrCodeId: qrCodeIdOf(input) }) },
  newQrCode: {
    read: (client, input, options) => recentQrCodes(client, { ...options, filters: input as RecentQrCodeFilters }),
  },
  scanCountChanged: {
    output: RecentScanCount,
    read: (client, input, options) => recentScanCounts(client, { ...options, qrCodeId: qrCodeIdOf(input) }),
  },
});
