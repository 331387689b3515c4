/**
 * Standard payload formats, one per QR type that has one, written from each format's own specification (never from
 * core, which writes its own: the contract tests compare the two readings). Which CodeQR field feeds which part is
 * decided in `store/content.ts`.
 */

/** `\ ; , : "` are special in the `WIFI:` format and are backslash-escaped. */
const escapeWifi = (value: string) => value.replace(/[\\;,:"]/g, (special) => `\\${special}`);

/** The Wi-Fi network format `WIFI:T:<auth>;S:<ssid>;P:<password>;H:true;;` (ZXing's de-facto standard). */
export function wifiUri(wifi: { ssid: string; password?: string; encryption?: string; hidden: boolean }): string {
  const { ssid, password, encryption, hidden } = wifi;
  // no encryption named: open without a password, WPA with one; `nopass` (also `none`, `open`) is an open network
  const open = encryption === undefined ? password === undefined : /^(nopass|none|open)$/i.test(encryption);
  const auth = open ? 'nopass' : (encryption?.toUpperCase() ?? 'WPA');
  const passwordPart = open || password === undefined ? '' : `P:${escapeWifi(password)};`;
  return `WIFI:T:${escapeWifi(auth)};S:${escapeWifi(ssid)};${passwordPart}${hidden ? 'H:true;' : ''};`;
}

/** `?a=1&b=2` of the present values, percent-encoded; empty when none is present. */
function query(pairs: Array<[string, string | undefined]>): string {
  const present = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
  return present.length === 0 ? '' : `?${present.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** Addresses in a `mailto:` URI, comma-separated: percent-encoded, `@` and `,` kept (RFC 6068 allows both). */
const mailbox = (addresses: string) =>
  addresses
    .split(',')
    .map((address) => encodeURIComponent(address.trim()).replace(/%40/g, '@'))
    .filter(Boolean)
    .join(',');

/** RFC 6068 `mailto:` with subject, body, cc and bcc as percent-encoded header fields, in that order. */
export function mailtoUri(mail: { to: string; subject?: string; body?: string; cc?: string; bcc?: string }): string {
  const fields: Array<[string, string | undefined]> = [
    ['subject', mail.subject && encodeURIComponent(mail.subject)],
    ['body', mail.body && encodeURIComponent(mail.body)],
    ['cc', mail.cc && mailbox(mail.cc)],
    ['bcc', mail.bcc && mailbox(mail.bcc)],
  ];
  const present = fields.filter(([, value]) => value).map(([name, value]) => `${name}=${value}`);
  return `mailto:${mailbox(mail.to)}${present.length ? `?${present.join('&')}` : ''}`;
}

/** RFC 3966 `tel:` (spaces removed). */
export const telUri = (phone: string) => `tel:${phone.replace(/\s+/g, '')}`;

/** The `SMSTO:<number>:<message>` format phones read as a prefilled text message (what a static code encodes). */
export const smstoText = (tel: string, message = '') => `SMSTO:${tel.replace(/\s+/g, '')}:${message}`;

/** RFC 5724 `sms:<number>?body=<message>` (the URI a dynamic code redirects to without a display page). */
export const smsUri = (tel: string, message?: string) => `sms:${tel.replace(/\s+/g, '')}${query([['body', message]])}`;

/** WhatsApp's click-to-chat link: `https://wa.me/<digits>?text=<message>`. */
export const whatsappUrl = (number: string, message?: string) =>
  `https://wa.me/${number.replace(/\D/g, '')}${query([['text', message]])}`;

/** RFC 5870 `geo:<lat>,<lng>`. */
export const geoUri = (lat: string, lng: string) => `geo:${lat},${lng}`;

/** Apple's FaceTime URL schemes: `facetime:<number or e-mail>`, `facetime-audio:` for an audio call. */
export const facetimeUri = (contact: string, audio = false) =>
  `${audio ? 'facetime-audio' : 'facetime'}:${contact.replace(/\s+/g, '')}`;

/** A BIP-21-style payment URI, `<scheme>:<address>?amount=<amount>&message=<message>` (scheme lower-cased). */
export const cryptoUri = (scheme: string, address: string, amount?: string, message?: string) =>
  `${scheme.toLowerCase()}:${address}${query([
    ['amount', amount],
    ['message', message],
  ])}`;

/** RFC 2426 text escaping: `\`, `,`, `;` and newlines. */
const escapeVcard = (value: string) => value.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

export interface VcardFields {
  name?: string;
  surname?: string;
  phone?: string;
  /** A second (work) number: only CodeQR's display page writes it (research-17 §1 vcard). */
  workPhone?: string;
  email?: string;
  website?: string;
  address?: string;
  city?: string;
  state?: string;
  zipcode?: string;
  country?: string;
}

/**
 * A vCard 3.0 (RFC 2426) with CRLF line ends: N and FN always (3.0 requires them), then TEL, EMAIL, URL and one ADR
 * line, each only when present. City, state, zip code and country are written only inside the ADR line, so only
 * with `address` (CodeQR's MCP notes: "only written when `address` is present — assembled into one ADR line").
 */
export function vcardText(v: VcardFields): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${escapeVcard(v.surname ?? '')};${escapeVcard(v.name ?? '')};;;`,
    `FN:${escapeVcard([v.name, v.surname].filter(Boolean).join(' '))}`,
  ];
  if (v.phone) lines.push(`TEL;TYPE=CELL:${v.phone}`);
  if (v.workPhone) lines.push(`TEL;TYPE=WORK:${v.workPhone}`);
  if (v.email) lines.push(`EMAIL:${v.email}`);
  if (v.website) lines.push(`URL:${v.website}`);
  if (v.address) {
    const parts = [v.address, v.city, v.state, v.zipcode, v.country].map((p) => escapeVcard(p ?? ''));
    lines.push(`ADR:;;${parts.join(';')}`);
  }
  lines.push('END:VCARD');
  return lines.join('\r\n');
}
