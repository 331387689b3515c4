import * as z from 'zod/v4';
import { CodeQrError } from '../errors.ts';
import { shortLinkFor } from '../schemas/qr-code.ts';
import { parseTime } from './time.ts';

/** At most this many QR codes are tracked in a scan-count map; the least recently scanned are dropped first. */
export const MAX_TRACKED_COUNTS = 5000;

/** The stored state of a "scan count changed" trigger: scans per QR code id. */
export const ScanCounts = z.record(z.string(), z.number().int().nonnegative());
export type ScanCounts = z.infer<typeof ScanCounts>;

/** The parts of a QR code (`GET /qrcodes`) the scan-count trigger reads. */
export interface ScanCountSource {
  id: string;
  scans: number;
  lastClicked: string | null;
  domain: string;
  key: string;
  shortLink?: string | null | undefined;
  url: string | null | undefined;
  /** When the code was created; with `knownBefore` it tells an untracked old code from a new one. */
  createdAt?: string | undefined;
}

/** "This QR code was scanned `newScans` more times": the event of plans without `GET /events`. */
export const ScanCountEventSchema = z.object({
  /** `${qrCodeId}:${scans}`: unique per (code, count). */
  id: z.string().min(1),
  qrCodeId: z.string().min(1),
  previousScans: z.number().int().min(0),
  scans: z.number().int().min(0),
  newScans: z.number().int().min(1),
  lastScannedAt: z.string().nullable(),
  domain: z.string(),
  key: z.string(),
  shortLink: z.string(),
  url: z.string().nullable(),
});
export type ScanCountEvent = z.infer<typeof ScanCountEventSchema>;

export interface ScanCountDiff {
  /** Codes whose count grew, least recently scanned first. */
  events: ScanCountEvent[];
  /** The counts to store for the next poll. */
  counts: Record<string, number>;
}

const timeOrLowest = (value: string | null): number => {
  const ms = value === null ? Number.NaN : parseTime(value);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

const byLastClicked = (a: ScanCountSource, b: ScanCountSource): number =>
  timeOrLowest(a.lastClicked) - timeOrLowest(b.lastClicked) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function storedCount(previous: Record<string, number>, id: string): number | undefined {
  if (!Object.hasOwn(previous, id)) return undefined;
  const value = previous[id];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function existedBefore(code: ScanCountSource, knownBefore: number): boolean {
  if (Number.isNaN(knownBefore) || !code.createdAt) return false;
  const created = parseTime(code.createdAt);
  return !Number.isNaN(created) && created < knownBefore;
}

/**
 * "Scan count changed" events from two snapshots of QR-code scan counts (`scans`, `lastClicked`).
 *
 * - No `previous` (first poll): emits nothing, records the counts.
 * - A count that grew emits one event with the difference. A code missing from `previous` counts as 0, so a code
 *   created (or first listed) after the first poll emits its whole count.
 * - A count that dropped (reset) emits nothing and is recorded as is.
 * - Codes in `previous` but absent from `current` keep their count (`current` may be one page of
 *   `GET /qrcodes?sort=lastClicked`).
 *
 * The map is bounded to `max` entries: zero counts go first, then codes absent from `current`, then the least
 * recently scanned. A dropped code that is scanned again later is treated as new (emits its whole count), so keep
 * `max` above the number of codes that get scanned. After a reset, a count can reach an old value again and repeat
 * an event id.
 */
export function diffScanCounts(
  current: readonly ScanCountSource[],
  previous: Record<string, number> | null | undefined,
  options: {
    max?: number;
    /**
     * When counting started. A code missing from `previous` but created before it existed then without being
     * tracked (beyond the first poll's pages, or dropped by the bound): its count is recorded, not emitted, because
     * its count at that time is unknown (emitting its whole count would report old scans as new).
     */
    knownBefore?: string | null;
  } = {},
): ScanCountDiff {
  const max = options.max ?? MAX_TRACKED_COUNTS;
  const knownBefore = options.knownBefore ? parseTime(options.knownBefore) : Number.NaN;
  const seen = new Set<string>();
  const codes: ScanCountSource[] = [];
  for (const code of current) {
    if (seen.has(code.id)) continue;
    if (typeof code.scans !== 'number' || !Number.isFinite(code.scans) || code.scans < 0) {
      throw new CodeQrError({
        code: 'validation_error',
        message: `QR code ${JSON.stringify(code.id)} has an invalid scan count: ${JSON.stringify(code.scans)}`,
        issues: [{ field: 'scans', message: 'must be a non-negative number' }],
      });
    }
    seen.add(code.id);
    codes.push(code);
  }
  codes.sort(byLastClicked);

  const events: ScanCountEvent[] = [];
  if (previous) {
    for (const code of codes) {
      const stored = storedCount(previous, code.id);
      if (stored === undefined && existedBefore(code, knownBefore)) continue;
      const before = stored ?? 0;
      if (code.scans <= before) continue;
      events.push({
        id: `${code.id}:${code.scans}`,
        qrCodeId: code.id,
        previousScans: before,
        scans: code.scans,
        newScans: code.scans - before,
        lastScannedAt: code.lastClicked,
        domain: code.domain,
        key: code.key,
        shortLink: code.shortLink || shortLinkFor(code.domain, code.key),
        url: code.url ?? null,
      });
    }
  }

  // Eviction order, first dropped first: zero counts, codes only in `previous`, then by last scan.
  const zeros: [string, number][] = [];
  const kept: [string, number][] = [];
  if (previous) {
    for (const id of Object.keys(previous)) {
      const count = storedCount(previous, id);
      if (count === undefined || seen.has(id)) continue;
      (count === 0 ? zeros : kept).push([id, count]);
    }
  }
  for (const code of codes) (code.scans === 0 ? zeros : kept).push([code.id, code.scans]);
  const entries = [...zeros, ...kept];
  return { events, counts: Object.fromEntries(max > 0 ? entries.slice(-max) : []) };
}
