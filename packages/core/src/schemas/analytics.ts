import * as z from 'zod/v4';

const ANALYTICS_EVENTS = ['scans', 'clicks'] as const;
const ANALYTICS_GROUP_BYS = ['count', 'timeseries', 'countries', 'devices', 'browsers', 'top_qrcodes'] as const;
const ANALYTICS_INTERVALS = ['1h', '24h', '7d', '30d', '90d', 'ytd', '1y', 'all'] as const;
export const EVENTS_INTERVALS = ['24h', '7d', '30d', '90d', 'ytd', '1y', 'all'] as const;

export const AnalyticsGroupBy = z.enum(ANALYTICS_GROUP_BYS);
export type AnalyticsGroupBy = z.infer<typeof AnalyticsGroupBy>;
export const AnalyticsInterval = z.enum(ANALYTICS_INTERVALS);
export type AnalyticsInterval = z.infer<typeof AnalyticsInterval>;

/** A point in time the API accepts for `start`/`end`: an ISO 8601 date or date-time. */
export const DateParam = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  message: 'must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z',
});

/** Query of `GET /analytics` (the parts the integrations use). */
export const AnalyticsQuery = z.object({
  event: z.enum(ANALYTICS_EVENTS).default('scans'),
  groupBy: AnalyticsGroupBy.default('count'),
  qrcodeId: z.string().min(1).optional(),
  domain: z.string().optional(),
  key: z.string().optional(),
  externalId: z.string().optional(),
  interval: AnalyticsInterval.optional(),
  start: DateParam.optional(),
  end: DateParam.optional(),
  timezone: z.string().optional(),
  country: z.string().optional(),
  device: z.string().optional(),
  browser: z.string().optional(),
});
export type AnalyticsQuery = z.input<typeof AnalyticsQuery>;

const Metrics = {
  clicks: z.number(),
  leads: z.number(),
  sales: z.number(),
  saleAmount: z.number(),
};

const AnalyticsCount = z.looseObject({ ...Metrics, scans: z.number(), views: z.number() });
const AnalyticsTimeseriesRow = z.looseObject({
  start: z.string(),
  ...Metrics,
  scans: z.number(),
  views: z.number(),
});
const AnalyticsCountryRow = z.looseObject({ country: z.string(), city: z.string(), ...Metrics });
const AnalyticsDeviceRow = z.looseObject({ device: z.string(), ...Metrics });
const AnalyticsBrowserRow = z.looseObject({ browser: z.string(), ...Metrics });
const AnalyticsTopQrCodeRow = z.looseObject({
  link: z.string(),
  id: z.string(),
  domain: z.string(),
  key: z.string(),
  shortLink: z.string(),
  url: z.string(),
  createdAt: z.string(),
  clicks: z.number(),
  leads: z.number(),
});

/** The answer of `GET /analytics` for each `groupBy`. */
export const AnalyticsResponse = {
  count: AnalyticsCount,
  timeseries: z.array(AnalyticsTimeseriesRow),
  countries: z.array(AnalyticsCountryRow),
  devices: z.array(AnalyticsDeviceRow),
  browsers: z.array(AnalyticsBrowserRow),
  top_qrcodes: z.array(AnalyticsTopQrCodeRow),
} as const satisfies Record<AnalyticsGroupBy, z.ZodType>;
export type AnalyticsResult<G extends AnalyticsGroupBy> = z.output<(typeof AnalyticsResponse)[G]>;
