/**
 * The host-facing QR-code fields of the create, update, upsert and bulk-create operations: one subset of
 * `QrCodeFields` (`.pick`), labelled and marked `advanced` here, then `.partial()` / `.extend()`-ed per operation.
 */
import * as z from 'zod/v4';
import { keepMeta, withMeta } from '../fields/meta.ts';
import { QR_IMAGE_LOCAL_TYPES } from '../image/content.ts';
import { isQrColor } from '../schemas/colors.ts';
import { QrCodeFields, requireUrlForUrlType } from '../schemas/qr-code.ts';
import {
  COLOR_MESSAGE,
  EMAIL_LIST_MESSAGE,
  EMAIL_MESSAGE,
  EMAIL_PATTERN,
  isEmailList,
  isPhoneNumber,
  PHONE_MESSAGE,
  withQrCodeWriteChecks,
} from '../schemas/qr-code-checks.ts';

const F = QrCodeFields.shape;
const advanced = true;

/**
 * `build`, run on first call and cached. The schemas here are built on first use, not at import: importing the
 * registry then constructs no operation's schemas (zod's construction is most of a host's cold start).
 */
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    if (!built) built = { value: build() };
    return built.value;
  };
}

const optionalText = (label: string, description?: string) =>
  withMeta(z.string().optional(), description ? { label, description } : { label });
/** Free text whose edge spaces may be content: kept as typed (see `FieldMeta.verbatim`). */
const verbatimText = (label: string) => withMeta(z.string().optional(), { label, verbatim: true });
/**
 * Shapes checked on the field itself (not only by `withQrCodeWriteChecks` on the whole body): zod leaves a failing
 * content object out of what the body-level check sees, so its siblings' problems are reported at once only here.
 */
const emailList = (label: string) => withMeta(z.string().refine(isEmailList, EMAIL_LIST_MESSAGE).optional(), { label });
const phoneNumber = once(() => z.string().refine(isPhoneNumber, PHONE_MESSAGE));
const color = (schema: typeof F.bgColor, description: string) =>
  keepMeta(schema, schema.refine(isQrColor, COLOR_MESSAGE), { description, advanced });

/** `email` content (CodeQR keeps it as a string map; these are the keys it reads). */
const emailContent = once(() =>
  z.object({
    email: withMeta(z.string().trim().min(1).regex(EMAIL_PATTERN, EMAIL_MESSAGE), {
      label: 'To',
      placeholder: 'hello@example.com',
    }),
    subject: optionalText('Subject'),
    body: verbatimText('Body'),
    cc: emailList('CC'),
    cco: emailList('BCC'),
  }),
);

/** `wifi` content. */
const wifiContent = once(() =>
  z.object({
    ssid: withMeta(z.string().min(1), { label: 'Network Name (SSID)' }),
    password: verbatimText('Password'),
    encryption: withMeta(z.enum(['WPA', 'WPA2', 'WEP', 'nopass']).optional(), {
      label: 'Encryption',
      optionLabels: { WPA: 'WPA', WPA2: 'WPA2', WEP: 'WEP', nopass: 'None (open network)' },
    }),
  }),
);

/** `sms` content (`subject` is the message text). */
const smsContent = once(() =>
  z.object({
    tel: withMeta(phoneNumber(), { label: 'Phone Number', placeholder: '+15551234567' }),
    subject: verbatimText('Message'),
  }),
);

const whatsappContent = once(() => {
  const whatsapp = F.whatsapp.unwrap().unwrap();
  return whatsapp.extend({
    number: withMeta(whatsapp.shape.number, {
      label: 'Phone Number',
      description: 'International number, digits only, without "+".',
      placeholder: '15551234567',
    }),
    message: withMeta(whatsapp.shape.message, { label: 'Message', verbatim: true }),
  });
});

/** The QR-code types the write operations offer: the ones core can both fill (content fields below) and render. */
export const WRITABLE_TYPES = QR_IMAGE_LOCAL_TYPES;

