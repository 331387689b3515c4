import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { BulkItemFailureOutput } from './bulk-create-qr-codes.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';
import { qrCodeCreateInput } from './qr-code-input.ts';
import { createMissingTagsField, sendResolved } from './resolve-names.ts';
import { qrCodeSample } from './samples.ts';
import { UpsertMatchBy } from './upsert-qr-code.ts';

/** The most QR codes one bulk upsert accepts. */
export const UPSERT_MANY_MAX_ITEMS = 10_000;

/** One item's outcome, in input order: what was done and the QR code, or why this item failed. */
export const UpsertManyItemResult = z.discriminatedUnion('ok', [
  z.object({
    index: z.number().int().min(0),
    ok: z.literal(true),
    action: withMeta(z.enum(['created', 'updated', 'unchanged']), { label: 'Action' }),
    qrCode: QrCode,
  }),
  z.object({ index: z.number().int().min(0), ok: z.literal(false), error: BulkItemFailureOutput }),
]);

export const upsertQrCodes = defineOperation({
  key: 'upsertQrCodes',
  answers: 'items',
  resource: 'qrCode',
  verb: 'upsertMany',
  title: 'Create or Update QR Codes',
  description:
    'Creates or updates many QR codes at once, matched by External ID or destination URL, and answers one result ' +
    'per item in input order: created, updated, unchanged (nothing written) or why it failed. Rerunning an ' +
    'unchanged list writes nothing; new items are created in bulk, never twice.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return z.object({
      items: withMeta(z.array(qrCodeCreateInput()).min(1).max(UPSERT_MANY_MAX_ITEMS), {
        label: 'QR Codes',
        description: `The QR codes to create or update (1-${thousands(UPSERT_MANY_MAX_ITEMS)}), each with the Create QR Code fields.`,
        example: [{ url: 'https://example.com/a', externalId: 'sku-1', title: 'Spring menu' }],
      }),
      matchBy: UpsertMatchBy,
      createMissingTags: createMissingTagsField(),
    });
  },
  output: z.array(UpsertManyItemResult),
  sample: [
    { index: 0, ok: true, action: 'updated', qrCode: qrCodeSample },
    {
      index: 1,
      ok: false,
      error: {
        code: 'outcome_unknown',
        message:
          'The request failed (CodeQR had a server error (502)), and CodeQR could not be asked whether it was created. It may or may not have been created: run it again with externalId "sku-2" (that never creates it twice).',
        externalId: 'sku-2',
      },
    },
  ],
  run: async (client, { items, matchBy, createMissingTags = true }) =>
    sendResolved(client, items, createMissingTags, (ready) =>
      client.qrcodes.upsertMany(ready as typeof items, matchBy ? { matchBy } : {}),
    ),
});
