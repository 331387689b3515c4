import type { PayloadStyle } from '../behaviour.ts';
import { pixBrCode } from '../payloads/pix.ts';
import {
  cryptoUri,
  facetimeUri,
  geoUri,
  mailtoUri,
  smstoText,
  smsUri,
  telUri,
  vcardText,
  whatsappUrl,
  wifiUri,
} from '../payloads/standard.ts';

/**
 * What a QR code carries, modelled on CodeQR as its MCP server describes it (research-17 §0-§1, quoting
 * `codeqr-io/codeqr-mcp-remote` src/routes/mcp.ts and its commits):
 * - a static code encodes what `qrCodeConstructor` builds (`contentStatic`, spec: QrCodeSchema.contentStatic);
 * - a dynamic code encodes its short link, whose display page "reads the record itself": `linkAnswer`.
 * Field names are CodeQR's (MCP `QRCODE_PAYLOAD_PROPERTIES`); a key CodeQR does not read is ignored, and a code whose
 * keys are all wrong "saves, renders, and encodes an empty string. There is no error" (MCP l.55-58).
 * With the `standard` payload style the known upstream bugs are left out (README "Payloads").
 */

type Payload = Readonly<Record<string, unknown>> | null | undefined;

/** A payload field holding a non-blank string (as sent: Wi-Fi passwords may have edge spaces). */
function field(payload: Payload, name: string): string | undefined {
  const value = payload && typeof payload === 'object' ? payload[name] : undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value); // pix is untyped in the spec
  return undefined;
}
const trimmedField = (payload: Payload, name: string) => field(payload, name)?.trim();
const payloadOf = (qr: Readonly<Record<string, unknown>>, name: string) => qr[name] as Payload;

function wifiContent(wifi: Payload): string {
  const ssid = field(wifi, 'ssid');
  if (ssid === undefined) return '';
  return wifiUri({
    ssid,
    password: field(wifi, 'password'),
    encryption: trimmedField(wifi, 'encryption'),
    // MCP l.143-147: `isHidden` is any string, and any non-empty one ("false" included) is truthy: `H:true`
    hidden: field(wifi, 'isHidden') !== undefined,
  });
}

function emailContent(email: Payload): string {
  const to = trimmedField(email, 'email');
  if (to === undefined) return '';
  // `cco` ("com cópia oculta") is CodeQR's BCC field; a `bcc` key is ignored (MCP l.113-115)
  const [subject, body, cc, bcc] = ['subject', 'body', 'cc', 'cco'].map((name) => field(email, name));
  return mailtoUri({ to, subject, body, cc, bcc });
}

/** vCard fields by CodeQR's names (MCP l.151-170); `telephone` only on the display page (MCP l.65-69). */
function vcardContent(vcard: Payload, display: boolean): string {
  const names = ['name', 'surname', 'phone', 'email', 'website', 'address', 'city', 'state', 'zipcode', 'country'];
  const fields = Object.fromEntries(names.map((name) => [name, trimmedField(vcard, name)]));
  return vcardText({ ...fields, workPhone: display ? trimmedField(vcard, 'telephone') : undefined });
}

/**
 * The wallet address is `crypto.address` on the display page but `crypto.email` in `qrCodeConstructor` (MCP
 * l.176-181, commit ebe79aa): a static code sent only `address` encodes an empty string. `standard` reads `address`.
 */
function cryptoContent(crypto: Payload, addressField: 'address' | 'email'): string {
  const scheme = trimmedField(crypto, 'cryptocurrency');
  const address = trimmedField(crypto, addressField);
  if (!scheme || !address) return '';
  return cryptoUri(scheme, address, trimmedField(crypto, 'amount'), field(crypto, 'message'));
}

/** spec: `pix` "(key, name, city, amount, description)"; EMV needs key, name and city. */
function pixContent(pix: Payload): string {
  const [key, name, city] = ['key', 'name', 'city'].map((k) => trimmedField(pix, k));
  if (!key || !name || !city) return '';
  return pixBrCode({ key, name, city, amount: trimmedField(pix, 'amount'), description: field(pix, 'description') });
}

/**
 * Coordinates of a `latlog` map. Its keys are unknown upstream (research-17 §5.1): `latitude`/`longitude`, `lat`/`lng`
 * and one `latLog` "lat,lng" string (the name the constructor's geo branch reads) are all read; both must be numbers.
 */
function coordinates(latlog: Payload): [string, string] | undefined {
  const pair = trimmedField(latlog, 'latLog')?.split(',');
  const lat = trimmedField(latlog, 'latitude') ?? trimmedField(latlog, 'lat') ?? pair?.[0]?.trim();
  const lng = trimmedField(latlog, 'longitude') ?? trimmedField(latlog, 'lng') ?? pair?.[1]?.trim();
  const numeric = (v: string | undefined): v is string => v !== undefined && v !== '' && Number.isFinite(Number(v));
  return numeric(lat) && numeric(lng) ? [lat, lng] : undefined;
}

