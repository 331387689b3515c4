import { shortLinkFor } from '../schemas/qr-code.ts';
import { qrImageValidationError } from './options.ts';
import { cryptoPayload, facetimePayload, geoPayload, pixPayload, vcardPayload } from './payloads.ts';

type ContentRecord = Readonly<Record<string, unknown>>;

/** The parts of a CodeQR QR code that decide what its image encodes (a `QrCode` from the API fits). */
export interface QrImageContentSource {
  /** Static codes encode their content; dynamic ones (the default) encode their short link. */
  static?: boolean | null;
  shortLink?: string | null;
  domain: string;
  key: string;
  type?: string | null;
  url?: string | null;
  text?: string | null;
  phone?: string | null;
  /** `{ email, subject?, body? }` */
  email?: ContentRecord | null;
  /** `{ ssid, password?, encryption?, isHidden? }` */
  wifi?: ContentRecord | null;
  /** `{ tel, subject? }` (`subject` is the message) */
  sms?: ContentRecord | null;
  /** `{ number, message? }` */
  whatsapp?: ContentRecord | null;
  /** `{ name?, surname?, phone?, telephone?, email?, website?, address?, city?, state?, zipcode?, country? }` */
  vcard?: ContentRecord | null;
  /** `{ cryptocurrency, address (or email), amount?, message? }` */
  crypto?: ContentRecord | null;
  /** `{ key, name, city, amount?, description? }` (CodeQR's answers leave it out: see `contentStatic`) */
  pix?: ContentRecord | null;
  /** `{ phone, mode? }` (unverified keys) */
  facetime?: ContentRecord | null;
  /** `{ latitude, longitude }` (unverified keys); also where a Geo code's coordinates live */
  latlog?: ContentRecord | null;
  /** What CodeQR says a static code encodes: used for a type or content core cannot build itself. */
  contentStatic?: string | null;
}

/** Static content types `qrImageContent` can turn into the encoded string. */
export const QR_IMAGE_LOCAL_TYPES = [
  'url',
  'text',
  'phone',
  'email',
  'wifi',
  'sms',
  'whatsapp',
  'vcard',
  'crypto',
  'pix',
  'facetime',
  'geo',
  'latlog',
] as const;

