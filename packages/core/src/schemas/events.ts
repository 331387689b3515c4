import * as z from 'zod/v4';
import { DateParam, EVENTS_INTERVALS } from './analytics.ts';

/** Query of `GET /events` for scans. */
export const EventsQuery = z.object({
  event: z.enum(['scans', 'clicks']).default('scans'),
  qrcodeId: z.string().min(1).optional(),
  domain: z.string().optional(),
  key: z.string().optional(),
  externalId: z.string().optional(),
  interval: z.enum(EVENTS_INTERVALS).optional(),
  start: DateParam.optional(),
  end: DateParam.optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  order: z.enum(['asc', 'desc']).default('desc'),
  sortBy: z.literal('timestamp').default('timestamp'),
});
export type EventsQuery = z.input<typeof EventsQuery>;

/** Where and on what a scan happened: shared by `/events` rows (`click`) and webhooks (`interaction`). */
export const ScanContextFields = {
  url: z.string().nullish(),
  ip: z.string().nullish(),
  continent: z.string().nullish(),
  country: z.string().nullish(),
  city: z.string().nullish(),
  device: z.string().nullish(),
  browser: z.string().nullish(),
  os: z.string().nullish(),
  referer: z.string().nullish(),
};

/** The `click` part of an event row; for a scan, `id` is the scan's unique id. */
export const ClickInfo = z.looseObject({
  id: z.string().min(1),
  ...ScanContextFields,
  refererUrl: z.string().nullish(),
  type: z.string().nullish(),
});

/**
 * One row of `GET /events?event=scans`. The spec has no scan schema: scans come in the click-event shape, with the
 * short link behind the QR code in `link` and (per the brief) the QR code in `qrcode`.
 */
export const ScanEventRow = z.looseObject({
  event: z.string(),
  timestamp: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date-time'),
  click: ClickInfo,
  qrcode: z
    .looseObject({
      id: z.string(),
      domain: z.string().optional(),
      key: z.string().optional(),
      url: z.string().nullish(),
      shortLink: z.string().optional(),
    })
    .nullish(),
  link: z.looseObject({ id: z.string(), domain: z.string().optional(), key: z.string().optional() }).nullish(),
});
export type ScanEventRow = z.infer<typeof ScanEventRow>;
