import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { type AnalyticsGroupBy, AnalyticsQuery, AnalyticsResponse } from '../schemas/analytics.ts';
import { defineOperation } from './define.ts';

const F = AnalyticsQuery.shape;
const advanced = true;

const GetScanAnalyticsInput = AnalyticsQuery.pick({
  groupBy: true,
  qrcodeId: true,
  interval: true,
  start: true,
  end: true,
  timezone: true,
}).extend({
  groupBy: withMeta(F.groupBy, {
    label: 'Group By',
    description: 'A total, a time series, or a breakdown.',
    optionLabels: {
      count: 'Total',
      timeseries: 'Time Series',
      countries: 'Countries',
      devices: 'Devices',
      browsers: 'Browsers',
      top_qrcodes: 'Top QR Codes',
    },
  }),
  qrcodeId: withMeta(F.qrcodeId, {
    label: 'QR Code',
    description: 'Only scans of this QR code (default: all).',
    options: 'qrCodes',
  }),
  interval: withMeta(F.interval, {
    label: 'Interval',
    description: 'A preset window ending now; or set Start and End instead.',
    optionLabels: {
      '1h': 'Last Hour',
      '24h': 'Last 24 Hours',
      '7d': 'Last 7 Days',
      '30d': 'Last 30 Days',
      '90d': 'Last 90 Days',
      ytd: 'Year to Date',
      '1y': 'Last Year',
      all: 'All Time',
    },
  }),
  start: withMeta(F.start, { label: 'Start', format: 'date-time', placeholder: '2026-03-01T00:00:00Z' }),
  end: withMeta(F.end, { label: 'End', format: 'date-time', placeholder: '2026-03-31T23:59:59Z' }),
  timezone: withMeta(F.timezone, {
    label: 'Time Zone',
    description: 'IANA time zone of the time series buckets.',
    placeholder: 'Europe/Paris',
    advanced,
  }),
});

/** The API's answer for whichever `groupBy` was asked: a totals object, or rows. */
const ScanAnalytics = z.union([
  AnalyticsResponse.count,
  AnalyticsResponse.timeseries,
  AnalyticsResponse.countries,
  AnalyticsResponse.devices,
  AnalyticsResponse.browsers,
  AnalyticsResponse.top_qrcodes,
]);

export const getScanAnalytics = defineOperation({
  key: 'getScanAnalytics',
  resource: 'analytics',
  verb: 'get',
  title: 'Get Scan Analytics',
  description: 'Scan totals, a time series, or a breakdown by country, device, browser or QR code.',
  input: GetScanAnalyticsInput,
  output: ScanAnalytics,
  sample: { scans: 1284, clicks: 1284, views: 0, leads: 0, sales: 0, saleAmount: 0 },
  run: (client, input) => client.analytics.retrieve<AnalyticsGroupBy>({ event: 'scans', ...input }),
});
