import { ApiError } from '../api-error.ts';

/** The time window of an analytics or events query, and its buckets for a time series. */

const DAY = 86_400_000;

export interface TimeWindow {
  start: number;
  end: number;
  granularity: 'minute' | 'hour' | 'day' | 'month';
}

/** Resolves `interval` (which takes precedence) or `start`/`end` into a window (plan limits: plans.ts). */
export function resolveWindow(
  query: { interval?: string; start?: string; end?: string },
  now: number,
  defaultInterval = '24h',
): TimeWindow {
  let start: number;
  let end = now;
  const interval = query.interval ?? (query.start ? undefined : defaultInterval);
  if (interval) {
    const year = new Date(now).getUTCFullYear();
    const spans: Record<string, number> = {
      '1h': 3_600_000,
      '24h': DAY,
      '7d': 7 * DAY,
      '30d': 30 * DAY,
      '90d': 90 * DAY,
      ytd: now - Date.UTC(year, 0, 1),
      '1y': 365 * DAY,
      all: now - Date.UTC(2020, 0, 1),
    };
    start = now - (spans[interval] ?? DAY);
  } else {
    start = Date.parse(query.start!);
    if (query.end) end = Date.parse(query.end);
    if (end < start) throw new ApiError('unprocessable_entity', 'end: must be after start');
  }
  const span = end - start;
  const granularity = span <= 3_600_000 ? 'minute' : span <= 2 * DAY ? 'hour' : span <= 92 * DAY ? 'day' : 'month';
  return { start, end, granularity };
}

/** The start of the bucket `ms` falls in. */
export function floorTo(ms: number, granularity: TimeWindow['granularity']): number {
  const d = new Date(ms);
  switch (granularity) {
    case 'minute':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
    case 'hour':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

export function nextBucket(ms: number, granularity: TimeWindow['granularity']): number {
  const d = new Date(ms);
  switch (granularity) {
    case 'minute':
      return ms + 60_000;
    case 'hour':
      return ms + 3_600_000;
    case 'day':
      return ms + DAY;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
}
