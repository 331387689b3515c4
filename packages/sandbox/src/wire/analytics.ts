import { z } from 'zod/v4';
import { booleanish, dateTime, str } from './values.ts';

/** The queries of `GET /analytics` and `GET /events`, with the spec's enums verbatim. */

/** spec: paths./analytics.get.parameters[event].schema.enum */
export const WIRE_ANALYTICS_EVENTS = ['clicks', 'leads', 'sales', 'scans', 'views', 'composite'] as const;
/** spec: paths./events.get.parameters[event].schema.enum */
export const WIRE_EVENTS_EVENTS = ['clicks', 'leads', 'sales', 'scans', 'views'] as const;
/** spec: paths./analytics.get.parameters[groupBy].schema.enum */
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
/** spec: paths./analytics.get.parameters[interval].schema.enum */
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
/** spec: paths./events.get.parameters[interval].schema.enum */
export const WIRE_EVENTS_INTERVALS = ['24h', '7d', '30d', '90d', 'ytd', '1y', 'all'] as const;

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
