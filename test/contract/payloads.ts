/**
 * Standard QR payloads computed here, from each format's own specification, independently of the sandbox's encoders
 * (packages/sandbox/src/payloads/) and of core's: what the payload tests compare both against.
 */

/** How `linkContent` reports a redirect (`redirect:<Location>`), and where a dynamic Pix code's scan lands. */
export const STANDARD = { redirect: 'redirect:', siteRoot: 'redirect:/' };

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR), table-driven over UTF-8 bytes. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n << 8;
  for (let i = 0; i < 8; i += 1) c = (c << 1) ^ (c & 0x8000 ? 0x1021 : 0);
  return c & 0xffff;
});
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = ((crc << 8) ^ CRC_TABLE[((crc >> 8) ^ byte) & 0xff]!) & 0xffff;
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const tlv = (id: string, value: string) => `${id}${value.length.toString().padStart(2, '0')}${value}`;

/**
 * Pix's BR Code (BCB "Manual de Padrões para Iniciação do Pix"; EMV MPM): 00 format, 26 account (GUI, key,
 * description), 52 MCC 0000, 53 BRL 986, 54 amount with two decimals, 58 BR, 59 name, 60 city, 62/05 txid `***`,
 * 63 CRC over everything before it including `6304`.
 */
export function brCode(pix: { key: string; name: string; city: string; amount?: string; description?: string }) {
  const account =
    tlv('00', 'br.gov.bcb.pix') + tlv('01', pix.key) + (pix.description ? tlv('02', pix.description) : '');
  const amount = pix.amount ? tlv('54', Number(pix.amount).toFixed(2)) : '';
  const body = `${tlv('00', '01')}${tlv('26', account)}${tlv('52', '0000')}${tlv('53', '986')}${amount}${tlv('58', 'BR')}${tlv('59', pix.name)}${tlv('60', pix.city)}${tlv('62', tlv('05', '***'))}6304`;
  return body + crc16(body);
}

const unescapeHtml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** What a short link answers: `redirect:<Location>`, or the payload on its display page (`<pre id="content">`). */
export async function linkContent(shortLink: string): Promise<string> {
  const res = await fetch(shortLink, { redirect: 'manual' });
  if (res.status >= 300 && res.status < 400) return `${STANDARD.redirect}${res.headers.get('location')}`;
  const html = await res.text();
  const match = /<pre id="content">([\s\S]*?)<\/pre>/.exec(html);
  if (res.status !== 200 || !match) throw new Error(`${shortLink} answered ${res.status} without a payload: ${html}`);
  return unescapeHtml(match[1]!);
}

/** One case per QR type of the spec. */
export const PIX = {
  key: 'pix@example.com',
  name: 'Padaria Central',
  city: 'Sao Paulo',
  amount: '10.5',
  description: 'Pedido 42',
};
const VCARD = {
  name: 'Ada',
  surname: 'Lovelace',
  phone: '+44 20 7946 0000',
  telephone: '+44 20 7946 0001',
  email: 'ada@example.com',
  website: 'https://ada.example',
  address: '12 St James, Sq',
  city: 'London',
  state: 'Greater London',
  zipcode: 'SW1Y 4JH',
  country: 'UK',
};
const VCARD_STATIC = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'N:Lovelace;Ada;;;',
  'FN:Ada Lovelace',
  'TEL;TYPE=CELL:+44 20 7946 0000',
  'EMAIL:ada@example.com',
  'URL:https://ada.example',
  'ADR:;;12 St James\\, Sq;London;Greater London;SW1Y 4JH;UK',
  'END:VCARD',
];
export const CRYPTO = { cryptocurrency: 'bitcoin', address: 'bc1qw508d6qe', amount: '0.01', message: 'Coffee & cake' };
export const POINT = { latitude: '-23.5505', longitude: '-46.6333' };

/**
 * One case per type: the body's payload fields (CodeQR's names), what a static code encodes, and what its short link
 * shows (`undefined`: the same as the static code).
 */
export interface QrTypeCase {
  type: string;
  /** The body's payload fields, by CodeQR's names (research-17 §1). */
  payload: Record<string, unknown>;
  /** What a static code encodes (CodeQR's constructor, as modelled). */
  encoded: string;
  /** What the short link of a dynamic code answers, when not `encoded`. */
  link?: string;
}

