import { pollNewQrCodes } from '../polling/poll-qr-codes.ts';
import { ListQrCodesFilters } from '../qrcodes/list.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineTrigger } from './define.ts';
import { qrCodeScopeFilters } from './qr-code-filters.ts';
import { qrCodeSample } from './samples.ts';

export const newQrCode = defineTrigger({
  key: 'newQrCode',
  resource: 'qrCode',
  verb: 'new',
  title: 'New QR Code',
  description: 'Fires once for each QR code created in CodeQR, optionally only on a domain, with tags or in a folder.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return ListQrCodesFilters.pick({ domain: true, tagNames: true, folderId: true }).extend(qrCodeScopeFilters());
  },
  output: QrCode,
  sample: qrCodeSample,
  poll: async (client, filters, cursor, budget) => {
    const result = await pollNewQrCodes(client, { ...budget, filters }, cursor);
    return { items: result.qrCodes, cursor: result.cursor, truncated: result.truncated, primed: result.primed };
  },
  recent: (client, filters, limit) => client.qrcodes.list({ ...filters, sort: 'createdAt' }).toArray({ limit }),
});