/** The picked, labelled QR-code fields every QR-code write operation shares (all still required here). */
export const qrCodeWriteFields = once(() =>
  QrCodeFields.pick({
    type: true,
    url: true,
    domain: true,
    key: true,
    externalId: true,
    title: true,
    description: true,
    tagNames: true,
    folderId: true,
    static: true,
    expiresAt: true,
    expiredUrl: true,
    archived: true,
    comments: true,
    bgColor: true,
    fgColor: true,
    size: true,
    level: true,
    text: true,
    phone: true,
    email: true,
    wifi: true,
    sms: true,
    whatsapp: true,
  }).extend({
    // only the types these operations have content fields for (the API knows 13; a vCard without its fields is empty)
    type: withMeta(z.enum(WRITABLE_TYPES), {
      label: 'Type',
      description: 'What the QR code encodes. Defaults to a URL.',
      optionLabels: {
        url: 'URL',
        text: 'Text',
        email: 'Email',
        wifi: 'Wi-Fi',
        phone: 'Phone',
        sms: 'SMS',
        whatsapp: 'WhatsApp',
      },
    }),
    url: withMeta(F.url, { format: 'uri' }),
    domain: withMeta(F.domain, { options: 'domains', placeholder: 'cqr.link' }),
    key: withMeta(F.key, { placeholder: 'spring-menu' }),
    externalId: withMeta(F.externalId, { placeholder: 'order-1234' }),
    title: withMeta(F.title, {
      description: 'Name of the QR code in the CodeQR dashboard.',
      placeholder: 'Spring menu',
    }),
    description: withMeta(F.description, { advanced }),
    tagNames: withMeta(F.tagNames, {
      label: 'Tags',
      description: 'Tag names (one or several). The tags must already exist in CodeQR.',
      options: 'tags',
    }),
    folderId: withMeta(F.folderId, {
      label: 'Folder',
      description: 'Folder to put the QR code in.',
      options: 'folders',
      advanced,
    }),
    static: withMeta(F.static, { advanced }),
    expiresAt: withMeta(F.expiresAt, {
      description: 'When the short link stops redirecting (ISO 8601 with time zone).',
      placeholder: '2026-12-31T23:59:59Z',
      advanced,
    }),
    expiredUrl: withMeta(F.expiredUrl, {
      label: 'Expired URL',
      description: 'Where people go after the expiry date.',
      placeholder: 'https://example.com/expired',
      format: 'uri',
      advanced,
    }),
    archived: withMeta(F.archived, {
      label: 'Archived',
      description: 'Hide the QR code from the default lists.',
      advanced,
    }),
    comments: withMeta(F.comments, { label: 'Comments', description: 'Internal notes.', advanced }),
    bgColor: color(F.bgColor, 'A hex colour (#ffffff) or a CSS colour name (white). Defaults to white.'),
    fgColor: color(F.fgColor, 'A hex colour (#000000) or a CSS colour name (black). Defaults to black.'),
    size: withMeta(F.size, { advanced }),
    level: withMeta(F.level, { advanced }),
    text: withMeta(F.text, { label: 'Text', description: 'Content of a Text QR code.', advanced, verbatim: true }),
    phone: withMeta(phoneNumber().nullish(), {
      label: 'Phone Number',
      description: 'Content of a Phone QR code.',
      placeholder: '+15551234567',
      advanced,
    }),
    email: withMeta(emailContent().nullish(), {
      label: 'Email',
      description: 'Content of an Email QR code.',
      advanced,
    }),
    wifi: withMeta(wifiContent().nullish(), { label: 'Wi-Fi', description: 'Content of a Wi-Fi QR code.', advanced }),
    sms: withMeta(smsContent().nullish(), { label: 'SMS', description: 'Content of an SMS QR code.', advanced }),
    whatsapp: withMeta(whatsappContent().nullish(), {
      label: 'WhatsApp',
      description: 'Content of a WhatsApp QR code.',
      advanced,
    }),
  }),
);

/** Create fields: all optional, `type` defaults to `url`. */
export const qrCodeCreateFields = once(() =>
  qrCodeWriteFields()
    .partial()
    .extend({ type: qrCodeWriteFields().shape.type.default('url') }),
);

/**
 * A create-like input from `fields` (`qrCodeCreateFields()`, or it extended): a URL code needs its URL, and the
 * client's checks (colours, the content each type needs, e-mail / phone / URL shapes) run at the input boundary,
 * so they are reported by label with every other bad field.
 */
export function qrCodeCreateSchema<T extends z.ZodObject>(fields: T): T {
  return withQrCodeWriteChecks(requireUrlForUrlType(fields), 'create');
}

/**
 * One QR code to create: the create operation's input and one item of the bulk-create operation. To add fields,
 * extend `qrCodeCreateFields()` and wrap it with `qrCodeCreateSchema`: zod's `.extend()` keeps the shape but drops
 * the checks.
 */
export const qrCodeCreateInput = once(() => qrCodeCreateSchema(qrCodeCreateFields()));

/** The QR code an operation acts on: its id or `ext_<externalId>`, picked from the account. */
export const qrCodeIdField = once(() =>
  withMeta(z.string().trim().min(1), {
    label: 'QR Code',
    description: 'The QR code ID, or ext_<externalId> for your own ID.',
    placeholder: 'cm1a2b3c4d5e6f7g8h9i0j1k',
    options: 'qrCodes',
  }),
);
