import * as z from 'zod/v4';
import { QrCodeType, QrLevel, StringRecord, Tag } from './common.ts';
import { withQrCodeWriteChecks } from './qr-code-checks.ts';

/** A short link from its parts, for answers that lack `shortLink` (the spec's `QrCodeSchema` has none). */
export function shortLinkFor(domain: string, key: string): string {
  return `https://${domain}/${key}`;
}

/**
 * The QR code as CodeQR returns it. Strict on what a workflow relies on (id, domain, key, type, timestamps, scans),
 * tolerant of everything else: extra fields pass through, and `shortLink` (missing from the spec's `QrCodeSchema`,
 * present in the docs and webhooks) is derived from `domain`/`key` when absent.
 */
export const QrCode = z
  .looseObject({
    id: z.string().min(1),
    domain: z.string(),
    key: z.string(),
    shortLink: z.string().optional(),
    url: z.string().nullable(),
    type: QrCodeType.or(z.string()),
    static: z.boolean().default(false),
    externalId: z.string().nullable().default(null),
    title: z.string().nullable().default(null),
    description: z.string().nullable().default(null),
    image: z.string().nullable().default(null),
    archived: z.boolean().default(false),
    expiresAt: z.string().nullable().default(null),
    bgColor: z.string().default('#ffffff'),
    fgColor: z.string().default('#000000'),
    size: z.number().default(1024),
    level: z.string().default('M'),
    showLogo: z.boolean().default(false),
    scans: z.number().default(0),
    lastClicked: z.string().nullable().default(null),
    tags: z.array(Tag).nullable().default(null),
    folderId: z.string().nullable().default(null),
    comments: z.string().nullable().default(null),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .transform((qr) => ({ ...qr, shortLink: qr.shortLink ?? shortLinkFor(qr.domain, qr.key) }));
export type QrCode = z.output<typeof QrCode>;

const SMART_RULE_ATTRIBUTES = [
  'device',
  'country',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'referrer',
  'language',
  'city',
  'region',
  'continent',
  'utm_term',
  'utm_content',
] as const;

export const SmartRule = z.object({
  attribute: z.enum(SMART_RULE_ATTRIBUTES),
  operator: z.enum(['equals', 'not_equals']),
  value: z.string().min(1).max(190),
  url: z.string(),
});

export const FrameTextStyles = z.strictObject({
  weight: z.enum(['normal', 'bold']).optional(),
  style: z.enum(['normal', 'italic']).optional(),
  family: z.enum(['sans', 'sans-condensed', 'serif', 'serif-elegant', 'mono']).optional(),
  size: z.enum(['s', 'm', 'l', 'xl']).optional(),
});

/** An absolute http(s) URL (trimmed). */
export const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value), {
    message: 'must be an absolute http(s) URL, e.g. https://example.com/page',
  });

/** A short-link slug: letters, digits, `-`, `_`, `.` and `/`, at most 190 characters. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,189}$/;

/**
 * The fields CodeQR accepts when creating or updating a QR code (the spec's create body), all optional. Create and
 * update bodies are derived from it. Labels and help text live in `.meta()` for the hosts' field builders.
 */
