import { withMeta } from '../fields/meta.ts';
import { pollNewQrCodes } from '../polling/poll.ts';
import { ListQrCodesFilters } from '../qrcodes/qrcodes.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineTrigger } from './define.ts';
import { qrCodeSample } from './samples.ts';

const F = ListQrCodesFilters.shape;

export const newQrCode = defineTrigger({
  key: 'newQrCode',
  resource: 'qrCode',
  verb: 'new',
  title: 'New QR Code',
  description: 'Fires once for each QR code created in CodeQR, optionally only on a domain, with tags or in a folder.',
  input: ListQrCodesFilters.pick({ domain: true, tagNames: true, folderId: true }).extend({
    domain: withMeta(F.domain, { label: 'Domain', description: 'Only QR codes on this domain.', options: 'domains' }),
    tagNames: withMeta(F.tagNames, {
      label: 'Tags',
      description: 'Only QR codes with one of these tags.',
      options: 'tags',
    }),
    folderId: withMeta(F.folderId, {
      label: 'Folder',
      description: 'Only QR codes in this folder.',
      options: 'folders',
    }),
  }),
  output: QrCode,
  sample: qrCodeSample,
  poll: async (client, filters, cursor) => {
    const result = await pollNewQrCodes(client, { filters }, cursor);
    return { items: result.qrCodes, cursor: result.cursor, truncated: result.truncated, primed: result.primed };
  },
  recent: (client, filters, limit) => client.qrcodes.list({ ...filters, sort: 'createdAt' }).toArray({ limit }),
});
