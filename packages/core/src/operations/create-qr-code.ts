import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { qrCodeCreateInput } from './qr-code-input.ts';
import { qrCodeSample } from './samples.ts';

export const createQrCode = defineOperation({
  key: 'createQrCode',
  answers: 'qrCode',
  batch: 'bulkCreateQrCodes',
  resource: 'qrCode',
  verb: 'create',
  title: 'Create QR Code',
  description: 'Creates a dynamic (short-link) or static QR code. With an External ID the create is safe to retry.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return qrCodeCreateInput();
  },
  output: QrCode,
  sample: qrCodeSample,
  run: (client, input) => client.qrcodes.create(input),
});
