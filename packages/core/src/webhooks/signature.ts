import { createHmac, timingSafeEqual } from 'node:crypto';
import { CodeQrError } from '../errors.ts';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();

/** The raw body as bytes; a `validation_error` for anything else (typically an already-parsed JSON object). */
export function rawBodyBytes(rawBody: unknown): Uint8Array {
  if (typeof rawBody === 'string') return encoder.encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  throw new CodeQrError({
    code: 'validation_error',
    message:
      `The webhook body must be the raw request body (a string or Uint8Array/Buffer), got ${describe(rawBody)}. ` +
      'Pass the bytes exactly as received, not a parsed JSON object: re-serialising changes them and breaks the signature.',
    issues: [{ field: 'rawBody', message: 'must be the raw request body (string or Uint8Array)' }],
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.trim() === '') {
    throw new CodeQrError({
      code: 'validation_error',
      message: "The webhook secret is empty: copy it from the webhook's settings in the CodeQR dashboard.",
      issues: [{ field: 'secret', message: 'must not be empty' }],
    });
  }
}

/** The `CodeQR-Signature` value for `rawBody`: lowercase hex HMAC-SHA256 with the webhook's secret. */
export function signWebhook(rawBody: string | Uint8Array, secret: string): string {
  const bytes = rawBodyBytes(rawBody);
  checkSecret(secret);
  return createHmac('sha256', secret).update(bytes).digest('hex');
}

/**
 * Whether `signatureHeader` (the `CodeQR-Signature` header) is the HMAC-SHA256 of the raw body with `secret`.
 * Case and surrounding whitespace of the header are ignored; the comparison is constant-time. A missing or
 * malformed header answers false. Throws a `validation_error` when `rawBody` is not a string/Uint8Array or the
 * secret is empty: those are setup mistakes, not bad deliveries.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string,
): boolean {
  const expected = signWebhook(rawBody, secret);
  if (typeof signatureHeader !== 'string') return false;
  const given = signatureHeader.trim().toLowerCase();
  if (!HEX_SHA256.test(given)) return false;
  const a = encoder.encode(expected);
  const b = encoder.encode(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
