import type * as z from 'zod/v4';
import { schemaIssues } from '../client/validate.ts';
import { CodeQrError } from '../errors.ts';
import { EPOCH_ISO, type ScanCursor, type SelectKeys } from './cursor.ts';
import { IDS_KEPT_AT_SINCE } from './listing-types.ts';
import { isoFromMs, parseTime, toIsoTime } from './time.ts';

/**
 * What the scan and the new-QR-code polls share: how far behind now they read, how they read a stored cursor back,
 * the scope a cursor was counted in, and the first cursor.
 */

/** How far behind "now" the scan and QR-code polls read, by default. */
export const DEFAULT_SETTLE_MS = 2000;

/** `settleMs` as given (never negative), else the default. */
export const settleMs = (options: { settleMs?: number }) => Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS);

/** A cursor read back from the host's storage: validated, or a clear error telling how to recover. */
export function readStoredCursor<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> | undefined {
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

/**
 * A short fingerprint (FNV-1a, 8 hex digits) of a poll's filters, stored in its cursor: the positions a cursor
 * counts (`skip`, `doneAtSince`) belong to the listing of those filters. Lists are compared as sets.
 */
export function scopeOf(filters: object): string {
  const text = JSON.stringify(filters, (_, value) =>
    Array.isArray(value) ? [...value].map(String).sort() : (value ?? undefined),
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The cursor to read the listing of `scope` with. One counted with other filters (the user picked another QR code or
 * folder; some hosts keep the stored cursor then) carries over only its time and ids: every item after `since` is
 * read, and of those at `since` the ones not remembered by id may be emitted, nothing is skipped. A cursor without a
 * scope (older versions) is taken as it is.
 */
export function inScope(cursor: ScanCursor, scope: string, pageSize: number): ScanCursor {
  const { scope: counted, ...rest } = cursor;
  if (counted === undefined || counted === scope) return rest;
  // fewer ids than a page: the millisecond at `since` is re-read whole and ids decide
  const ids = pageSize > 1 ? rest.idsAtSince.slice(-(pageSize - 1)) : [];
  return { since: rest.since, idsAtSince: ids };
}

/**
 * The first cursor, from the newest page (newest first): everything up to the newest item is the baseline. When the
 * page holds the newest item's whole millisecond (it ends older or short) and its ids fit the cursor, the cursor sits
 * at that millisecond with those ids, so an item stamped with it that shows up later is still emitted; otherwise (a
 * burst larger than the page or the id bound) it sits 1 ms after, so none of the burst is ever emitted. An empty
 * project starts from the epoch, not from this machine's "now": a clock ahead of CodeQR's would skip the first items.
 */
export function primeCursor<T>(newestFirst: readonly T[], keys: SelectKeys<T>, pageSize: number): ScanCursor {
  const times = newestFirst.map((item) => parseTime(toIsoTime(keys.time(item), 'time')));
  const newest = Math.max(...times);
  if (newestFirst.length === 0 || !Number.isFinite(newest)) return { since: EPOCH_ISO, idsAtSince: [] };
  const atNewest = newestFirst.filter((_, i) => times[i] === newest).map(keys.id);
  const whole = newestFirst.length < pageSize || times.some((ms) => ms < newest);
  if (whole && atNewest.length <= IDS_KEPT_AT_SINCE)
    return { since: isoFromMs(newest), idsAtSince: [...new Set(atNewest)] };
  return { since: isoFromMs(newest + 1), idsAtSince: [] };
}
