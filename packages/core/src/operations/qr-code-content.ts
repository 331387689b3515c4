/**
 * The content fields of the QR-code write operations: one field per type, keyed by the type's own value (`vcard` for
 * a vCard code), so a host can show a type's fields only when that type is chosen. Key names are CodeQR's (the keys
 * its display page and `qrCodeConstructor` read, quoted by CodeQR's MCP server, `src/routes/mcp.ts`
 * `QRCODE_PAYLOAD_PROPERTIES`); see the README, "QR types and their fields", for the source of each.
 */
import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { httpUrl, QrCodeFields } from '../schemas/qr-code.ts';
import {
  EMAIL_LIST_MESSAGE,
  EMAIL_MESSAGE,
  EMAIL_PATTERN,
  isEmailList,
  isPhoneNumber,
  PHONE_MESSAGE,
} from '../schemas/qr-code-checks.ts';
import {
  AMOUNT_MESSAGE,
  AMOUNT_PATTERN,
  CRYPTO_SCHEME_MESSAGE,
  CRYPTO_SCHEME_PATTERN,
  isLatitude,
  isLongitude,
  LATITUDE_MESSAGE,
  LONGITUDE_MESSAGE,
  PIX_LIMITS,
} from '../schemas/qr-content-checks.ts';

const F = QrCodeFields.shape;
const FACETIME_MESSAGE = 'must be a phone number (e.g. +1 555 123 4567) or an Apple ID e-mail (e.g. ada@example.com)';
const isPhoneOrEmail = (value: string) => isPhoneNumber(value) || EMAIL_PATTERN.test(value.trim());
/** A Pix key: CPF/CNPJ digits (dots and dashes allowed), an e-mail, a +55 phone or a random key; never spaces. */
const PIX_KEY_PATTERN = /^[A-Za-z0-9+][^\s]*$/;
const PIX_KEY_MESSAGE = 'must be a Pix key without spaces: a CPF/CNPJ, an e-mail, a +55 phone or a random key';

/** `build`, run on first call and cached (schemas are built on first use, not at import). */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    if (!built) built = { value: build() };
    return built.value;
  };
}

/** Display names of the 13 types, as CodeQR's dashboard names them (`latlog` is its "Location"). */
export const QR_TYPE_LABELS = {
  url: 'URL',
  text: 'Text',
  email: 'Email',
  wifi: 'Wi-Fi',
  phone: 'Phone',
  vcard: 'vCard',
  crypto: 'Crypto',
  sms: 'SMS',
  facetime: 'FaceTime',
  geo: 'Geo',
  latlog: 'Location',
  pix: 'Pix',
  whatsapp: 'WhatsApp',
} as const;

const text = (label: string, description: string, extra: object = {}) =>
  withMeta(z.string().optional(), { label, description, ...extra });
/** Free text whose edge spaces may be content: kept as typed (see `FieldMeta.verbatim`). */
const verbatim = (label: string, description: string) =>
  withMeta(z.string().optional(), { label, description, verbatim: true });
const emailList = (label: string, description: string) =>
  withMeta(z.string().refine(isEmailList, EMAIL_LIST_MESSAGE).optional(), { label, description });
export const phoneNumber = once(() => z.string().refine(isPhoneNumber, PHONE_MESSAGE));
const emailAddress = () => z.string().trim().regex(EMAIL_PATTERN, EMAIL_MESSAGE);
const amount = (label: string, description: string) =>
  withMeta(z.string().regex(AMOUNT_PATTERN, AMOUNT_MESSAGE).optional(), { label, description, placeholder: '10.50' });

/** `email` content (CodeQR keeps it as a string map; these are the keys it reads). */
export const emailContent = once(() =>
  z.object({
    email: withMeta(emailAddress().min(1), {
      label: 'To',
      description: 'The address the e-mail goes to.',
      placeholder: 'hello@example.com',
    }),
    subject: text('Subject', 'Subject line of the e-mail.'),
    body: verbatim('Body', 'Text of the e-mail.'),
    cc: emailList('CC', 'Copy to these addresses, separated by commas.'),
    cco: emailList('BCC', 'Blind copy to these addresses, separated by commas (CodeQR calls it "cco").'),
  }),
);

