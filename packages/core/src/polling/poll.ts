import * as z from 'zod/v4';
import type { CodeQrClient } from '../client/create.ts';
import { schemaIssues } from '../client/validate.ts';
import { CodeQrError } from '../errors.ts';
import type { ListQrCodesFilters } from '../qrcodes/qrcodes.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { diffScanCounts, MAX_TRACKED_COUNTS, type ScanCountEvent, ScanCounts } from './counts.ts';
import { ScanCursor, selectNewQrCodes, selectNewScans } from './cursor.ts';
import { type ScanEvent, scanEventFromRow } from './scan-event.ts';

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
    resume: z.object({ page: z.number().int().min(2), newest: z.string().nullable() }).optional(),
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
 * One poll of a "new scan" trigger. `events` reads `/events?event=scans` oldest-first from the cursor's `since`
 * (inclusive; boundary ids dedupe), so a backlog drains in order over polls and nothing is skipped; `counts` diffs
 * `scans` per QR code from `GET /qrcodes?sort=lastClicked`. The first poll only primes the cursor.
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
    const rows: ScanEvent[] = [];
    let truncated = false;
    if (!previous) {
      // baseline: the newest scans (all ids at the newest timestamp)
      const page = await client.events.list({
        event: 'scans',
        qrcodeId: options.qrCodeId,
        interval: 'all',
        order: 'desc',
        page: 1,
        limit: pageSize,
      });
      rows.push(...page.map(scanEventFromRow));
    } else {
      const list = client.events.list({
        event: 'scans',
        qrcodeId: options.qrCodeId,
        start: previous.since,
        order: 'asc',
        page: 1,
        limit: pageSize,
      });
      // `start` is inclusive, so the scans already emitted at `since` come back first: they get pages of their own
      // on top of `maxPages`, or a poll could re-read them forever without progressing.
      const budget = maxPages + Math.ceil(previous.idsAtSince.length / pageSize);
      let pages = 0;
      for await (const page of list.pages()) {
        rows.push(...page.map(scanEventFromRow));
        if (++pages >= budget) {
          truncated = page.length === pageSize;
          break;
        }
      }
    }
    // A first poll that finds no scan starts from the epoch, not from this machine's "now": a clock ahead of
    // CodeQR's would otherwise skip the first scans. (Nothing exists before the baseline, so nothing old is replayed.)
    const { fresh, cursor: next } = selectNewScans(
      rows,
      previous ? { since: previous.since, idsAtSince: previous.idsAtSince } : null,
    );
    return { scans: fresh, changes: [], cursor: { strategy: 'events', ...next }, truncated, primed: !previous };
  }

  // counts strategy
  const previous = cursor?.strategy === 'counts' ? cursor : undefined;
  const current: QrCode[] = [];
  let truncated = false;
  let resume: { page: number; newest: string | null } | undefined;
  const later = (a: string | null, b: string | null) =>
    a === null || (b !== null && Date.parse(b) > Date.parse(a)) ? b : a;
  let newest = previous?.resume?.newest ?? null;
  if (options.qrCodeId) {
    current.push(await client.qrcodes.get({ id: options.qrCodeId }));
  } else {
    // A pass over the codes, most recently scanned first, may span several polls: it resumes at the page where
    // `maxPages` stopped it (scans only move codes to the top, so the offsets ahead can repeat codes, never skip).
    const startPage = previous?.resume?.page ?? 1;
    const list = client.qrcodes.list({ sort: 'lastClicked', page: startPage, pageSize, showArchived: true });
    const sinceMs = previous?.since ? Date.parse(previous.since) : Number.NEGATIVE_INFINITY;
    // the first poll reads enough pages to know every code's count (as many as the count map may hold)
    const budget = previous ? maxPages : Math.ceil(MAX_TRACKED_COUNTS / pageSize);
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
  }
  const primedAt = previous?.primedAt ?? new Date().toISOString();
  const diff = diffScanCounts(current, previous?.counts ?? null, { knownBefore: previous ? primedAt : null });
  // `since` moves only when a pass is complete, so the codes a cut-short pass did not reach are read next time
  const since = resume ? (previous?.since ?? null) : later(previous?.since ?? null, newest);
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
 * One poll of a "new QR code" trigger. The first poll primes the cursor from the newest code. Later polls read the
 * closed window `[since, now]` (`createdAfter`/`createdBefore`, so codes created meanwhile cannot shift the offsets)
 * from its oldest page backwards, at most `maxPages` pages: a larger backlog is emitted oldest first over several
 * polls (`truncated` says more is waiting), never skipped.
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
  if (!previous) {
    const newest = await client.qrcodes.list({ ...options.filters, sort: 'createdAt', page: 1, pageSize });
    const { cursor } = selectNewQrCodes(newest, null); // empty → the epoch, as for scans
    return { qrCodes: [], cursor, truncated: false, primed: true };
  }
  // 1 ms before `since`, whether CodeQR's createdAfter is inclusive or not; the boundary ids dedupe
  const window = {
    ...options.filters,
    createdAfter: new Date(Date.parse(previous.since) - 1).toISOString(),
    createdBefore: new Date(Date.parse(nowIso) - (options.settleMs ?? 2000)).toISOString(),
  };
  const total = await client.qrcodes.count(window);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  // the codes already emitted at `since` sit at the oldest end: they get pages of their own on top of `maxPages`
  const budget = maxPages + Math.ceil(previous.idsAtSince.length / pageSize);
  const firstPage = Math.max(1, lastPage - budget + 1);
  const rows: QrCode[] = [];
  for (let page = lastPage; page >= firstPage; page--) {
    rows.push(...(await client.qrcodes.list({ ...window, sort: 'createdAt', page, pageSize })));
  }
  const { fresh, cursor } = selectNewQrCodes(rows, previous);
  return { qrCodes: fresh, cursor, truncated: firstPage > 1, primed: false };
}