/** The first of `names` holding a non-blank string (returned as is: Wi-Fi passwords may have edge spaces). */
function field(record: ContentRecord | null | undefined, ...names: string[]): string | undefined {
  if (!record || typeof record !== 'object') return undefined;
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function missing(path: string, type: string): never {
  throw qrImageValidationError(path, `is required to render a static "${type}" QR code`);
}

/** `\`, `;`, `,`, `:` and `"` are special in the `WIFI:` format and are escaped with a backslash. */
export function escapeWifiValue(value: string): string {
  return value.replace(/[\\;,:"]/g, (special) => `\\${special}`);
}

function wifiContent(wifi: ContentRecord | null | undefined): string {
  const ssid = field(wifi, 'ssid') ?? missing('wifi.ssid', 'wifi');
  const password = field(wifi, 'password');
  const encryption = field(wifi, 'encryption', 'authentication')?.trim();
  const open = encryption === undefined ? password === undefined : /^(nopass|none|open)$/i.test(encryption);
  const type = open ? 'nopass' : encryption === undefined ? 'WPA' : encryption.toUpperCase();
  // CodeQR's own key is `isHidden` (a string; `hidden` is read too, for hand-made records)
  const flag = wifi?.isHidden ?? wifi?.hidden;
  const hidden = flag === true || (typeof flag === 'string' && flag.trim().toLowerCase() === 'true');
  return (
    `WIFI:T:${escapeWifiValue(type)};S:${escapeWifiValue(ssid)};` +
    (open || password === undefined ? '' : `P:${escapeWifiValue(password)};`) +
    (hidden ? 'H:true;' : '') +
    ';'
  );
}

/** Addresses in a `mailto:` URI, comma-separated: percent-encoded with `@` kept (RFC 6068). */
const mailboxes = (addresses: string) =>
  addresses
    .split(',')
    .map((address) => encodeURIComponent(address.trim()).replace(/%40/g, '@'))
    .filter(Boolean)
    .join(',');

function emailContent(email: ContentRecord | null | undefined): string {
  const address = field(email, 'email', 'to')?.trim() ?? missing('email.email', 'email');
  const subject = field(email, 'subject');
  const body = field(email, 'body', 'message');
  const cc = field(email, 'cc');
  // CodeQR keeps the blind copy under `cco` (Portuguese "com cópia oculta"); mailto: calls it bcc
  const bcc = field(email, 'cco', 'bcc');
  const query = [
    ['subject', subject === undefined ? undefined : encodeURIComponent(subject)],
    ['body', body === undefined ? undefined : encodeURIComponent(body)],
    ['cc', cc === undefined ? undefined : mailboxes(cc)],
    ['bcc', bcc === undefined ? undefined : mailboxes(bcc)],
  ]
    .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== '')
    .map(([name, value]) => `${name}=${value}`);
  return `mailto:${mailboxes(address)}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function smsContent(sms: ContentRecord | null | undefined): string {
  const tel = field(sms, 'tel', 'phone', 'number') ?? missing('sms.tel', 'sms');
  return `SMSTO:${tel.replace(/\s+/g, '')}:${field(sms, 'subject', 'message', 'body') ?? ''}`;
}

function whatsappContent(whatsapp: ContentRecord | null | undefined): string {
  const number = field(whatsapp, 'number', 'phone')?.replace(/\D/g, '') || missing('whatsapp.number', 'whatsapp');
  const message = field(whatsapp, 'message', 'text');
  return `https://wa.me/${number}${message === undefined ? '' : `?text=${encodeURIComponent(message)}`}`;
}

/**
 * The string a QR code's image encodes: its short link for a dynamic code, the content itself for a static one.
 * Throws a `validation_error` CodeQrError when a static code's content is missing or of a type (vCard, crypto,
 * geo, ...) that cannot be rendered locally.
 */
export function qrImageContent(qr: QrImageContentSource): string {
  if (qr.static !== true) {
    return nonEmpty(qr.shortLink) ?? shortLinkFor(qr.domain, qr.key);
  }
  const own = typeof qr.contentStatic === 'string' && qr.contentStatic.trim() !== '' ? qr.contentStatic : undefined;
  if (!own) return staticContent(qr);
  // CodeQR's own encoded string stands in where core cannot build the payload (a Pix code's answer has no `pix`)
  try {
    return staticContent(qr);
  } catch {
    return own;
  }
}

function staticContent(qr: QrImageContentSource): string {
  const type = nonEmpty(qr.type)?.toLowerCase() ?? (nonEmpty(qr.url) ? 'url' : nonEmpty(qr.text) ? 'text' : 'url');
  const need = (path: string): never => missing(path, type);
  switch (type) {
    case 'url':
      return nonEmpty(qr.url) ?? missing('url', type);
    case 'text': {
      const text = qr.text;
      if (typeof text !== 'string' || text.trim() === '') missing('text', type);
      return text;
    }
    case 'phone': {
      const phone = nonEmpty(qr.phone) ?? missing('phone', type);
      return `tel:${phone.replace(/\s+/g, '')}`;
    }
    case 'email':
      return emailContent(qr.email);
    case 'wifi':
      return wifiContent(qr.wifi);
    case 'sms':
      return smsContent(qr.sms);
    case 'whatsapp':
      return whatsappContent(qr.whatsapp);
    case 'vcard':
      return vcardPayload(qr.vcard, need);
    case 'crypto':
      return cryptoPayload(qr.crypto, need);
    case 'pix':
      return pixPayload(qr.pix, need);
    case 'facetime':
      return facetimePayload(qr.facetime, need);
    case 'geo':
    case 'latlog':
      return geoPayload(qr.latlog, 'latlog', need);
    default:
      throw qrImageValidationError(
        'type',
        `static "${type}" QR codes cannot be rendered locally (only ${QR_IMAGE_LOCAL_TYPES.join(', ')}), and CodeQR ` +
          'answered no contentStatic for it; use the image CodeQR generates for this QR code instead',
      );
  }
}
