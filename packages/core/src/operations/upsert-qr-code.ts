import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { qrCodeCreateFields, qrCodeCreateSchema } from './qr-code-input.ts';
import { createMissingTagsField, resolveNames } from './resolve-names.ts';
import { qrCodeSample } from './samples.ts';

/** How upsert finds the existing QR code (shared by the single and the bulk upsert). */
export const UpsertMatchBy = withMeta(z.enum(['externalId', 'url']).optional(), {
  label: 'Match By',
  description:
    'How an existing QR code is found: by External ID (exact, unique) or by exact destination URL (the oldest ' +
    'code with it). Defaults to External ID when one is given, else URL.',
  optionLabels: { externalId: 'External ID', url: 'Destination URL' },
});

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const upsertInput = () =>
  qrCodeCreateSchema(
    qrCodeCreateFields().extend({ matchBy: UpsertMatchBy, createMissingTags: createMissingTagsField() }),
  );

export const upsertQrCode = defineOperation({
  key: 'upsertQrCode',
  answers: 'upsert',
  batch: 'upsertQrCodes',
  resource: 'qrCode',
  verb: 'upsert',
  title: 'Create or Update QR Code',
  description:
    'Finds the QR code by External ID or destination URL and updates only what differs (Unchanged: nothing is ' +
    'written), or creates it when none exists.',
  get input() {
    return upsertInput();
  },
  output: z.object({
    action: withMeta(z.enum(['created', 'updated', 'unchanged']), { label: 'Action' }),
    qrCode: QrCode,
  }),
  sample: { action: 'updated', qrCode: qrCodeSample },
  run: async (client, { matchBy, createMissingTags, ...fields }) =>
    client.qrcodes.upsert(await resolveNames(client, fields, createMissingTags), matchBy ? { matchBy } : {}),
});