/** `wifi` content (`isHidden` is left out on purpose: CodeQR reads the string "false" as true). */
export const wifiContent = once(() =>
  z.object({
    ssid: withMeta(z.string().min(1), { label: 'Network Name (SSID)', description: 'Name of the Wi-Fi network.' }),
    password: verbatim('Password', 'Password of the network; leave empty for an open network.'),
    encryption: withMeta(z.enum(['WPA', 'WPA2', 'WEP', 'nopass']).optional(), {
      label: 'Encryption',
      description: 'Security of the network. Defaults to WPA when a password is given.',
      optionLabels: { WPA: 'WPA', WPA2: 'WPA2', WEP: 'WEP', nopass: 'None (open network)' },
    }),
  }),
);

/** `sms` content (`subject` is the message text: an SMS has no subject line). */
export const smsContent = once(() =>
  z.object({
    tel: withMeta(phoneNumber(), {
      label: 'Phone Number',
      description: 'Number the text message goes to.',
      placeholder: '+15551234567',
    }),
    subject: verbatim('Message', 'Text of the message (CodeQR calls it "subject").'),
  }),
);

export const whatsappContent = once(() => {
  const whatsapp = F.whatsapp.unwrap().unwrap();
  return whatsapp.extend({
    number: withMeta(whatsapp.shape.number, {
      label: 'Phone Number',
      description: 'International number, digits only, without "+".',
      placeholder: '15551234567',
    }),
    message: withMeta(whatsapp.shape.message, {
      label: 'Message',
      description: 'Text filled in for the sender (at most 1,000 characters).',
      verbatim: true,
    }),
  });
});

/** `vcard` content: CodeQR's keys (not firstName/lastName); city, state, ZIP and country need a street address. */
export const vcardContent = once(() =>
  z.object({
    name: text('First Name', 'Given name.'),
    surname: text('Last Name', 'Family name.'),
    phone: withMeta(phoneNumber().optional(), {
      label: 'Mobile Phone',
      description: 'Main phone number.',
      placeholder: '+15551234567',
    }),
    telephone: withMeta(phoneNumber().optional(), {
      label: 'Work Phone',
      description:
        "Second number: shown by CodeQR's page for dynamic codes; CodeQR's static vCard leaves it out (core's local image includes it).",
    }),
    email: withMeta(emailAddress().optional(), { label: 'Email', description: 'E-mail address.' }),
    website: withMeta(httpUrl.optional(), {
      label: 'Website',
      description: 'Web address, e.g. https://example.com.',
      format: 'uri',
    }),
    address: text('Street Address', 'Street and number. City, state, ZIP and country are only kept with it.'),
    city: text('City', 'City (needs Street Address).'),
    state: text('State', 'State or region (needs Street Address).'),
    zipcode: text('ZIP Code', 'ZIP or postal code (needs Street Address).'),
    country: text('Country', 'Country (needs Street Address).'),
  }),
);

/** `crypto` content; the operations also send `email` = `address` (CodeQR's static constructor reads that key). */
export const cryptoContent = once(() =>
  z
    .object({
      cryptocurrency: withMeta(z.string().regex(CRYPTO_SCHEME_PATTERN, CRYPTO_SCHEME_MESSAGE), {
        label: 'Cryptocurrency',
        description: 'Currency URI scheme, e.g. bitcoin or ethereum.',
        placeholder: 'bitcoin',
      }),
      address: withMeta(z.string().trim().min(1), {
        label: 'Wallet Address',
        description: 'Address the payment goes to.',
        placeholder: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      }),
      amount: amount('Amount', 'Amount to pay, a number with a dot for decimals, e.g. 0.01.'),
      message: verbatim('Message', 'Note shown to the payer.'),
    })
    .transform((crypto) => ({ ...crypto, email: crypto.address })),
);

