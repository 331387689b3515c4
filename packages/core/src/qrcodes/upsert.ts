import { isCodeQrError } from '../errors.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import {
  type CreateBody,
  type CreateQrCodeInput,
  type QrCodeRequests,
  type UpdateQrCodeInput,
  validateCreate,
} from './requests.ts';
import { find, findByExternalId, matchByOf, patchFor, type UpsertOptions, type UpsertResult } from './upsert-match.ts';

/** `client.qrcodes.upsert`: find the QR code, write only what differs, or create it (`unchanged`: nothing written). */
export async function upsert(
  api: QrCodeRequests,
  input: CreateQrCodeInput,
  options: UpsertOptions = {},
): Promise<UpsertResult> {
  const body = validateCreate(input);
  const matchBy = matchByOf(body, options.matchBy);
  const existing = await find(api, { index: 0, body, matchBy });
  if (existing) return apply(api, existing, body);
  try {
    // a conflict is settled below (someone else created it first: update theirs), so it must come back as one
    return { action: 'created', qrCode: await api.create(body as CreateQrCodeInput, { existing: 'fail' }) };
  } catch (error) {
    // someone created it between our lookup and our create: update theirs instead
    if (isCodeQrError(error) && error.code === 'conflict' && body.externalId) {
      const raced = await findByExternalId(api, body.externalId);
      if (raced) return apply(api, raced, body);
    }
    throw error;
  }
}

/** Writes what differs between `existing` and `body` (nothing when nothing does). */
async function apply(api: QrCodeRequests, existing: QrCode, body: CreateBody): Promise<UpsertResult> {
  const patch = patchFor(existing, body);
  if (Object.keys(patch).length === 0) return { action: 'unchanged', qrCode: existing };
  return { action: 'updated', qrCode: await api.update(existing.id, patch as UpdateQrCodeInput) };
}
