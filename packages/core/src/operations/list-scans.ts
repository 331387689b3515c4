import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { ScanEvent, scanEventFromRow } from '../polling/scan-event.ts';
import { EventsQuery } from '../schemas/events.ts';
import { defineOperation } from './define.ts';
import { scanEventSample } from './samples.ts';

/** The most scans one call returns. */
export const LIST_SCANS_MAX = 10_000;

const F = EventsQuery.shape;

const ListScansInput = EventsQuery.pick({ qrcodeId: true, interval: true, start: true, end: true, order: true }).extend(
  {
    qrcodeId: withMeta(F.qrcodeId, {
      label: 'QR Code',
      description: 'Only scans of this QR code (default: all).',
      options: 'qrCodes',
    }),
    interval: withMeta(F.interval, {
      label: 'Interval',
      description: 'A preset window ending now; or set Start and End instead.',
      optionLabels: {
        '24h': 'Last 24 Hours',
        '7d': 'Last 7 Days',
        '30d': 'Last 30 Days',
        '90d': 'Last 90 Days',
        ytd: 'Year to Date',
        '1y': 'Last Year',
        all: 'All Time',
      },
    }),
    start: withMeta(F.start, { label: 'Start', format: 'date-time', placeholder: '2026-03-01T00:00:00Z' }),
    end: withMeta(F.end, { label: 'End', format: 'date-time', placeholder: '2026-03-31T23:59:59Z' }),
    order: withMeta(F.order, {
      label: 'Order',
      optionLabels: { desc: 'Newest First', asc: 'Oldest First' },
      advanced: true,
    }),
    limit: withMeta(z.number().int().min(1).max(LIST_SCANS_MAX).default(100), {
      label: 'Limit',
      description: `How many scans to return at most (1-${LIST_SCANS_MAX.toLocaleString('en-US')}).`,
    }),
  },
);

export const listScans = defineOperation({
  key: 'listScans',
  resource: 'scan',
  verb: 'list',
  title: 'List Scans',
  description: 'Individual scans with location and device (Business plan and up), newest first.',
  input: ListScansInput,
  output: z.array(ScanEvent),
  sample: [scanEventSample],
  run: async (client, { limit, ...query }) => {
    const rows = await client.events
      .list({ ...query, event: 'scans', limit: Math.min(limit, 1000), maxItems: limit })
      .toArray({ limit });
    return rows.map(scanEventFromRow);
  },
});