/** `pix` content (the spec names key, name, city, amount and description); encoded as an EMV BR Code. */
export const pixContent = once(() =>
  z.object({
    key: withMeta(z.string().trim().min(1).max(PIX_LIMITS.key).regex(PIX_KEY_PATTERN, PIX_KEY_MESSAGE), {
      label: 'Pix Key',
      description: "The receiver's Pix key: CPF/CNPJ, e-mail, phone (+55…) or random key.",
    }),
    name: withMeta(z.string().trim().min(1).max(PIX_LIMITS.name), {
      label: 'Receiver Name',
      description: `Name of the receiver, at most ${PIX_LIMITS.name} characters.`,
    }),
    city: withMeta(z.string().trim().min(1).max(PIX_LIMITS.city), {
      label: 'Receiver City',
      description: `City of the receiver, at most ${PIX_LIMITS.city} characters.`,
    }),
    amount: amount('Amount (BRL)', 'Amount in reais, e.g. 10.50; leave empty to let the payer type it.'),
    description: withMeta(z.string().max(PIX_LIMITS.description).optional(), {
      label: 'Description',
      description: `Note for the payment, at most ${PIX_LIMITS.description} characters.`,
    }),
  }),
);

/** `facetime` content. Unverified: no public source names CodeQR's keys (see the README). */
export const facetimeContent = once(() =>
  z.object({
    phone: withMeta(z.string().trim().min(1).refine(isPhoneOrEmail, FACETIME_MESSAGE), {
      label: 'Phone Number or Apple ID',
      description:
        'Who to call: a phone number or an Apple ID e-mail. Unverified key: CodeQR documents no FaceTime keys, and its static constructor encodes nothing for this type.',
      placeholder: '+15551234567',
    }),
    mode: withMeta(z.enum(['video', 'audio']).optional(), {
      label: 'Call Type',
      description: 'Video (facetime:) or audio only (facetime-audio:). Defaults to video.',
      optionLabels: { video: 'Video', audio: 'Audio Only' },
    }),
  }),
);

/** `latlog` content (the "Location" type). Unverified keys: CodeQR documents the field but not its keys. */
export const latlogContent = once(() =>
  z.object({
    latitude: withMeta(z.string().trim().refine(isLatitude, LATITUDE_MESSAGE), {
      label: 'Latitude',
      description:
        'Decimal degrees, -90 to 90, e.g. -23.5505. Unverified key: CodeQR names the field "latlog" but not its keys.',
      placeholder: '-23.5505',
    }),
    longitude: withMeta(z.string().trim().refine(isLongitude, LONGITUDE_MESSAGE), {
      label: 'Longitude',
      description: 'Decimal degrees, -180 to 180, e.g. -46.6333.',
      placeholder: '-46.6333',
    }),
  }),
);

const advanced = true;

/** The content field of every type but URL and Geo (URL has `url`; a Geo code has no field of its own). */
export const qrCodeContentFields = once(() => ({
  text: withMeta(F.text, {
    label: 'Text',
    description: 'Content of a Text QR code.',
    advanced,
    verbatim: true,
  }),
  phone: withMeta(phoneNumber().nullish(), {
    label: 'Phone Number',
    description: 'Content of a Phone QR code.',
    placeholder: '+15551234567',
    advanced,
  }),
  email: withMeta(emailContent().nullish(), { label: 'Email', description: 'Content of an Email QR code.', advanced }),
  wifi: withMeta(wifiContent().nullish(), { label: 'Wi-Fi', description: 'Content of a Wi-Fi QR code.', advanced }),
  sms: withMeta(smsContent().nullish(), { label: 'SMS', description: 'Content of an SMS QR code.', advanced }),
  whatsapp: withMeta(whatsappContent().nullish(), {
    label: 'WhatsApp',
    description: 'Content of a WhatsApp QR code.',
    advanced,
  }),
  vcard: withMeta(vcardContent().nullish(), {
    label: 'vCard',
    description: 'Content of a vCard (contact card) QR code. At least one field.',
    advanced,
  }),
  crypto: withMeta(cryptoContent().nullish(), {
    label: 'Crypto',
    description: 'Content of a Crypto payment QR code.',
    advanced,
  }),
  pix: withMeta(pixContent().nullish(), {
    label: 'Pix',
    description:
      'Content of a Pix payment QR code (Brazil). Works as a static code: CodeQR sends dynamic Pix scans nowhere.',
    advanced,
  }),
  facetime: withMeta(facetimeContent().nullish(), {
    label: 'FaceTime',
    description: 'Content of a FaceTime QR code (unverified upstream, see the description of each field).',
    advanced,
  }),
  latlog: withMeta(latlogContent().nullish(), {
    label: 'Location',
    description: 'Content of a Location QR code: the coordinates it opens in a maps app.',
    advanced,
  }),
}));
