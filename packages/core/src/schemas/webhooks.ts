import * as z from 'zod/v4';
import { ScanContextFields } from './events.ts';

export const QR_WEBHOOK_EVENTS = ['qrcode.created', 'qrcode.updated', 'qrcode.deleted', 'qrcode.scanned'] as const;
export type QrWebhookEventName = (typeof QR_WEBHOOK_EVENTS)[number];

/** `data.interaction` of a `qrcode.scanned` webhook. `clickId` is the same id as `click.id` in `/events`. */
const WebhookInteraction = z.looseObject({
  timestamp: z.string(),
  clickId: z.string().min(1),
  ...ScanContextFields,
  ua: z.string().nullish(),
  bot: z.boolean().nullish(),
  qr: z.boolean().nullish(),
});

const WebhookQrCode = z.looseObject({
  id: z.string(),
  domain: z.string(),
  key: z.string(),
  url: z.string().nullish(),
  shortLink: z.string().optional(),
  scans: z.number().optional(),
});

const envelope = <E extends string, D extends z.ZodType>(event: E, data: D) =>
  z.looseObject({ id: z.string().min(1), event: z.literal(event), createdAt: z.string(), data });

/** The webhook events a QR-code integration reacts to, as one discriminated union on `event`. */
export const QrWebhookEvent = z.discriminatedUnion('event', [
  envelope('qrcode.created', z.looseObject({ qrcode: WebhookQrCode })),
  envelope('qrcode.updated', z.looseObject({ qrcode: WebhookQrCode })),
  envelope('qrcode.deleted', z.looseObject({ qrcode: WebhookQrCode })),
  envelope(
    'qrcode.scanned',
    z.looseObject({ eventName: z.string().optional(), interaction: WebhookInteraction, qrcode: WebhookQrCode }),
  ),
]);
export type QrWebhookEvent = z.infer<typeof QrWebhookEvent>;

/** The header CodeQR signs webhook deliveries with: lowercase hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'CodeQR-Signature';