export const QR_TYPE_CASES: QrTypeCase[] = [
  {
    type: 'url',
    payload: { url: 'https://example.com/menu' },
    encoded: 'https://example.com/menu',
    link: `${STANDARD.redirect}https://example.com/menu`,
  },
  { type: 'text', payload: { text: '  Hello, world!' }, encoded: '  Hello, world!' },
  { type: 'phone', payload: { phone: '+55 11 99999 9999' }, encoded: 'tel:+5511999999999' },
  {
    type: 'email',
    payload: {
      email: { email: 'team@example.com', subject: 'Hi there', body: 'A & B', cc: 'cc@example.com', cco: 'bcc@x.io' },
    },
    encoded: 'mailto:team@example.com?subject=Hi%20there&body=A%20%26%20B&cc=cc@example.com&bcc=bcc@x.io',
  },
  {
    type: 'wifi',
    payload: { wifi: { ssid: 'Café;Guest', password: 'p:w"d', encryption: 'WPA' } },
    encoded: 'WIFI:T:WPA;S:Café\\;Guest;P:p\\:w\\"d;;',
  },
  {
    type: 'sms',
    payload: { sms: { tel: '+1 555 0100', subject: 'Table 4' } },
    encoded: 'SMSTO:+15550100:Table 4',
  },
  {
    type: 'whatsapp',
    payload: { whatsapp: { number: '5511999998888', message: 'Olá!' } },
    encoded: 'https://wa.me/5511999998888?text=Ol%C3%A1!',
  },
  {
    type: 'vcard',
    payload: { vcard: VCARD },
    encoded: VCARD_STATIC.join('\r\n'),
    // the display page also writes `telephone`, the constructor has no branch for it (MCP l.65-69)
    link: [...VCARD_STATIC.slice(0, 5), 'TEL;TYPE=WORK:+44 20 7946 0001', ...VCARD_STATIC.slice(5)].join('\r\n'),
  },
  {
    type: 'crypto',
    payload: { crypto: { ...CRYPTO, email: CRYPTO.address } }, // both, as the research advises (MCP l.176-181)
    encoded: `bitcoin:${CRYPTO.address}?amount=0.01&message=Coffee%20%26%20cake`,
  },
  { type: 'pix', payload: { pix: PIX }, encoded: brCode(PIX), link: STANDARD.siteRoot },
  { type: 'latlog', payload: { latlog: POINT }, encoded: 'geo:-23.5505,-46.6333' },
  // MCP l.79-81: "every geo code encodes `geo:undefined`" (the constructor reads geo.latLog)
  { type: 'geo', payload: { latlog: POINT }, encoded: 'geo:undefined' },
  // MCP l.82-83: no constructor branch, "encodes an empty string"
  { type: 'facetime', payload: { facetime: { number: '+1 555 0100' } }, encoded: '' },
];

/** RFC 2426 text escaping: backslash, comma, semicolon, newline. */
const vcardEscape = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\n/g, '\\n');

/**
 * vCard 3.0 from CodeQR's field names as its constructor writes them (research-17 §1 vcard): N and FN always, TEL,
 * EMAIL, URL when set, one ADR line only with `address`; blank values count as absent; CRLF line ends.
 */
export function vcard3(v: Record<string, string | undefined>): string {
  const get = (k: string) => (v[k]?.trim() ? v[k]!.trim() : undefined);
  const lines = ['BEGIN:VCARD', 'VERSION:3.0'];
  lines.push(`N:${vcardEscape(get('surname') ?? '')};${vcardEscape(get('name') ?? '')};;;`);
  lines.push(`FN:${vcardEscape([get('name'), get('surname')].filter((x) => x !== undefined).join(' '))}`);
  if (get('phone')) lines.push(`TEL;TYPE=CELL:${get('phone')}`);
  if (get('email')) lines.push(`EMAIL:${get('email')}`);
  if (get('website')) lines.push(`URL:${get('website')}`);
  if (get('address')) {
    const adr = ['address', 'city', 'state', 'zipcode', 'country'].map((k) => vcardEscape(get(k) ?? ''));
    lines.push(`ADR:;;${adr.join(';')}`);
  }
  return [...lines, 'END:VCARD'].join('\r\n');
}

/** The `WIFI:` format: T (nopass when open), S, P (unless open), H:true when hidden; `\ ; , : "` escaped. */
export function wifiText(w: { ssid: string; password?: string; encryption?: string; hidden?: boolean }): string {
  const esc = (s: string) => s.replace(/([\\;,:"])/g, '\\$1');
  const enc = w.encryption?.trim();
  const open = enc ? ['nopass', 'none', 'open'].includes(enc.toLowerCase()) : !w.password?.trim();
  const type = open ? 'nopass' : (enc?.toUpperCase() ?? 'WPA');
  const pass = !open && w.password?.trim() ? `P:${esc(w.password)};` : '';
  return `WIFI:T:${esc(type)};S:${esc(w.ssid)};${pass}${w.hidden ? 'H:true;' : ''};`;
}
