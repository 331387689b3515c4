import { ApiError } from '../api-error.ts';
import { isColor } from '../colors.ts';
import type { QrCodeType } from '../wire/enums.ts';

/** CodeQR's coercions: what it does to a valid request before storing it, rather than refusing it. */

/** Dub's `isValidUrl`: whatever `new URL()` parses. */
export function isValidUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Dub's `getUrlFromString` (packages/utils/src/functions/urls.ts), which CodeQR's server applies to `url` and
 * `expiredUrl` before checking them: a parsable URL stays as is; text with a dot and no space gets `https://`.
 */
export function getUrlFromString(value: string): string {
  if (isValidUrl(value)) return value;
  try {
    if (value.includes('.') && !value.includes(' ')) return new URL(`https://${value}`).toString();
  } catch {}
  return value;
}

/** `url` and `expiredUrl` as CodeQR stores them (`getUrlFromString`), or its 422 when they still do not parse. */
export function normaliseUrls(body: { url?: string | null; expiredUrl?: string | null }): void {
  if (body.url) {
    body.url = getUrlFromString(body.url);
    if (!isValidUrl(body.url)) throw new ApiError('unprocessable_entity', 'Invalid destination URL');
  }
  if (body.expiredUrl) {
    body.expiredUrl = getUrlFromString(body.expiredUrl);
    if (!isValidUrl(body.expiredUrl)) throw new ApiError('unprocessable_entity', 'Invalid expired URL.');
  }
}

/** Colour fields and their defaults (spec: QrCodeSchema.properties.bgColor/fgColor/frameColor `default`). */
const COLOR_DEFAULTS = [
  ['bgColor', '#ffffff'],
  ['fgColor', '#000000'],
  ['frameColor', '#000000'],
] as const;

/**
 * The spec: colours are "hex or CSS keyword. Invalid values are coerced to default". `onlyGiven` (updates) leaves
 * absent fields alone; `frameColor` is only ever coerced when present.
 */
export function normaliseColors(record: Record<string, unknown>, onlyGiven = false): void {
  for (const [field, fallback] of COLOR_DEFAULTS) {
    if ((onlyGiven || field === 'frameColor') && record[field] === undefined) continue;
    if (typeof record[field] !== 'string' || !isColor(record[field] as string)) record[field] = fallback;
  }
}

/** The payload field each QR type reads its content from (`url` codes read `url`, which is never ignored). */
const PAYLOAD_FIELDS: Partial<Record<QrCodeType, string>> = {
  text: 'text',
  email: 'email',
  wifi: 'wifi',
  phone: 'phone',
  vcard: 'vcard',
  crypto: 'crypto',
  sms: 'sms',
  whatsapp: 'whatsapp',
  facetime: 'facetime',
  latlog: 'latlog',
  geo: 'latlog', // a "geo" code's coordinates (its `geo` field is the spec's country targeting, not content)
  pix: 'pix',
};
const PAYLOADS = new Set(Object.values(PAYLOAD_FIELDS));

/**
 * Whether an update's `field` is another type's payload, which CodeQR accepts and ignores (its MCP notes: a `wifi`
 * sent to a URL code "is accepted and silently changes nothing").
 */
export function isForeignPayload(field: string, type: QrCodeType): boolean {
  return PAYLOADS.has(field) && field !== PAYLOAD_FIELDS[type];
}
