import { z } from 'zod/v4';
import {
  FRAME_TEXT_STYLE_VALUES,
  QR_CODE_TYPES,
  QR_LEVELS,
  SMART_RULE_ATTRIBUTES,
  SMART_RULE_OPERATORS,
} from './enums.ts';
import { bool, dateTime, nstr, str } from './values.ts';

/**
 * What the API accepts on the wire, written from the official spec (not from core's schemas: core checks input
 * more strictly on purpose, so a user hears about a wrong colour or a missing scheme before anything is sent, and the
 * sandbox must not inherit that). Where the spec allows a value, these schemas accept it; CodeQR's own coercions
 * (colours, URLs without a scheme) happen in the store, after validation.
 */

const record = z.record(z.string(), z.string()).nullish();
/** The spec lists `geo`'s keys (country codes, `additionalProperties: false`); any two capital letters stand in here. */
const geoRecord = z.record(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code'), z.string()).nullish();
const stringOrList = z.union([z.string(), z.array(z.string())]);

/** spec: paths./qrcodes.post.requestBody…properties.rules.items (all four required) */
const SmartRule = z.object({
  attribute: z.enum(SMART_RULE_ATTRIBUTES),
  operator: z.enum(SMART_RULE_OPERATORS),
  value: z.string().min(1).max(190), // spec: rules.items.properties.value minLength 1, maxLength 190
  url: z.string(),
});

/** spec: paths./qrcodes.post.requestBody…properties.frameTextStyles (`additionalProperties: false`: unknown keys fail) */
const FrameTextStyles = z.strictObject({
  weight: z.enum(FRAME_TEXT_STYLE_VALUES.weight).optional(),
  style: z.enum(FRAME_TEXT_STYLE_VALUES.style).optional(),
  family: z.enum(FRAME_TEXT_STYLE_VALUES.family).optional(),
  size: z.enum(FRAME_TEXT_STYLE_VALUES.size).optional(),
});

/** Every field of the spec's create body (`POST /qrcodes`), all optional here; `type` defaults to `url` (docs). */
const Fields = z.object({
  type: z.enum(QR_CODE_TYPES),
  url: nstr,
  domain: str,
  key: str,
  prefix: str,
  externalId: z.string().min(1).max(255).nullish(),
  trackConversion: bool,
  templateId: nstr,
  useAsTemplate: bool,
  archived: bool,
  expiresAt: dateTime.nullish(),
  expiredUrl: nstr,
  password: nstr,
  proxy: bool,
  title: nstr,
  description: nstr,
  image: nstr,
  rewrite: bool,
  ios: nstr,
  android: nstr,
  geo: geoRecord,
  rules: z.array(SmartRule).max(20).nullish(),
  doIndex: bool,
  webhookIds: z.array(str).nullish(),
  publicStats: bool,
  tagId: nstr,
  tagIds: stringOrList,
  tagNames: stringOrList,
  folderId: nstr,
  comments: nstr,
  flexible: bool,
  filled: bool,
  static: bool,
  useDisplayPage: bool,
  text: nstr,
  email: record,
  wifi: record,
  phone: nstr,
  vcard: record,
  crypto: record,
  sms: record,
  whatsapp: z
    .object({ number: z.string().regex(/^[1-9]\d{7,14}$/), message: z.string().max(1000).optional() })
    .nullish(),
  facetime: record,
  latlog: record,
  // spec: `pix` has no type at all ("key, name, city, amount, description"): any value is accepted and stored, never
  // answered (QrCodeSchema has no `pix`)
  pix: z.unknown(),
  logo: nstr,
  // hex or CSS keyword; anything else is coerced to the default (spec), so any string is accepted here
  bgColor: str,
  fgColor: str,
  size: z.number(),
  // the spec says string; the docs list L|M|Q|H, and a QR code has no other error-correction level
  level: z.enum(QR_LEVELS),
  showLogo: bool,
  src: nstr,
  height: z.number(),
  width: z.number(),
  excavate: bool,
  pattern: str,
  shape: str,
  frame: str,
  frameColor: str,
  frameText: z.string().max(200),
  frameTextColor: nstr,
  // "every key is enum-gated: unknown keys or out-of-enum values are rejected" (spec)
  frameTextStyles: FrameTextStyles.nullish(),
  preRedirection: bool,
  pageId: nstr,
  pageUrl: nstr,
  isFormMandatory: bool,
});

const UTM = {
  utm_source: nstr,
  utm_medium: nstr,
  utm_campaign: nstr,
  utm_term: nstr,
  utm_content: nstr,
};

/** A URL code needs its destination (the docs: "url" is the one required field). */
const urlRequired = (body: { type?: string | null; url?: string | null }) =>
  (body.type ?? 'url') !== 'url' || Boolean(body.url);

/**
 * A Wi-Fi code needs its network name: "the API itself rejects when missing" (CodeQR's MCP server,
 * tests/tool-schemas.test.ts l.386-387). Other payload keys are not required upstream: a code with wrong keys saves.
 */
const ssidRequired = (body: { type?: string | null; wifi?: Record<string, string> | null }) =>
  body.type !== 'wifi' || Boolean(body.wifi?.ssid?.trim());

export const WireCreateBody = Fields.partial()
  .refine(urlRequired, { path: ['url'], message: 'is required when type is "url"' })
  .refine(ssidRequired, { path: ['wifi', 'ssid'], message: 'is required when type is "wifi"' });
export type WireCreateBody = z.output<typeof WireCreateBody>;

export const WireUpdateBody = Fields.extend(UTM).partial();
export type WireUpdateBody = z.output<typeof WireUpdateBody>;
