import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { BulkDeleteResult } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';

/** The most ids one bulk-delete call accepts (sent to CodeQR in chunks of 100). */
export const BULK_DELETE_MAX_IDS = 10_000;

export const bulkDeleteQrCodes = defineOperation({
  key: 'bulkDeleteQrCodes',
  answers: 'data',
  resource: 'qrCode',
  verb: 'bulkDelete',
  title: 'Delete QR Codes in Bulk',
  description: 'Deletes many QR codes by ID; IDs that do not exist are ignored.',
  // built on first use (see `defineOperation`): importing the registry constructs no operation's schemas
  get input() {
    return z.object({
      ids: withMeta(z.array(z.string().trim().min(1)).min(1).max(BULK_DELETE_MAX_IDS), {
        label: 'QR Code IDs',
        description: `IDs of the QR codes to delete (1-${thousands(BULK_DELETE_MAX_IDS)}).`,
        options: 'qrCodes',
      }),
    });
  },
  output: BulkDeleteResult,
  sample: { deletedCount: 2 },
  run: (client, { ids }) => client.qrcodes.bulkDelete(ids),
});
