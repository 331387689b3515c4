import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { vouchCreateInput } from '../qrcodes/requests.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';
import { qrCodeCreateInput } from './qr-code-input.ts';
import { createMissingTagsField, sendResolved } from './resolve-names.ts';
import { qrCodeSample } from './samples.ts';

/** The most QR codes one bulk-create call accepts (sent to CodeQR in chunks of 100). */
export const BULK_CREATE_MAX_ITEMS = 10_000;

/**
 * Why one item of a bulk call failed. `outcome_unknown`: CodeQR's answer was lost and could not be checked; running
 * the item again with `externalId` (the one it was sent with) never creates it twice.
 */
export const BulkItemFailureOutput = z.object({
  code: z.string(),
  message: z.string(),
  /** The first bad field, relative to the item (`url`). */
  field: z.string().optional(),
  externalId: z.string().optional(),
  /** Every bad field of an invalid item: path relative to the item, label, rule and sentence. */
  issues: z
    .array(
      z.object({ field: z.string(), message: z.string(), label: z.string().optional(), rule: z.string().optional() }),
    )
    .optional(),
  /** The HTTP status CodeQR answered for this item, when it answered one. */
  status: z.number().int().optional(),
  /** Seconds to wait before running this item again (rate limits). */
  retryAfter: z.number().optional(),
});

/** One item's outcome, in input order: the created QR code, or why this item failed. */
export const BulkCreateItemResult = z.discriminatedUnion('ok', [
  z.object({
    index: z.number().int().min(0),
    ok: z.literal(true),
    /** `unchanged`: a QR code with this External ID was already there (a replay), answered as it is. */
    action: withMeta(z.enum(['created', 'unchanged']), { label: 'Action' }),
    qrCode: QrCode,
  }),
  z.object({ index: z.number().int().min(0), ok: z.literal(false), error: BulkItemFailureOutput }),
]);

export const bulkCreateQrCodes = defineOperation({
  key: 'bulkCreateQrCodes',
  answers: 'items',
  resource: 'qrCode',
  verb: 'bulkCreate',
  title: 'Create QR Codes in Bulk',
  description:
    'Creates many QR codes at once and answers one result per item, in input order. Every item is checked on its ' +
    'own before anything is sent; items without an External ID get a generated one, so retries never create ' +
    'duplicates. An item whose External ID is already used by the same QR code (a replay) answers that code as ' +
    'unchanged. An item whose outcome could not be checked fails with outcome_unknown and the External ID to rerun it with.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return z.object({
      items: withMeta(z.array(qrCodeCreateInput()).min(1).max(BULK_CREATE_MAX_ITEMS), {
        label: 'QR Codes',
        description: `The QR codes to create (1-${thousands(BULK_CREATE_MAX_ITEMS)}), each with the Create QR Code fields.`,
        example: [{ url: 'https://example.com/a', externalId: 'sku-1' }],
      }),
      createMissingTags: createMissingTagsField(),
    });
  },
  output: z.array(BulkCreateItemResult),
  sample: [
    { index: 0, ok: true, action: 'created', qrCode: qrCodeSample },
    {
      index: 1,
      ok: false,
      error: { code: 'conflict', message: 'key "spring-menu" is already in use on cqr.link.', field: 'key' },
    },
  ],
  run: async (client, { items, createMissingTags = true }) =>
    // each item parsed by `qrCodeCreateInput` (stricter than the client's own check): vouched, not validated again
    sendResolved(client, items, createMissingTags, (ready) =>
      client.qrcodes.bulkCreate((ready as typeof items).map(vouchCreateInput)),
    ),
});
