import { FrameTextStyles, QR_CODE_TYPES, QR_LEVELS, SmartRule } from '@codeqr-integrations/core/schemas';
import { z } from 'zod/v4';

/**
 * What the API accepts on the wire, written from the official spec (not from core's schemas: core checks input
 * more strictly on purpose, so a user hears about a wrong colour or a missing scheme before anything is sent, and the
 * sandbox must not inherit that). Where the spec allows a value, these schemas accept it; CodeQR's own coercions
 * (colours, URLs without a scheme) happen in the store, after validation. Only definitions that are the spec's own
 * enums and shapes, identical in core, are imported from core's schemas (the types, levels, smart rules, frame
 * text styles); should core ever tighten one of them, it gets its own lenient copy here again.
 */

const str = z.string();
const nstr = z.string().nullish();
const bool = z.boolean();
const record = z.record(z.string(), z.string()).nullish();
/** The spec lists `geo`'s keys (country codes, `additionalProperties: false`); any two capital letters stand in here. */
const geoRecord = z.record(z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code'), z.string()).nullish();
const stringOrList = z.union([z.string(), z.array(z.string())]);
const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time');

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

export const WireCreateBody = Fields.partial().refine(urlRequired, {
  path: ['url'],
  message: 'is required when type is "url"',
});
export type WireCreateBody = z.output<typeof WireCreateBody>;

export const WireUpdateBody = Fields.extend(UTM).partial();
export type WireUpdateBody = z.output<typeof WireUpdateBody>;

// ------------------------------------------------------------------ analytics and events (spec enums, verbatim)

export const WIRE_ANALYTICS_EVENTS = ['clicks', 'leads', 'sales', 'scans', 'views', 'composite'] as const;
export const WIRE_EVENTS_EVENTS = ['clicks', 'leads', 'sales', 'scans', 'views'] as const;
export const WIRE_GROUP_BYS = [
  'timeseries',
  'clicks',
  'count',
  'totals',
  'top_urls',
  'top_links',
  'top_qrcodes',
  'top_pages',
  'top_events',
  'scans',
  'views',
  'country',
  'city',
  'region',
  'devices',
  'browsers',
  'os',
  'referers',
  'referer_urls',
  'trend_live',
  'kpis',
  'analytics',
  'continents',
  'countries',
  'cities',
  'leads',
  'sales',
  'composite',
  'utm_sources',
  'utm_mediums',
  'utm_campaigns',
  'utm_contents',
  'utm_terms',
] as const;
export type WireGroupBy = (typeof WIRE_GROUP_BYS)[number];
export const WIRE_ANALYTICS_INTERVALS = [
  '1h',
  '24h',
  '7d',
  '30d',
  '90d',
  'ytd',
  '1y',
  'all',
  'all_unfiltered',
] as const;
export const WIRE_EVENTS_INTERVALS = ['24h', '7d', '30d', '90d', 'ytd', '1y', 'all'] as const;

const booleanish = z.enum(['true', 'false']).transform((v) => v === 'true');

const Scope = {
  domain: str.optional(),
  key: str.optional(),
  linkId: str.optional(),
  qrcodeId: str.optional(),
  pageId: str.optional(),
  externalId: str.optional(),
  start: dateTime.optional(),
  end: dateTime.optional(),
  timezone: str.optional(),
  continent: str.optional(),
  country: str.optional(),
  city: str.optional(),
  device: str.optional(),
  browser: str.optional(),
  os: str.optional(),
  referer: str.optional(),
  url: str.optional(),
  excludeRoot: booleanish.optional(),
  root: booleanish.optional(),
  tagId: str.optional(),
  utm_source: str.optional(),
  utm_medium: str.optional(),
  utm_campaign: str.optional(),
  utm_content: str.optional(),
  utm_term: str.optional(),
  type: str.optional(),
  types: str.optional(),
};

export const WireAnalyticsQuery = z.object({
  event: z.enum(WIRE_ANALYTICS_EVENTS).default('clicks'),
  groupBy: z.enum(WIRE_GROUP_BYS).default('count'),
  interval: z.enum(WIRE_ANALYTICS_INTERVALS).optional(),
  ...Scope,
});
export type WireAnalyticsQuery = z.output<typeof WireAnalyticsQuery>;

export const WireEventsQuery = z.object({
  event: z.enum(WIRE_EVENTS_EVENTS).default('clicks'),
  interval: z.enum(WIRE_EVENTS_INTERVALS).optional(),
  ...Scope,
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).default(100),
  order: z.enum(['asc', 'desc']).default('desc'),
  sortBy: z.literal('timestamp').default('timestamp'),
});
export type WireEventsQuery = z.output<typeof WireEventsQuery>;
