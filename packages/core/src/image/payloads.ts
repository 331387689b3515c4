/**
 * The standard payloads of the vCard, Location/Geo, FaceTime, Crypto and Pix types, for static codes rendered locally.
 * Each follows a public standard (vCard 3.0, RFC 2426; `geo:` URI, RFC 5870; Apple's `facetime:` schemes; BIP-21
 * style payment URIs; Pix's EMV BR Code), not CodeQR's own constructor, which is private (see the README, "QR types
 * and their fields"). `missing(path)` throws the caller's validation error for a value the payload cannot do without.
 */

type ContentRecord = Readonly<Record<string, unknown>>;
type Missing = (path: string) => never;

/** The first of `names` holding a non-blank string (or a finite number), trimmed. */
export function pick(record: ContentRecord | null | undefined, ...names: string[]): string | undefined {
  if (!record || typeof record !== 'object') return undefined;
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** A vCard 3.0 text value: backslash, comma, semicolon and line breaks escaped (RFC 2426 §5). */
const vcardText = (value: string) =>
  value.replace(/[\\,;]/g, (special) => `\\${special}`).replace(/\r\n|\r|\n/g, '\\n');

/** A vCard 3.0 from CodeQR's `vcard` keys; city, state, ZIP and country only with a street address, as CodeQR does. */
export function vcardPayload(vcard: ContentRecord | null | undefined, missing: Missing): string {
  const get = (name: string) => pick(vcard, name);
  const [first, last] = [get('name'), get('surname')];
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `N:${vcardText(last ?? '')};${vcardText(first ?? '')};;;`];
  const full = [first, last].filter(Boolean).join(' ');
  lines.push(`FN:${vcardText(full || get('email') || get('phone') || get('website') || '')}`);
  if (get('phone')) lines.push(`TEL;TYPE=CELL:${vcardText(get('phone') as string)}`);
  if (get('telephone')) lines.push(`TEL;TYPE=WORK:${vcardText(get('telephone') as string)}`);
  if (get('email')) lines.push(`EMAIL:${vcardText(get('email') as string)}`);
  if (get('website')) lines.push(`URL:${vcardText(get('website') as string)}`);
  if (get('address')) {
    const parts = ['address', 'city', 'state', 'zipcode', 'country'].map((name) => vcardText(get(name) ?? ''));
    lines.push(`ADR:;;${parts.join(';')}`);
  }
  if (lines.length === 4 && !full) missing('vcard');
  lines.push('END:VCARD');
  return lines.join('\r\n');
}

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/** `geo:<lat>,<lng>` (RFC 5870) from `latitude`/`longitude` (or `lat`/`lng`), or one `"lat,lng"` string (`latLog`). */
export function geoPayload(latlog: ContentRecord | null | undefined, path: string, missing: Missing): string {
  let lat = pick(latlog, 'latitude', 'lat');
  let lng = pick(latlog, 'longitude', 'lng', 'lon');
  const pair = pick(latlog, 'latLog', 'latlog', 'coordinates');
  if ((lat === undefined || lng === undefined) && pair) [lat, lng] = pair.split(',').map((part) => part.trim());
  if (lat === undefined || !DECIMAL.test(lat) || Math.abs(Number(lat)) > 90) missing(`${path}.latitude`);
  if (lng === undefined || !DECIMAL.test(lng) || Math.abs(Number(lng)) > 180) missing(`${path}.longitude`);
  return `geo:${Number(lat)},${Number(lng)}`;
}

/** `facetime:<who>` (video) or `facetime-audio:<who>`; a phone number loses its spaces. */
export function facetimePayload(facetime: ContentRecord | null | undefined, missing: Missing): string {
  const who = pick(facetime, 'phone', 'contact', 'number', 'email', 'tel') ?? missing('facetime.phone');
  const audio = /^audio$/i.test(pick(facetime, 'mode', 'type') ?? '');
  return `${audio ? 'facetime-audio' : 'facetime'}:${who.includes('@') ? who : who.replace(/[\s().-]+/g, '')}`;
}

/** A BIP-21-style payment URI: `<cryptocurrency>:<address>?amount=<amount>&message=<message>`. */
export function cryptoPayload(crypto: ContentRecord | null | undefined, missing: Missing): string {
  const scheme = pick(crypto, 'cryptocurrency', 'currency')?.toLowerCase() ?? missing('crypto.cryptocurrency');
  const address = pick(crypto, 'address', 'email') ?? missing('crypto.address');
  const query = [
    ['amount', pick(crypto, 'amount')],
    ['message', pick(crypto, 'message')],
  ]
    .filter((pair): pair is [string, string] => pair[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return `${scheme}:${address}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) of `text`'s UTF-8 bytes. */
export function crc16CcittFalse(text: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** One EMV field: id, two-digit length, value. */
const tlv = (id: string, value: string) => `${id}${String(value.length).padStart(2, '0')}${value}`;
/** Letters without accents (BR Code readers expect plain ASCII names and cities). */
const plain = (value: string) => value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/**
 * Pix's BR Code ("copia e cola"), EMV MPM: payload format 01, merchant account (GUI br.gov.bcb.pix, key,
 * description), category 0000, currency 986, amount, country BR, name (≤25), city (≤15), txid `***`, CRC.
 */
export function pixPayload(pix: ContentRecord | null | undefined, missing: Missing): string {
  const key = pick(pix, 'key') ?? missing('pix.key');
  const name = plain(pick(pix, 'name') ?? missing('pix.name')).slice(0, 25);
  const city = plain(pick(pix, 'city') ?? missing('pix.city')).slice(0, 15);
  const description = pick(pix, 'description');
  const amount = pick(pix, 'amount');
  const account = tlv('00', 'br.gov.bcb.pix') + tlv('01', key) + (description ? tlv('02', description) : '');
  const body =
    tlv('00', '01') +
    tlv('26', account) +
    tlv('52', '0000') +
    tlv('53', '986') +
    (amount && DECIMAL.test(amount) ? tlv('54', Number(amount).toFixed(2)) : '') +
    tlv('58', 'BR') +
    tlv('59', name) +
    tlv('60', city) +
    tlv('62', tlv('05', pick(pix, 'txid') ?? '***')) +
    '6304';
  return body + crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0');
}
