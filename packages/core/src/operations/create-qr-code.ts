import { vouchCreateInput } from '../qrcodes/requests.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { qrCodeCreateFields, qrCodeCreateSchema } from './qr-code-input.ts';
import { createMissingTagsField, resolveNames } from './resolve-names.ts';
import { qrCodeSample } from './samples.ts';

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const createInput = () =>
  qrCodeCreateSchema(qrCodeCreateFields().extend({ createMissingTags: createMissingTagsField() }));

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
    return createInput();
  },
  output: QrCode,
  sample: qrCodeSample,
  run: async (client, { createMissingTags, ...input }) =>
    // parsed by `input` (stricter than the client's own check): vouched, so the client does not validate it again
    client.qrcodes.create(vouchCreateInput(await resolveNames(client, input, createMissingTags))),
});
