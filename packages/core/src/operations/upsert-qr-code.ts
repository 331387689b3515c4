import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { QrCode, requireUrlForUrlType } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { QrCodeCreateFields } from './qr-code-input.ts';
import { qrCodeSample } from './samples.ts';

const UpsertQrCodeOperationInput = requireUrlForUrlType(
  QrCodeCreateFields.extend({
    matchBy: withMeta(z.enum(['externalId', 'url']).optional(), {
      label: 'Match By',
      description:
        'How an existing QR code is found: by External ID (exact, unique) or by exact destination URL. ' +
        'Defaults to External ID when one is given, else URL.',
      optionLabels: { externalId: 'External ID', url: 'Destination URL' },
    }),
  }),
);

export const upsertQrCode = defineOperation({
  key: 'upsertQrCode',
  resource: 'qrCode',
  verb: 'upsert',
  title: 'Create or Update QR Code',
  description:
    'Finds the QR code by External ID or destination URL and updates what differs, or creates it when none exists.',
  input: UpsertQrCodeOperationInput,
  output: z.object({
    action: withMeta(z.enum(['created', 'updated', 'unchanged']), { label: 'Action' }),
    qrCode: QrCode,
  }),
  sample: { action: 'updated', qrCode: qrCodeSample },
  run: (client, { matchBy, ...fields }) => client.qrcodes.upsert(fields, matchBy ? { matchBy } : {}),
});
