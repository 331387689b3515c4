import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { pollNewScans } from '../polling/poll-scans.ts';
import { ScanEvent, scanEventFromRow } from '../polling/scan-event.ts';
import { defineTrigger } from './define.ts';
import { qrCodeIdField } from './qr-code-input.ts';
import { scanEventSample } from './samples.ts';

export const newScan = defineTrigger({
  key: 'newScan',
  resource: 'scan',
  verb: 'new',
  title: 'New Scan',
  description:
    'Fires once per scan, with location and device (reads scan events: Business plan and up). ' +
    'On other plans use Scan Count Changed.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return z.object({
      qrCodeId: withMeta(qrCodeIdField().optional(), { description: 'Only scans of this QR code (default: all).' }),
    });
  },
  output: ScanEvent,
  sample: scanEventSample,
  poll: async (client, { qrCodeId }, cursor, budget) => {
    const result = await pollNewScans(client, { ...budget, strategy: 'events', qrCodeId }, cursor);
    return { items: result.scans, cursor: result.cursor, truncated: result.truncated, primed: result.primed };
  },
  recent: async (client, { qrCodeId }, limit) => {
    const rows = await client.events
      .list({ event: 'scans', qrcodeId: qrCodeId, interval: 'all', order: 'desc' })
      .toArray({ limit });
    return rows.map(scanEventFromRow);
  },
});
