import type * as z from 'zod/v4';

/** Where a dynamic dropdown's choices come from (see `DYNAMIC_OPTIONS`). */
export type DynamicOptionSource = 'domains' | 'tags' | 'folders' | 'qrCodes';

/**
 * The host-neutral field metadata an operation's zod input carries in `.meta()`. Hosts derive their fields from it
 * (`describeFields`); anything host-specific belongs in that host's overrides.
 */
export type FieldMeta = {
  label?: string;
  description?: string;
  placeholder?: string;
  /** A less common field: n8n puts it under "Additional Fields", Zapier marks it not important. */
  advanced?: boolean;
  /** Choices come from the account (a dynamic dropdown). */
  options?: DynamicOptionSource;
  example?: unknown;
  /**
   * The value a host form starts at: CodeQR's own default where it has one (size 1024, level M), shown so users see
   * what they get when they leave the field alone. Not sent: an untouched field is left out and CodeQR applies it.
   */
  initial?: unknown;
  /** Display names of enum values; values without one are humanised. */
  optionLabels?: Record<string, string>;
  /**
   * JSON-Schema `format` for a string checked by a custom refinement, which zod cannot see through: `uri` makes it
   * a `url` field, `date-time` / `date` a `datetime` field. Strings built with `z.url()` / `z.iso.*` need none.
   */
  format?: 'uri' | 'date-time' | 'date';
  /**
   * Keep the text exactly as given: `parseInput` trims every other text field (spaces at either end are form
   * noise), but not free text where they may be content, such as a Wi-Fi password or a message.
   */
  verbatim?: boolean;
};

/** `schema.meta(meta)`, typed to the field vocabulary. */
export function withMeta<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  return schema.meta(meta) as T;
}

/**
 * The metadata of `schema` itself (with what it inherits from the schema it was cloned from). zod v4 keeps `.meta()`
 * on the exact instance: wrappers (`.optional()`, `.default()`) start without it, and so do checks added after it
 * (`.max()`, `.regex()`, `.refine()`), so re-apply it with `keepMeta` after adding checks.
 */
export function ownMeta(schema: z.ZodType): FieldMeta {
  // `.meta()` without arguments reads the global registry (and what the schema inherits from its parent clone)
  return (schema.meta() ?? {}) as FieldMeta;
}

/** `derived` with the metadata of `from` (plus `extra`): for a field narrowed with checks added after `.meta()`. */
export function keepMeta<T extends z.ZodType>(from: z.ZodType, derived: T, extra: FieldMeta = {}): T {
  return derived.meta({ ...ownMeta(from), ...extra }) as T;
}

const WORDS: Record<string, string> = {
  id: 'ID',
  ids: 'IDs',
  url: 'URL',
  urls: 'URLs',
  qr: 'QR',
  qrcode: 'QR Code',
  qrcodes: 'QR Codes',
  bg: 'Background',
  fg: 'Foreground',
  utm: 'UTM',
  ios: 'iOS',
  ip: 'IP',
  png: 'PNG',
  svg: 'SVG',
  sms: 'SMS',
  api: 'API',
  wifi: 'Wi-Fi',
  whatsapp: 'WhatsApp',
};

/** A display name from a key or enum value: `bgColor` → `Background Color`, `top_qrcodes` → `Top QR Codes`. */
export function humanize(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((word) => WORDS[word.toLowerCase()] ?? word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
