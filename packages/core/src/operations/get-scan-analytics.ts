import * as z from 'zod/v4';
import { keepMeta, withMeta } from '../fields/meta.ts';
import { type AnalyticsGroupBy, AnalyticsQuery, AnalyticsResponse } from '../schemas/analytics.ts';
import { defineOperation } from './define.ts';
import { scanWindowFields } from './scan-window.ts';

const F = AnalyticsQuery.shape;
const advanced = true;

const TIME_ZONE_MESSAGE = 'must be an IANA time zone name, e.g. Europe/Paris, America/New_York or UTC';

/** Whether `value` names an IANA time zone (`Europe/Paris`, `UTC`); an offset such as `+02:00` is not one. */
function isTimeZone(value: string): boolean {
  if (/^[+-]/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const analyticsInput = () =>
  AnalyticsQuery.pick({
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
    timezone: keepMeta(F.timezone, z.string().refine(isTimeZone, TIME_ZONE_MESSAGE).optional(), {
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
  answers: 'data',
  resource: 'analytics',
  verb: 'get',
  title: 'Get Scan Analytics',
  description: 'Scan totals, a time series, or a breakdown by country, device, browser or QR code.',
  get input() {
    return analyticsInput();
  },
  output: ScanAnalytics,
  sample: { scans: 1284, clicks: 1284, views: 0, leads: 0, sales: 0, saleAmount: 0 },
  run: (client, input) => client.analytics.retrieve<AnalyticsGroupBy>({ event: 'scans', ...input }),
});
