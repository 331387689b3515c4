import type * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';

const INTERVAL_LABELS: Record<string, string> = {
  '1h': 'Last Hour',
  '24h': 'Last 24 Hours',
  '7d': 'Last 7 Days',
  '30d': 'Last 30 Days',
  '90d': 'Last 90 Days',
  ytd: 'Year to Date',
  '1y': 'Last 12 Months',
  all: 'All Time',
};

/**
 * The scope and time-window fields shared by the scan operations (analytics and scan lists), labelled once. Takes
 * the query schema's own fields, since `/analytics` and `/events` accept slightly different intervals.
 */
export function scanWindowFields<
  S extends { qrcodeId: z.ZodType; interval: z.ZodType; start: z.ZodType; end: z.ZodType },
>(shape: S): Pick<S, 'qrcodeId' | 'interval' | 'start' | 'end'> {
  const intervals = (shape.interval as unknown as { unwrap(): { options: readonly string[] } }).unwrap().options;
  return {
    qrcodeId: withMeta(shape.qrcodeId, {
      label: 'QR Code',
      description: 'Only scans of this QR code (default: all).',
      options: 'qrCodes',
    }),
    interval: withMeta(shape.interval, {
      label: 'Interval',
      description: "A preset window ending now; or set Start and End instead. CodeQR's default is the last 24 hours.",
      initial: '24h',
      optionLabels: Object.fromEntries(intervals.map((value) => [value, INTERVAL_LABELS[value] ?? value])),
    }),
    start: withMeta(shape.start, {
      label: 'Start',
      description: 'Start of the window (ISO 8601), instead of Interval.',
      format: 'date-time',
      placeholder: '2026-03-01T00:00:00Z',
    }),
    end: withMeta(shape.end, {
      label: 'End',
      description: 'End of the window (ISO 8601); defaults to now.',
      format: 'date-time',
      placeholder: '2026-03-31T23:59:59Z',
    }),
  };
}