export const QrCodeFields = z.object({
  type: QrCodeType.meta({ label: 'Type', description: 'What the QR code encodes. Defaults to a URL.' }),
  url: httpUrl.nullish().meta({
    label: 'Destination URL',
    description: 'Where the QR code sends people. Required for the URL type.',
    placeholder: 'https://example.com/landing',
  }),
  domain: z.string().min(1).max(190).meta({
    label: 'Domain',
    description: "Short-link domain. Defaults to the project's primary domain.",
  }),
  key: z
    .string()
    .regex(KEY_PATTERN, 'must be a slug of letters, digits, "-", "_", "." or "/" (1-190 characters)')
    .meta({
      label: 'Key',
      description: 'Short-link slug. A random 7-character slug is generated when empty.',
    }),
  prefix: z.string().max(50),
  externalId: z.string().min(1).max(255).nullish().meta({
    label: 'External ID',
    description: 'Your own unique ID for this QR code (1-255 characters). Makes retries and upserts safe.',
  }),
  title: z.string().max(255).nullish().meta({ label: 'Title' }),
  description: z.string().max(1000).nullish().meta({ label: 'Description' }),
  image: z.string().nullish(),
  archived: z.boolean(),
  expiresAt: z.iso.datetime({ offset: true }).nullish().meta({ label: 'Expires At' }),
  expiredUrl: httpUrl.nullish(),
  password: z.string().nullish(),
  proxy: z.boolean(),
  rewrite: z.boolean(),
  ios: httpUrl.nullish(),
  android: httpUrl.nullish(),
  geo: StringRecord.nullish(),
  rules: z.array(SmartRule).max(20).nullish(),
  doIndex: z.boolean(),
  webhookIds: z.array(z.string()).nullish(),
  publicStats: z.boolean(),
  trackConversion: z.boolean(),
  tagId: z.string().nullish(),
  tagIds: z.union([z.string(), z.array(z.string())]),
  tagNames: z.union([z.string(), z.array(z.string())]),
  folderId: z.string().nullish(),
  comments: z.string().nullish(),
  flexible: z.boolean(),
  filled: z.boolean(),
  static: z.boolean().meta({
    label: 'Static',
    description: 'A static code encodes the content itself and can never change; dynamic (default) codes can.',
  }),
  useDisplayPage: z.boolean(),
  templateId: z.string().nullish(),
  useAsTemplate: z.boolean(),
  text: z.string().nullish(),
  email: StringRecord.nullish(),
  wifi: StringRecord.nullish(),
  phone: z.string().nullish(),
  vcard: StringRecord.nullish(),
  crypto: StringRecord.nullish(),
  sms: StringRecord.nullish(),
  whatsapp: z
    .object({
      number: z.string().regex(/^[1-9]\d{7,14}$/, 'must be an international number of 8-15 digits without "+"'),
      message: z.string().max(1000).optional(),
    })
    .nullish(),
  facetime: StringRecord.nullish(),
  latlog: StringRecord.nullish(),
  pix: z.unknown(),
  logo: z.string().nullish(),
  bgColor: z.string().max(32).meta({ label: 'Background Color', placeholder: '#ffffff' }),
  fgColor: z.string().max(32).meta({ label: 'Foreground Color', placeholder: '#000000' }),
  size: z.number().int().min(16).max(4096).meta({ label: 'Size (px)' }),
  level: QrLevel.meta({
    label: 'Error Correction Level',
    optionLabels: { L: 'Low (7%)', M: 'Medium (15%)', Q: 'Quartile (25%)', H: 'High (30%)' },
  }),
  showLogo: z.boolean(),
  src: z.string().nullish(),
  height: z.number(),
  width: z.number(),
  excavate: z.boolean(),
  pattern: z.string(),
  shape: z.string(),
  frame: z.string(),
  frameColor: z.string(),
  frameText: z.string().max(200),
  frameTextColor: z.string().nullish(),
  frameTextStyles: FrameTextStyles.nullish(),
  preRedirection: z.boolean(),
  pageId: z.string().nullish(),
  pageUrl: z.string().nullish(),
  isFormMandatory: z.boolean(),
  utm_source: z.string().nullish(),
  utm_medium: z.string().nullish(),
  utm_campaign: z.string().nullish(),
  utm_term: z.string().nullish(),
  utm_content: z.string().nullish(),
});

type UrlCheckable = { type?: string | null | undefined; url?: string | null | undefined };

/**
 * A URL QR code needs its destination. Checked only on an object whose `url` itself was valid, so one problem is
 * reported once. Shared by the API body and the operations' inputs.
 */
export function requireUrlForUrlType<T extends z.ZodType<UrlCheckable>>(schema: T): T {
  return schema.refine((body: UrlCheckable) => (body.type ?? 'url') !== 'url' || Boolean(body.url), {
    path: ['url'],
    message: 'is required when type is "url"',
    when: (payload) =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      !payload.issues.some((issue) => issue.path?.length === 0 || ['url', 'type'].includes(String(issue.path?.[0]))),
  }) as unknown as T;
}

/** Body of `POST /qrcodes` and each item of `POST /qrcodes/bulk`. */
export const CreateQrCodeBody = requireUrlForUrlType(
  QrCodeFields.omit({
    utm_source: true,
    utm_medium: true,
    utm_campaign: true,
    utm_term: true,
    utm_content: true,
  }).partial(),
);
export type CreateQrCodeBody = z.input<typeof CreateQrCodeBody>;

/** Body of `PUT /qrcodes/{id}`: every field optional; `null` clears a nullable field. */
export const UpdateQrCodeBody = QrCodeFields.partial();
export type UpdateQrCodeBody = z.input<typeof UpdateQrCodeBody>;

/** `CreateQrCodeBody` with the client's checks: what `client.qrcodes.create` / `bulkCreate` / `upsert` validate. */
export const CreateQrCodeRequest = withQrCodeWriteChecks(CreateQrCodeBody, 'create');
/** `UpdateQrCodeBody` with the client's checks: what `client.qrcodes.update` validates. */
export const UpdateQrCodeRequest = withQrCodeWriteChecks(UpdateQrCodeBody, 'update');

/** One item of the `POST /qrcodes/bulk` answer: a QR code, or an error in place of the item that failed. */
export const BulkItemError = z.looseObject({
  qrcode: z.unknown().optional(),
  error: z.string(),
  code: z.string(),
});
export type BulkItemError = z.infer<typeof BulkItemError>;

export const DeletedQrCode = z.looseObject({ id: z.string() });
export const BulkDeleteResult = z.looseObject({ deletedCount: z.number() });

/** List filters of `GET /qrcodes` and `GET /qrcodes/count` that the integrations use. */
export const LIST_SORTS = ['createdAt', 'scans', 'lastClicked'] as const;
export const QR_LIST_MAX_PAGE_SIZE = 100;
