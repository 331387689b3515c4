import * as z from 'zod/v4';
import { isQrColor, QR_COLOR_RULE } from './colors.ts';
import { QrCodeType, QrLevel, StringRecord, Tag } from './common.ts';

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

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value), {
    message: 'must be an absolute http(s) URL, e.g. https://example.com/page',
  });

/** A short-link slug: letters, digits, `-`, `_`, `.` and `/`, at most 190 characters. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,189}$/;

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

// ---------------------------------------------------------------------------------------------------------------
// Client-side checks. The bodies above mirror what CodeQR accepts (the sandbox validates with them and stays that
// lenient); the checks below are what the client and the operations add before sending, so input CodeQR would
// silently coerce or store half-empty (a colour typo printed black, a Wi-Fi code with no network) fails first.

/** What the client's checks say (each follows the field's label). */
export const COLOR_MESSAGE = `must be ${QR_COLOR_RULE}; CodeQR would silently use its default instead`;
export const URL_MESSAGE = 'must be an absolute http(s) URL, e.g. https://example.com/page';
export const EMAIL_MESSAGE = 'must be an e-mail address, e.g. hello@example.com';
export const EMAIL_LIST_MESSAGE = 'must be e-mail addresses separated by commas, e.g. a@example.com, b@example.com';
export const PHONE_MESSAGE =
  'must be a phone number (digits, optionally with +, spaces or dashes), e.g. +1 555 123 4567';

/** One e-mail address (what mail clients accept in a mailto: link). */
export const EMAIL_PATTERN = /^[^\s@,;<>()]+@[^\s@,;<>()]+\.[^\s@,;<>().]+$/;
/** A phone number: digits with optional `+`, spaces, `-`, `.`, `/`, parentheses and dial codes (`*`, `#`, `,`, `;`). */
const PHONE_PATTERN = /^\+?[\d\s().\-/*#,;]+$/;

/** Whether `value` is one or more e-mail addresses separated by commas or semicolons. */
export function isEmailList(value: string): boolean {
  return value.split(/[,;]/).every((address) => EMAIL_PATTERN.test(address.trim()));
}

/** Whether `value` is a phone number core sends: the characters above, with at least 3 digits. */
export function isPhoneNumber(value: string): boolean {
  return PHONE_PATTERN.test(value.trim()) && (value.match(/\d/g)?.length ?? 0) >= 3;
}

/** Whether `value` parses as an absolute http(s) URL with a real host name (`example.com`, `localhost`, an IP). */
export function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return host.includes('.') || host === 'localhost' || host.startsWith('[');
}

type Body = Record<string, unknown>;
type Issue = { path: (string | number)[]; message: string };
export type QrCodeWriteMode = 'create' | 'update';

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
const asRecord = (value: unknown): Body | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
const forType = (type: string) => `for a QR code of type "${type}"`;

/** The colour fields of a QR code (`frameTextColor` may also be left out for an automatic contrast colour). */
const COLOR_FIELDS = ['bgColor', 'fgColor', 'frameColor', 'frameTextColor'] as const;
const URL_FIELDS = ['url', 'expiredUrl', 'ios', 'android'] as const;
/** Keys each content object must have, whenever it is given: the one value a code of that type cannot do without. */
const CONTENT_KEYS: Record<string, string> = {
  email: 'email',
  wifi: 'ssid',
  sms: 'tel',
  whatsapp: 'number',
  crypto: 'address',
};
/** Content objects that only need to be non-empty (their keys are free-form). */
const FREE_CONTENT = ['vcard', 'facetime', 'latlog'] as const;
const WIFI_ENCRYPTIONS = ['WPA', 'WPA2', 'WEP', 'nopass'];

/** What the content of a QR code of `type` is missing, as issues (empty when it has what it needs). */
function missingContent(body: Body, type: string): Issue[] {
  if (type === 'url' || type === 'geo') return []; // url: `requireUrlForUrlType`; geo: no documented content field
  if (type === 'text' || type === 'phone') {
    return isBlank(body[type]) ? [{ path: [type], message: `is required ${forType(type)}` }] : [];
  }
  if (type === 'pix') return body.pix == null ? [{ path: ['pix'], message: `is required ${forType(type)}` }] : [];
  const content = asRecord(body[type]);
  const key = CONTENT_KEYS[type];
  if (key) {
    return isBlank(content?.[key]) ? [{ path: [type, key], message: `is required ${forType(type)}` }] : [];
  }
  if ((FREE_CONTENT as readonly string[]).includes(type)) {
    const filled = content && Object.values(content).some((value) => !isBlank(value));
    return filled ? [] : [{ path: [type], message: `is required ${forType(type)} and cannot be empty` }];
  }
  return [];
}

