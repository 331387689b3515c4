/**
 * Checks of the content of the vCard, Crypto, Pix, FaceTime, Location (`latlog`) and Geo types, on a create or update
 * body: what CodeQR would store half-empty or encode wrong (its payload maps accept any string, and ignore unknown
 * keys). Used by `qr-code-checks.ts` (the client and the operations) and by the operations' field schemas.
 */

type Body = Record<string, unknown>;
type Issue = { path: (string | number)[]; message: string };

/** A decimal amount with a dot: `10`, `10.5`, `0.0001`. */
export const AMOUNT_PATTERN = /^\d{1,13}(\.\d{1,18})?$/;
export const AMOUNT_MESSAGE = 'must be a number with a dot for decimals, e.g. 10.50 (no currency sign, no comma)';
/** A URI scheme (RFC 3986): what a crypto payment link starts with (`bitcoin:`, `ethereum:`). */
export const CRYPTO_SCHEME_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]{0,31}$/;
export const CRYPTO_SCHEME_MESSAGE = 'must be a currency scheme of letters, e.g. bitcoin or ethereum';
export const LATITUDE_MESSAGE = 'must be a number from -90 to 90, e.g. -23.5505';
export const LONGITUDE_MESSAGE = 'must be a number from -180 to 180, e.g. -46.6333';
/** BR Code limits (BCB's "Manual de Padrões para Iniciação do Pix"): EMV fields 59 and 60, and what fits in 26. */
export const PIX_LIMITS = { key: 77, name: 25, city: 15, description: 72 } as const;
/** Why a code of type `geo` cannot be created, and the fix. */
export const GEO_TYPE_MESSAGE =
  'cannot be "geo" through CodeQR\'s API: CodeQR reads a geo code\'s coordinates from the "geo" field, which is ' +
  'Country Targeting, so every geo code encodes "geo:undefined". Choose the type "latlog" (Location) and give its ' +
  'latitude and longitude instead';

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const inRange = (value: string, limit: number) => {
  const text = value.trim();
  return DECIMAL.test(text) && Math.abs(Number(text)) <= limit;
};
export const isLatitude = (value: string) => inRange(value, 90);
export const isLongitude = (value: string) => inRange(value, 180);

/** Keys each content object must have whenever it is given, by type (the ones its payload cannot do without). */
export const REQUIRED_CONTENT_KEYS: Record<string, readonly string[]> = {
  email: ['email'],
  wifi: ['ssid'],
  sms: ['tel'],
  whatsapp: ['number'],
  crypto: ['cryptocurrency', 'address'],
  pix: ['key', 'name', 'city'],
  facetime: ['phone'],
  latlog: ['latitude', 'longitude'],
};

/** Nothing given: undefined, null or only spaces. */
export const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
/** `value` as a plain object, or undefined. */
export const asRecord = (value: unknown): Body | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
const filled = (value: unknown): value is string => typeof value === 'string' && !isBlank(value);

/** Malformed values inside the vCard-to-Location content objects that were given (whatever the type). */
export function typedContentIssues(body: Body): Issue[] {
  const issues: Issue[] = [];
  if (body.type === 'geo') issues.push({ path: ['type'], message: GEO_TYPE_MESSAGE });
  const crypto = asRecord(body.crypto);
  if (filled(crypto?.cryptocurrency) && !CRYPTO_SCHEME_PATTERN.test(crypto.cryptocurrency.trim())) {
    issues.push({ path: ['crypto', 'cryptocurrency'], message: CRYPTO_SCHEME_MESSAGE });
  }
  const pix = asRecord(body.pix);
  for (const [record, name] of [
    [crypto, 'crypto'],
    [pix, 'pix'],
  ] as const) {
    const value = record?.amount;
    if (filled(value) && !AMOUNT_PATTERN.test(value.trim()))
      issues.push({ path: [name, 'amount'], message: AMOUNT_MESSAGE });
  }
  for (const key of ['key', 'name', 'city', 'description'] as const) {
    const value = pix?.[key];
    const max = PIX_LIMITS[key];
    if (typeof value === 'string' && value.trim().length > max) {
      issues.push({ path: ['pix', key], message: `must be at most ${max} characters (the BR Code's limit)` });
    }
  }
  const latlog = asRecord(body.latlog);
  if (filled(latlog?.latitude) && !isLatitude(latlog.latitude)) {
    issues.push({ path: ['latlog', 'latitude'], message: LATITUDE_MESSAGE });
  }
  if (filled(latlog?.longitude) && !isLongitude(latlog.longitude)) {
    issues.push({ path: ['latlog', 'longitude'], message: LONGITUDE_MESSAGE });
  }
  return issues;
}
