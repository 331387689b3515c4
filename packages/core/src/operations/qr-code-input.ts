/**
 * The host-facing QR-code fields of the create, update, upsert and bulk-create operations: one subset of
 * `QrCodeFields` (`.pick`), labelled and marked `advanced` here, then `.partial()` / `.extend()`-ed per operation.
 */
import * as z from 'zod/v4';
import { keepMeta, withMeta } from '../fields/meta.ts';
import { isQrColor } from '../schemas/colors.ts';
import { QR_CODE_TYPES } from '../schemas/common.ts';
import { QrCodeFields, requireUrlForUrlType } from '../schemas/qr-code.ts';
import { COLOR_MESSAGE, withQrCodeWriteChecks } from '../schemas/qr-code-checks.ts';
import { once, QR_TYPE_LABELS, qrCodeContentFields } from './qr-code-content.ts';
import { qrCodeDesignFields, qrCodeTargetingFields } from './qr-code-design.ts';
import { folderNameField } from './resolve-names.ts';

const F = QrCodeFields.shape;
const advanced = true;

const color = (schema: typeof F.bgColor, description: string, initial: string) =>
  keepMeta(schema, schema.refine(isQrColor, COLOR_MESSAGE), { description, advanced, initial });

/** The QR-code types the write operations offer: all 13 (a Geo code is refused with the fix: see `GEO_TYPE_MESSAGE`). */
export const WRITABLE_TYPES = QR_CODE_TYPES;

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
  }).extend({
    type: withMeta(z.enum(WRITABLE_TYPES), {
      label: 'Type',
      description:
        'What the QR code encodes; fill the field named like the type (vCard, Crypto, …). Defaults to URL. Geo cannot be created through the API: use Location.',
      optionLabels: QR_TYPE_LABELS,
      initial: 'url',
    }),
    url: withMeta(F.url, { format: 'uri' }),
    domain: withMeta(F.domain, { options: 'domains', placeholder: 'cqr.link' }),
    key: withMeta(F.key, { placeholder: 'spring-menu' }),
    externalId: withMeta(F.externalId, { placeholder: 'order-1234' }),
    title: withMeta(F.title, {
      description: 'Name of the QR code in the CodeQR dashboard; also the title of its Custom Link Preview.',
      placeholder: 'Spring menu',
    }),
    description: withMeta(F.description, {
      description: 'Description of the QR code; also the text of its Custom Link Preview.',
      advanced,
    }),
    tagNames: withMeta(F.tagNames, {
      label: 'Tags',
      description:
        'Tag names (one or several, case-insensitive). Missing tags are created first unless Create Missing Tags is off.',
      options: 'tags',
    }),
    folderId: withMeta(F.folderId, {
      label: 'Folder',
      description: 'Folder to put the QR code in (or give its name in Folder Name).',
      options: 'folders',
      advanced,
    }),
    folderName: folderNameField(),
    static: withMeta(F.static, { initial: false, advanced }),
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
      initial: false,
      advanced,
    }),
    comments: withMeta(F.comments, { label: 'Comments', description: 'Internal notes.', advanced }),
    bgColor: color(F.bgColor, 'A hex colour (#ffffff) or a CSS colour name (white). Defaults to white.', '#ffffff'),
    fgColor: color(F.fgColor, 'A hex colour (#000000) or a CSS colour name (black). Defaults to black.', '#000000'),
    size: withMeta(F.size, { description: 'Width of the image CodeQR draws, in pixels.', initial: 1024, advanced }),
    level: withMeta(F.level, {
      description: 'How much of the code may be damaged or covered (a logo) and still scan.',
      initial: 'M',
      advanced,
    }),
    ...qrCodeContentFields(),
    ...qrCodeDesignFields(),
    ...qrCodeTargetingFields(),
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