/** Problems inside content objects that were given (whatever the type): missing keys and malformed values. */
const SHAPED = ['email', 'wifi', 'sms', 'whatsapp', 'crypto', 'vcard', 'phone'] as const;

function contentShape(body: Body): Issue[] {
  const issues: Issue[] = [];
  if (!SHAPED.some((field) => body[field] != null)) return issues;
  for (const [field, key] of Object.entries(CONTENT_KEYS)) {
    const content = asRecord(body[field]);
    if (content && isBlank(content[key])) issues.push({ path: [field, key], message: 'is required' });
  }
  const email = asRecord(body.email);
  for (const key of ['email', 'cc', 'cco']) {
    const value = email?.[key];
    if (typeof value !== 'string' || isBlank(value)) continue;
    if (key === 'email' ? !EMAIL_PATTERN.test(value.trim()) : !isEmailList(value)) {
      issues.push({
        path: ['email', key],
        message: key === 'email' ? EMAIL_MESSAGE : EMAIL_LIST_MESSAGE,
      });
    }
  }
  const vcardEmail = asRecord(body.vcard)?.email;
  if (typeof vcardEmail === 'string' && !isBlank(vcardEmail) && !EMAIL_PATTERN.test(vcardEmail.trim())) {
    issues.push({ path: ['vcard', 'email'], message: EMAIL_MESSAGE });
  }
  const phones: [(string | number)[], unknown][] = [
    [['phone'], body.phone],
    [['sms', 'tel'], asRecord(body.sms)?.tel],
    [['vcard', 'phone'], asRecord(body.vcard)?.phone],
  ];
  for (const [path, value] of phones) {
    if (typeof value === 'string' && !isBlank(value) && !isPhoneNumber(value)) {
      issues.push({ path, message: PHONE_MESSAGE });
    }
  }
  const encryption = asRecord(body.wifi)?.encryption;
  if (typeof encryption === 'string' && !isBlank(encryption) && !WIFI_ENCRYPTIONS.includes(encryption)) {
    issues.push({ path: ['wifi', 'encryption'], message: `must be one of ${WIFI_ENCRYPTIONS.join(', ')}` });
  }
  return issues;
}

/**
 * What the client checks on a create or update body beyond what CodeQR validates: colours (hex or a CSS colour
 * keyword; CodeQR would silently use the default), the content the QR code's type needs, e-mail and phone shapes,
 * absolute URLs with a host, non-blank external ids, and (update) a URL that would be cleared.
 */
export function qrCodeWriteIssues(body: Body, mode: QrCodeWriteMode, typeFailed = false): Issue[] {
  const issues: Issue[] = [];
  for (const field of COLOR_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && !isQrColor(value)) {
      issues.push({ path: [field], message: COLOR_MESSAGE });
    }
  }
  for (const field of URL_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && !isBlank(value) && !isHttpUrl(value)) {
      issues.push({ path: [field], message: URL_MESSAGE });
    }
  }
  if (typeof body.externalId === 'string' && isBlank(body.externalId)) {
    issues.push({ path: ['externalId'], message: 'cannot be blank: leave it out, or give your own ID' });
  }
  const type = typeof body.type === 'string' ? body.type : mode === 'create' ? 'url' : undefined;
  if (type && !typeFailed) issues.push(...missingContent(body, type));
  if (mode === 'update') {
    if (body.url === null && (type === undefined || type === 'url')) {
      issues.push({
        path: ['url'],
        message: 'cannot be cleared: a URL QR code needs its destination; give the new URL instead',
      });
    } else if (type === 'url' && isBlank(body.url)) {
      issues.push({ path: ['url'], message: 'is required when type is "url"' });
    }
  }
  issues.push(...contentShape(body));
  if (issues.length < 2) return issues;
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = issue.path.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `schema` with `qrCodeWriteIssues` as a check that runs even when some fields already failed (so one error names
 * every bad field), skipping fields that already have an issue.
 */
const NONE: ReadonlySet<string> = new Set();

export function withQrCodeWriteChecks<T extends z.ZodType>(schema: T, mode: QrCodeWriteMode): T {
  const check = z.superRefine<unknown>((value, ctx) => {
    const body = asRecord(value);
    if (!body) return;
    // a field that failed its own schema anywhere inside is missing from `value` (zod drops it), so it is reported
    // once, by that schema, and says nothing here: a bad type does not tell which content is needed
    const failed = ctx.issues.length === 0 ? NONE : new Set(ctx.issues.map((issue) => String(issue.path?.[0] ?? '')));
    for (const issue of qrCodeWriteIssues(body, mode, failed.has('type'))) {
      if (failed.has(String(issue.path[0]))) continue;
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: undefined });
    }
  });
  check._zod.def.when = (payload) => asRecord(payload.value) !== undefined;
  return schema.check(check) as T;
}

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
