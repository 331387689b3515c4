import * as z from 'zod/v4';
import { QrCode, shortLinkFor } from '../schemas/qr-code.ts';

/**
 * `QrCode` the cheap way, for answers: the same fields checked the same way and the same `shortLink` filled in, but
 * the fields `QrCode` does not name are not walked one by one. A CodeQR answer carries ~70 fields, ~45 of them
 * unknown to `QrCode`, and its loose catch-all parsed each of them: most of a call's validation time. Here the named
 * fields are parsed (strip mode) and the rest is copied as it came (`withUnnamed`), so the value is the one
 * `QrCode` answers (key order aside); `test/validate-once.test.ts` compares the two.
 */
let named: z.ZodType<QrCode> | undefined;
export function qrCodeAnswer(): z.ZodType<QrCode> {
  named ??= z
    .object(QrCode.in.shape)
    .transform((qr) => ({ ...qr, shortLink: qr.shortLink ?? shortLinkFor(qr.domain, qr.key) })) as z.ZodType<QrCode>;
  return named;
}

/** `valid` (what `qrCodeAnswer()` made of `raw`) with the fields of `raw` it does not name, as they came. */
export function withUnnamed<T>(raw: unknown, valid: T): T {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object), ...valid } : valid;
}

/** `QrCode.safeParse(raw)`, the cheap way (see `qrCodeAnswer`). */
export function parseQrCodeAnswer(raw: unknown): { success: true; data: QrCode } | { success: false } {
  const parsed = qrCodeAnswer().safeParse(raw);
  return parsed.success ? { success: true, data: withUnnamed(raw, parsed.data) } : { success: false };
}
