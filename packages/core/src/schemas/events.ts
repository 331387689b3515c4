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
const ClickInfo = z.looseObject({
  id: z.string().min(1),
  ...ScanContextFields,
  refererUrl: z.string().nullish(),
  type: z.string().nullish(),
});

/**
 * One row of `GET /events?event=scans`. The spec has no scan schema: scans come in the click-event shape, with the
 * short link behind the QR code in `link` and (per the brief) the QR code in `qrcode`.
 *
 * Only `click.id` (the scan's id) and `timestamp` are required: the rest of a row describes the QR code, which may be
 * gone. A deleted code's scans stay in `/events` with its link fields `null`, empty or missing (`qrcode.shortLink:
 * null`, `domain: ""` in the sandbox; Dub's rows of deleted links lose `link`), and such a row is still a scan.
 */
export const ScanEventRow = z.looseObject({
  event: z.string().nullish(),
  timestamp: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO date-time'),
  click: ClickInfo,
  qrcode: z
    .looseObject({
      id: z.string().nullish(),
      domain: z.string().nullish(),
      key: z.string().nullish(),
      url: z.string().nullish(),
      shortLink: z.string().nullish(),
    })
    .nullish(),
  link: z.looseObject({ id: z.string().nullish(), domain: z.string().nullish(), key: z.string().nullish() }).nullish(),
});
export type ScanEventRow = z.infer<typeof ScanEventRow>;

/**
 * The rows of one `GET /events` answer that can be read as scans. A row without a scan id or a timestamp cannot be
 * deduplicated or placed in time, so it is left out instead of failing the whole answer (one odd row must never stall
 * a trigger or a listing); the answer must still be an array. The polling triggers read pages by position and treat a
 * page with fewer rows than asked as possibly thinned (as Dub's `/events` thins pages of deleted links after paging),
 * so a left-out row never moves a cursor past a readable one.
 */
export const ScanEventRows = z.array(z.unknown()).transform((rows): ScanEventRow[] =>
  rows.flatMap((row) => {
    const parsed = ScanEventRow.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  }),
);
