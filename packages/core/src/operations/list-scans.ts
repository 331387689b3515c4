import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { ScanEvent, scanEventFromRow } from '../polling/scan-event.ts';
import { EventsQuery } from '../schemas/events.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';
import { scanEventSample } from './samples.ts';
import { scanWindowFields } from './scan-window.ts';

/** The most scans one call returns. */
export const LIST_SCANS_MAX = 10_000;

const F = EventsQuery.shape;

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const listScansInput = () =>
  EventsQuery.pick({ qrcodeId: true, interval: true, start: true, end: true, order: true }).extend({
    ...scanWindowFields(F),
    order: withMeta(F.order, {
      label: 'Order',
      description: 'Newest scans first (default) or oldest first.',
      initial: 'desc',
      optionLabels: { desc: 'Newest First', asc: 'Oldest First' },
      advanced: true,
    }),
    limit: withMeta(z.number().int().min(1).max(LIST_SCANS_MAX).default(100), {
      label: 'Limit',
      description: `How many scans to return at most (1-${thousands(LIST_SCANS_MAX)}).`,
    }),
  });

export const listScans = defineOperation({
  key: 'listScans',
  answers: 'list',
  resource: 'scan',
  verb: 'list',
  title: 'List Scans',
  description: 'Individual scans with location and device (Business plan and up), newest first.',
  get input() {
    return listScansInput();
  },
  output: z.array(ScanEvent),
  sample: [scanEventSample],
  run: async (client, { limit, ...query }) => {
    const rows = await client.events.list({ ...query, event: 'scans' }).toArray({ limit });
    return rows.map(scanEventFromRow);
  },
});
