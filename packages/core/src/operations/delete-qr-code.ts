import * as z from 'zod/v4';
import { DeletedQrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { qrCodeIdField } from './qr-code-input.ts';

export const deleteQrCode = defineOperation({
  key: 'deleteQrCode',
  answers: 'data',
  resource: 'qrCode',
  verb: 'delete',
  title: 'Delete QR Code',
  description: 'Deletes a QR code for good; its short link stops working.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return z.object({ id: qrCodeIdField() });
  },
  output: DeletedQrCode,
  sample: { id: 'cm8x2k4qz0001l80f7h3b9d2e' },
  run: (client, { id }) => client.qrcodes.delete(id),
});
