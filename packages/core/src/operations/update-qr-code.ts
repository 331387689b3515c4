import * as z from 'zod/v4';
import type { UpdateQrCodeInput } from '../qrcodes/qrcodes.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { QrCodeIdField, QrCodeWriteFields } from './qr-code-input.ts';
import { qrCodeSample } from './samples.ts';

const UpdateQrCodeOperationInput = z
  .object({ id: QrCodeIdField })
  .extend(QrCodeWriteFields.partial().shape)
  .refine((input) => Object.entries(input).some(([key, value]) => key !== 'id' && value !== undefined), {
    path: [],
    message: 'nothing to update: set at least one field to change',
  });

export const updateQrCode = defineOperation({
  key: 'updateQrCode',
  resource: 'qrCode',
  verb: 'update',
  title: 'Update QR Code',
  description: 'Changes the given fields of a QR code; fields left empty stay as they are.',
  input: UpdateQrCodeOperationInput,
  output: QrCode,
  sample: qrCodeSample,
  run: (client, { id, ...patch }) => client.qrcodes.update(id, patch as UpdateQrCodeInput),
});
