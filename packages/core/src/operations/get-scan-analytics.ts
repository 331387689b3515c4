import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { type AnalyticsGroupBy, AnalyticsQuery, AnalyticsResponse } from '../schemas/analytics.ts';
import { defineOperation } from './define.ts';
import { scanWindowFields } from './scan-window.ts';

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
  ...scanWindowFields(F),
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
