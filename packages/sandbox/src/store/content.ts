/**
 * What a static QR code encodes (`contentStatic`, spec: QrCodeSchema.properties.contentStatic "The static content of
 * the QR code"), written from each type's standard payload format and the payload fields CodeQR's docs name:
 * `wifi {ssid, password, encryption, hidden}`, `email {email, subject, body}`, `sms {tel, subject}` (the subject is
 * the message), `whatsapp {number, message}` (spec: its `number` is E.164 digits), `phone`, `text`, `url`.
 */

type Payload = Readonly<Record<string, unknown>> | null | undefined;

/** A payload field that holds a non-blank string (or a number), as sent: Wi-Fi passwords may have edge spaces. */
function text(payload: Payload, name: string): string | undefined {
  const value = payload?.[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function trimmed(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The Wi-Fi network format (`WIFI:T:<auth>;S:<ssid>;P:<password>;H:true;;`): `\ ; , : "` are backslash-escaped. */
const escapeWifi = (value: string) => value.replace(/[\\;,:"]/g, (special) => `\\${special}`);

function wifiContent(wifi: Payload): string | null {
  const ssid = text(wifi, 'ssid');
  if (ssid === undefined) return null;
  const password = text(wifi, 'password');
  const encryption = text(wifi, 'encryption')?.trim();
  // no encryption named: open without a password, WPA with one; `nopass` (also `none`, `open`) is an open network
  const open = encryption === undefined ? password === undefined : /^(nopass|none|open)$/i.test(encryption);
  const auth = open ? 'nopass' : (encryption?.toUpperCase() ?? 'WPA');
  const hidden = wifi?.hidden === true || text(wifi, 'hidden')?.toLowerCase() === 'true';
  const passwordPart = open || password === undefined ? '' : `P:${escapeWifi(password)};`;
  return `WIFI:T:${escapeWifi(auth)};S:${escapeWifi(ssid)};${passwordPart}${hidden ? 'H:true;' : ''};`;
}

/** RFC 6068 `mailto:` with the subject and body as percent-encoded header fields. */
function emailContent(email: Payload): string | null {
  const address = text(email, 'email')?.trim();
  if (address === undefined) return null;
  const fields = ['subject', 'body'].flatMap((name) => {
    const value = text(email, name);
    return value === undefined ? [] : [`${name}=${encodeURIComponent(value)}`];
  });
  const mailbox = encodeURIComponent(address).replace(/%40/g, '@');
  return `mailto:${mailbox}${fields.length > 0 ? `?${fields.join('&')}` : ''}`;
}

/** The `SMSTO:<number>:<message>` format phones read as a prefilled text message. */
function smsContent(sms: Payload): string | null {
  const tel = text(sms, 'tel');
  return tel === undefined ? null : `SMSTO:${tel.replace(/\s+/g, '')}:${text(sms, 'subject') ?? ''}`;
}

/** WhatsApp's click-to-chat link: `https://wa.me/<digits>?text=<message>`. */
function whatsappContent(whatsapp: Payload): string | null {
  const digits = text(whatsapp, 'number')?.replace(/\D/g, '');
  if (!digits) return null;
  const message = text(whatsapp, 'message');
  return `https://wa.me/${digits}${message === undefined ? '' : `?text=${encodeURIComponent(message)}`}`;
}

/** The content a static QR code of this record encodes; null when its type has no standard form here or it is empty. */
export function staticContent(qr: Readonly<Record<string, unknown>>): string | null {
  switch (qr.type ?? 'url') {
    case 'url':
      return trimmed(qr.url) ?? null;
    case 'text':
      return typeof qr.text === 'string' && qr.text.trim() !== '' ? qr.text : null;
    case 'phone': {
      const phone = trimmed(qr.phone);
      return phone === undefined ? null : `tel:${phone.replace(/\s+/g, '')}`; // RFC 3966 `tel:` URI
    }
    case 'email':
      return emailContent(qr.email as Payload);
    case 'wifi':
      return wifiContent(qr.wifi as Payload);
    case 'sms':
      return smsContent(qr.sms as Payload);
    case 'whatsapp':
      return whatsappContent(qr.whatsapp as Payload);
    default:
      return null; // vCard, crypto, geo, facetime, latlog, pix: no standard string form here
  }
}