function latlogContent(latlog: Payload): string {
  const point = coordinates(latlog);
  return point ? geoUri(...point) : '';
}

/**
 * FaceTime keys are unknown upstream (no CodeQR source names them): `standard` reads the contact from `number`,
 * `phone` or `email`, and an audio call from `mode` (or `type`) `audio`.
 */
function facetimeContent(facetime: Payload): string {
  const contact =
    trimmedField(facetime, 'number') ?? trimmedField(facetime, 'phone') ?? trimmedField(facetime, 'email');
  const call = trimmedField(facetime, 'mode') ?? trimmedField(facetime, 'type') ?? '';
  return contact ? facetimeUri(contact, /^audio$/i.test(call)) : '';
}

/** What one type's content is, on the static path (`qrCodeConstructor`) or the display page. */
function content(qr: Readonly<Record<string, unknown>>, style: PayloadStyle, display: boolean): string {
  const standard = style === 'standard';
  switch (qr.type ?? 'url') {
    case 'url':
      return typeof qr.url === 'string' ? qr.url.trim() : '';
    case 'text':
      return typeof qr.text === 'string' ? qr.text : '';
    case 'phone':
      return typeof qr.phone === 'string' && qr.phone.trim() !== '' ? telUri(qr.phone.trim()) : '';
    case 'email':
      return emailContent(payloadOf(qr, 'email'));
    case 'wifi':
      return wifiContent(payloadOf(qr, 'wifi'));
    case 'sms': {
      // `subject` is the message body: SMS has no subject (MCP l.124-125)
      const tel = trimmedField(payloadOf(qr, 'sms'), 'tel');
      return tel === undefined ? '' : smstoText(tel, field(payloadOf(qr, 'sms'), 'subject'));
    }
    case 'whatsapp': {
      const number = trimmedField(payloadOf(qr, 'whatsapp'), 'number');
      return number ? whatsappUrl(number, field(payloadOf(qr, 'whatsapp'), 'message')) : '';
    }
    case 'vcard':
      // the constructor has no branch for `telephone`, the display page has (MCP l.65-69); `standard` writes it
      return vcardContent(payloadOf(qr, 'vcard'), display || standard);
    case 'crypto':
      return cryptoContent(payloadOf(qr, 'crypto'), display || standard ? 'address' : 'email');
    case 'pix':
      return pixContent(payloadOf(qr, 'pix'));
    case 'latlog':
      return latlogContent(payloadOf(qr, 'latlog'));
    case 'geo':
      // MCP l.79-81: the constructor reads `geo.latLog` while `geo` is the country-targeting map, so "every geo code
      // encodes `geo:undefined`"; `standard` takes the coordinates from `latlog`, where they live
      return standard ? latlogContent(payloadOf(qr, 'latlog')) : 'geo:undefined';
    case 'facetime':
      // MCP l.82-83: "the constructor has no branch for it at all, so it falls through and encodes an empty string"
      return standard ? facetimeContent(payloadOf(qr, 'facetime')) : '';
    default:
      return '';
  }
}

/** What a static code encodes (`contentStatic`): `qrCodeConstructor`'s string, empty when its fields are missing. */
export function staticContent(qr: Readonly<Record<string, unknown>>, style: PayloadStyle = 'codeqr'): string {
  return content(qr, style, false);
}

/** How the short link answers: a redirect, or a display page showing `content` (or `notice` when it has none). */
export type LinkAnswer = { redirect: string } | { content: string; notice?: string };

/** The short link of a code: what a scan of a dynamic code (or a visit to any code's link) meets. */
export function linkAnswer(qr: Readonly<Record<string, unknown>>, style: PayloadStyle = 'codeqr'): LinkAnswer {
  const type = qr.type ?? 'url';
  if (type === 'url') return { redirect: typeof qr.url === 'string' ? qr.url : '/' };
  // MCP l.76-78: a dynamic Pix code "is not in the middleware's display-page list, so scanning one redirects to the
  // site root" (the link host's `/`); `standard` shows its BR Code
  if (type === 'pix' && style === 'codeqr') return { redirect: '/' };
  // spec: useDisplayPage "false" sends phone, email and sms scans straight to a tel:/mailto:/sms: URI
  if (qr.useDisplayPage === false && (type === 'phone' || type === 'email' || type === 'sms')) {
    const sms = payloadOf(qr, 'sms');
    const tel = trimmedField(sms, 'tel');
    const target =
      type === 'sms' ? (tel === undefined ? '' : smsUri(tel, field(sms, 'subject'))) : content(qr, style, true);
    if (target) return { redirect: target };
  }
  const shown = content(qr, style, true);
  // the display page's words when a crypto code has no `address` (MCP l.176-181)
  if (type === 'crypto' && !shown) return { content: '', notice: 'No crypto payment information available' };
  return { content: shown };
}
