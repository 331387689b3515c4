/**
 * The spec's enums the sandbox validates against and answers with, each written from its place in the official spec
 * (spec/codeqr-api/openapi.json) or CodeQR's docs, never read from core: a fidelity test compares the two.
 */

/** spec: components.schemas.QrCodeSchema.properties.type.enum (13 types) */
export const QR_CODE_TYPES = [
  'url',
  'text',
  'email',
  'wifi',
  'phone',
  'vcard',
  'crypto',
  'sms',
  'facetime',
  'geo',
  'latlog',
  'pix',
  'whatsapp',
] as const;
export type QrCodeType = (typeof QR_CODE_TYPES)[number];

/**
 * Error-correction levels. docs: QR code model, "level (L|M|Q|H)"; the spec
 * (components.schemas.QrCodeSchema.properties.level) says any string, but a QR code has no other level.
 */
export const QR_LEVELS = ['L', 'M', 'Q', 'H'] as const;

/** spec: components.schemas.TagSchema.properties.color.enum (also `POST /tags` requestBody `color.enum`) */
export const TAG_COLORS = ['red', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown'] as const;

/** spec: paths./qrcodes.get.parameters[sort].schema.enum (always descending) */
export const LIST_SORTS = ['createdAt', 'scans', 'lastClicked'] as const;

/** spec: paths./qrcodes.get.parameters[pageSize].schema.maximum and .default (100) */
export const QR_LIST_MAX_PAGE_SIZE = 100;

/** spec: paths./qrcodes/count.get.parameters[groupBy].schema.anyOf[*].enum */
export const COUNT_GROUP_BYS = ['domain', 'tagId', 'userId', 'folderId'] as const;

/**
 * The QR-code events a sandbox webhook can subscribe to. docs: webhooks, "Events: qrcode.created, qrcode.updated,
 * qrcode.deleted, qrcode.scanned, …" (the link, page, lead and sale events never happen in the sandbox).
 */
export const QR_WEBHOOK_EVENTS = ['qrcode.created', 'qrcode.updated', 'qrcode.deleted', 'qrcode.scanned'] as const;

/** spec: paths./qrcodes.post.requestBody…properties.rules.items.properties.attribute.enum */
export const SMART_RULE_ATTRIBUTES = [
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

/** spec: paths./qrcodes.post.requestBody…properties.rules.items.properties.operator.enum */
export const SMART_RULE_OPERATORS = ['equals', 'not_equals'] as const;

/** spec: paths./qrcodes.post.requestBody…properties.frameTextStyles.properties.<key>.enum */
export const FRAME_TEXT_STYLE_VALUES = {
  weight: ['normal', 'bold'],
  style: ['normal', 'italic'],
  family: ['sans', 'sans-condensed', 'serif', 'serif-elegant', 'mono'],
  size: ['s', 'm', 'l', 'xl'],
} as const;
