import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { diffScanCounts, ScanCountEventSchema } from '../polling/counts.ts';
import { pollNewScans } from '../polling/poll-scans.ts';
import { defineTrigger } from './define.ts';
import { qrCodeIdField } from './qr-code-input.ts';
import { qrCodeSample } from './samples.ts';

export const scanCountChanged = defineTrigger({
  key: 'scanCountChanged',
  resource: 'scan',
  verb: 'countChanged',
  title: 'Scan Count Changed',
  description:
    "Fires when a QR code's scan count grows, with how many new scans (works on every plan; one item per QR code " +
    'per poll, not per scan).',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return z.object({
      qrCodeId: withMeta(qrCodeIdField().optional(), { description: 'Only this QR code (default: all).' }),
    });
  },
  output: ScanCountEventSchema,
  sample: {
    id: `${qrCodeSample.id}:42`,
    qrCodeId: qrCodeSample.id,
    previousScans: 39,
    scans: 42,
    newScans: 3,
    lastScannedAt: qrCodeSample.lastClicked,
    domain: qrCodeSample.domain,
    key: qrCodeSample.key,
    shortLink: qrCodeSample.shortLink,
    url: qrCodeSample.url,
  },
  poll: async (client, { qrCodeId }, cursor, budget) => {
    const result = await pollNewScans(client, { ...budget, strategy: 'counts', qrCodeId }, cursor);
    return {
      items: result.changes,
      cursor: result.cursor,
      truncated: result.truncated,
      primed: result.primed,
    };
  },
  /** Without a stored count every scanned code counts from 0; the id (`<qrCodeId>:<scans>`) changes with the count. */
  recent: async (client, { qrCodeId }, limit) => {
    const codes = qrCodeId
      ? [await client.qrcodes.get({ id: qrCodeId })]
      : await client.qrcodes.list({ sort: 'lastClicked', showArchived: true }).toArray({ limit });
    return diffScanCounts(codes, {}).events.reverse().slice(0, limit);
  },
});
