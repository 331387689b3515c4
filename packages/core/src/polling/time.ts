import { CodeQrError } from '../errors.ts';

/** A date-time without a UTC offset (`2026-01-31 12:00:00`, `2026-01-31T12:00`): CodeQR means UTC. */
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date or date-time, `NaN` when unparseable. Date-times without an
 * offset are read as UTC (never as the machine's local time), so the result does not depend on where it runs.
 * Precision beyond milliseconds is truncated.
 */
export function parseTime(value: string): number {
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  return Date.parse(NAIVE_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
}

/** The canonical form of a point in time: `toISOString()` (UTC, millisecond precision). */
export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** `value` in canonical ISO form; a `validation_error` naming `field` when it is not a date-time. */
export function toIsoTime(value: string, field: string): string {
  const ms = parseTime(value);
  if (Number.isNaN(ms)) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `${field} must be an ISO 8601 date-time, got ${JSON.stringify(value)}`,
      issues: [{ field, message: 'must be an ISO 8601 date-time' }],
    });
  }
  return isoFromMs(ms);
}
