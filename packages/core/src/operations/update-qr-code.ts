import * as z from 'zod/v4';
import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { QrCodeIdField, QrCodeWriteFields } from './qr-code-input.ts';
import { qrCodeSample } from './samples.ts';

// "nothing to update" is the client's own check (`client.qrcodes.update`), before the network as well
const UpdateQrCodeOperationInput = z.object({ id: QrCodeIdField }).extend(QrCodeWriteFields.partial().shape);

export const updateQrCode = defineOperation({
  key: 'updateQrCode',
  resource: 'qrCode',
  verb: 'update',
  title: 'Update QR Code',
  description: 'Changes the given fields of a QR code; fields left empty stay as they are.',
  input: UpdateQrCodeOperationInput,
  output: QrCode,
  sample: qrCodeSample,
  run: (client, { id, ...patch }) => client.qrcodes.update(id, patch),
});
