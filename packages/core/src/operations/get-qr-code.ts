import * as z from 'zod/v4';
import { keepMeta, withMeta } from '../fields/meta.ts';
import type { QrCodeTarget } from '../qrcodes/requests.ts';
import { QrCode, QrCodeFields } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { qrCodeIdField } from './qr-code-input.ts';
import { qrCodeSample } from './samples.ts';

const F = QrCodeFields.shape;
const ways = 'pass exactly one of: id, externalId, or domain and key';

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const getInput = () =>
  z
    .object({
      id: qrCodeIdField().optional(),
      externalId: keepMeta(F.externalId, F.externalId.unwrap().unwrap().optional(), {
        description: 'Find the QR code by your own ID instead.',
      }),
      domain: withMeta(F.domain.optional(), {
        description: 'Find the QR code by its short link: the domain, with Key.',
        options: 'domains',
      }),
      key: withMeta(F.key.optional(), { description: 'Find the QR code by its short link: the key, with Domain.' }),
    })
    .superRefine((input, ctx) => {
      const given = [input.id, input.externalId, input.domain ?? input.key].filter((v) => v !== undefined).length;
      if (given === 0) ctx.addIssue({ code: 'custom', path: ['id'], message: `is required (${ways})` });
      if (given > 1) {
        for (const field of ['id', 'externalId', 'domain', 'key'] as const) {
          if (input[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: ways });
        }
        return;
      }
      if (input.domain !== undefined && input.key === undefined) {
        ctx.addIssue({ code: 'custom', path: ['key'], message: 'is required with domain' });
      }
      if (input.key !== undefined && input.domain === undefined) {
        ctx.addIssue({ code: 'custom', path: ['domain'], message: 'is required with key' });
      }
    });

/** The lookup the client expects, from input already checked to name exactly one way. */
function target(input: z.output<ReturnType<typeof getInput>>): QrCodeTarget {
  if (input.id) return { id: input.id };
  if (input.externalId) return { externalId: input.externalId };
  return { domain: input.domain ?? '', key: input.key ?? '' };
}

export const getQrCode = defineOperation({
  key: 'getQrCode',
  answers: 'qrCode',
  resource: 'qrCode',
  verb: 'get',
  title: 'Find QR Code',
  description: 'Retrieves one QR code by its ID, your External ID, or its short link (domain and key).',
  get input() {
    return getInput();
  },
  output: QrCode,
  sample: qrCodeSample,
  run: (client, input) => client.qrcodes.get(target(input)),
});
