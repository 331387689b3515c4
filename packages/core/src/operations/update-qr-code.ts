import * as z from 'zod/v4';
import { QrCode } from '../schemas/qr-code.ts';
import { withQrCodeWriteChecks } from '../schemas/qr-code-checks.ts';
import { defineOperation } from './define.ts';
import { qrCodeUtmFields } from './qr-code-design.ts';
import { qrCodeIdField, qrCodeWriteFields } from './qr-code-input.ts';
import { createMissingTagsField, resolveNames } from './resolve-names.ts';
import { qrCodeSample } from './samples.ts';

// "nothing to update" is the client's own check (`client.qrcodes.update`), before the network as well; a blank
// field is "not set" (it stays as it is), an explicit null clears a clearable one
/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const updateInput = () =>
  withQrCodeWriteChecks(
    z
      .object({ id: qrCodeIdField() })
      .extend(qrCodeWriteFields().partial().shape)
      .extend({ ...qrCodeUtmFields(), createMissingTags: createMissingTagsField() }),
    'update',
  );

export const updateQrCode = defineOperation({
  key: 'updateQrCode',
  answers: 'qrCode',
  resource: 'qrCode',
  verb: 'update',
  title: 'Update QR Code',
  description: 'Changes the given fields of a QR code; fields left empty stay as they are (null clears one).',
  get input() {
    return updateInput();
  },
  output: QrCode,
  sample: qrCodeSample,
  run: async (client, { id, createMissingTags, ...patch }) =>
    client.qrcodes.update(id, await resolveNames(client, patch, createMissingTags)),
});
