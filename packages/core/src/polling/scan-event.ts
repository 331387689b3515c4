import * as z from 'zod/v4';
import { CodeQrError } from '../errors.ts';
import type { ScanEventRow } from '../schemas/events.ts';
import { shortLinkFor } from '../schemas/qr-code.ts';
import type { QrWebhookEvent } from '../schemas/webhooks.ts';
import { parseTime, toIsoTime } from './time.ts';

/**
 * One QR-code scan, the same shape whether it came from `GET /events?event=scans` (Business plan and up) or from a
 * `qrcode.scanned` webhook. `id` is the scan's unique id (`click.id` = `interaction.clickId`), so a workflow can
 * dedupe on it across both sources. `timestamp` is canonical ISO (`toISOString()`: UTC, milliseconds). Unknown
 * values are `null`; `domain`, `key` and `shortLink` are always set by the converters below (possibly `null`) but
 * optional in the schema so that hand-built events validate.
 */
export const ScanEvent = z.object({
  id: z.string().min(1),
  timestamp: z.string().refine((value) => !Number.isNaN(parseTime(value)), 'must be an ISO 8601 date-time'),
  qrCodeId: z.string().nullable(),
  domain: z.string().nullish(),
  key: z.string().nullish(),
  shortLink: z.string().nullish(),
  url: z.string().nullable(),
  country: z.string().nullable(),
  city: z.string().nullable(),
  continent: z.string().nullable(),
  device: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  referer: z.string().nullable(),
  ip: z.string().nullable(),
  source: z.enum(['events', 'webhook']),
});
export type ScanEvent = z.infer<typeof ScanEvent>;

/** The `qrcode.scanned` member of the webhook union. */
export type QrCodeScannedWebhook = Extract<QrWebhookEvent, { event: 'qrcode.scanned' }>;

const orNull = (value: string | null | undefined): string | null => value ?? null;
/** A link field of a row: `null` when absent or empty (a deleted QR code's rows keep `""` or `null` there). */
const textOrNull = (value: string | null | undefined): string | null => (value ? value : null);

function shortLinkOf(shortLink: string | null | undefined, domain: string | null, key: string | null): string | null {
  if (shortLink) return shortLink;
  return domain && key ? shortLinkFor(domain, key) : null;
}

/** A scan from one row of `GET /events?event=scans`. */
export function scanEventFromRow(row: ScanEventRow): ScanEvent {
  const qr = row.qrcode ?? null;
  const domain = textOrNull(qr?.domain || row.link?.domain);
  const key = textOrNull(qr?.key || row.link?.key);
  const click = row.click;
  return {
    id: click.id,
    timestamp: toIsoTime(row.timestamp, 'timestamp'),
    qrCodeId: qr?.id || null,
    domain,
    key,
    shortLink: shortLinkOf(qr?.shortLink, domain, key),
    url: orNull(click.url ?? qr?.url),
    country: orNull(click.country),
    city: orNull(click.city),
    continent: orNull(click.continent),
    device: orNull(click.device),
    browser: orNull(click.browser),
    os: orNull(click.os),
    referer: orNull(click.referer),
    ip: orNull(click.ip),
    source: 'events',
  };
}

/** A scan from a parsed `qrcode.scanned` webhook (see `parseWebhookEvent`). */
export function scanEventFromWebhook(evt: QrCodeScannedWebhook): ScanEvent {
  if (evt?.event !== 'qrcode.scanned') {
    throw new CodeQrError({
      code: 'validation_error',
      message: `Expected a qrcode.scanned webhook event, got ${JSON.stringify(evt?.event)}`,
      issues: [{ field: 'event', message: 'must be qrcode.scanned' }],
    });
  }
  const { interaction, qrcode } = evt.data;
  const domain = orNull(qrcode.domain);
  const key = orNull(qrcode.key);
  return {
    id: interaction.clickId,
    timestamp: toIsoTime(interaction.timestamp, 'data.interaction.timestamp'),
    qrCodeId: qrcode.id,
    domain,
    key,
    shortLink: shortLinkOf(qrcode.shortLink, domain, key),
    url: orNull(interaction.url ?? qrcode.url),
    country: orNull(interaction.country),
    city: orNull(interaction.city),
    continent: orNull(interaction.continent),
    device: orNull(interaction.device),
    browser: orNull(interaction.browser),
    os: orNull(interaction.os),
    referer: orNull(interaction.referer),
    ip: orNull(interaction.ip),
    source: 'webhook',
  };
}
