import { Hono } from 'hono';
import { z } from 'zod/v4';
import { ApiError, unprocessable } from '../api-error.ts';
import { type FaultInjector, FaultRule } from '../faults.ts';
import { type Env, readJson } from '../http.ts';
import { ids, type Random } from '../random.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { recordScan } from '../scans.ts';
import type { QrRecord, Store } from '../store/index.ts';
import type { WebhookDispatcher } from '../webhooks.ts';
import { QR_WEBHOOK_EVENTS } from '../wire/enums.ts';
import { DateParam } from '../wire/values.ts';

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw unprocessable(parsed.error);
  return parsed.data;
}

const SimulateScans = z
  .object({
    shortLink: z.string().optional(),
    qrCodeId: z.string().optional(),
    externalId: z.string().optional(),
    domain: z.string().optional(),
    key: z.string().optional(),
    count: z.number().int().min(1).max(10_000).default(1),
    /** When the scans happened: an ISO date-time or epoch milliseconds; with `intervalMs: 0` (default) all `count`
     * scans share this one millisecond (burst tests). */
    timestamp: z.union([DateParam, z.number().int().min(0)]).optional(),
    timestamps: z
      .array(z.union([DateParam, z.number().int().min(0)]))
      .min(1)
      .max(10_000)
      .optional(),
    intervalMs: z.number().int().min(0).max(86_400_000).default(0),
    country: z.string().length(2).optional(),
    city: z.string().optional(),
    device: z.string().optional(),
    browser: z.string().optional(),
    os: z.string().optional(),
    referer: z.string().optional(),
  })
  .refine((b) => b.shortLink || b.qrCodeId || b.externalId || (b.domain && b.key), {
    message: 'pass the QR code as shortLink, qrCodeId, externalId, or domain and key',
    path: ['qrCodeId'],
  });

const WebhookBody = z.object({
  url: z.url({ protocol: /^https?$/ }),
  events: z
    .array(z.enum(QR_WEBHOOK_EVENTS))
    .min(1)
    .default([...QR_WEBHOOK_EVENTS]),
  secret: z.string().min(8, 'must be at least 8 characters'),
});

/** The sandbox-only control API under `/__sandbox` (authenticated with a project's key, never rate-limited). */
export function controlRoutes(deps: {
  store: Store;
  webhooks: WebhookDispatcher;
  faults: FaultInjector;
  limiter: RateLimiter;
  random: Random;
}) {
  const { store, webhooks, faults, limiter, random } = deps;
  const app = new Hono<Env>();

  app.post('/scans', async (c) => {
    const project = c.get('project');
    const body = parse(SimulateScans, await readJson(c));
    let qr: QrRecord | undefined;
    if (body.shortLink) {
      let parsed: URL;
      try {
        parsed = new URL(body.shortLink);
      } catch {
        throw new ApiError('unprocessable_entity', 'shortLink: must be a URL such as https://codeqr.link/abc1234');
      }
      qr = store.byShortLink.get(`${parsed.host}/${decodeURIComponent(parsed.pathname.slice(1))}`)?.qr;
    } else if (body.qrCodeId) qr = project.qrById.get(body.qrCodeId);
    else if (body.externalId) qr = project.qrByExternalId.get(body.externalId.replace(/^ext_/, ''));
    else qr = store.byShortLink.get(`${body.domain}/${body.key}`)?.qr;
    if (!qr)
      throw new ApiError('not_found', 'QR code not found; check the shortLink, qrCodeId, externalId or domain/key.');
    const owner = store.byShortLink.get(`${qr.domain}/${qr.key}`)!.project;
    const ms = (t: string | number) => (typeof t === 'number' ? t : Date.parse(t));
    const base = body.timestamp !== undefined ? ms(body.timestamp) : store.now();
    const times = body.timestamps?.map(ms) ?? Array.from({ length: body.count }, (_, i) => base + i * body.intervalMs);
    const scans = times.map((timestamp) => recordScan(store, webhooks, owner, qr, { ...body, timestamp }));
    return c.json({
      qrCodeId: qr.id,
      scans: qr.scans,
      recorded: scans.map((s) => ({ id: s.id, timestamp: new Date(s.timestamp).toISOString() })),
    });
  });

  app.get('/webhooks', (c) => c.json(c.get('project').data.webhooks.map(({ secret: _secret, ...rest }) => rest)));
  app.post('/webhooks', async (c) => {
    const body = parse(WebhookBody, await readJson(c));
    const webhook = {
      id: ids.webhook(random),
      url: body.url,
      events: body.events,
      secret: body.secret,
      createdAt: store.isoNow(),
      consecutiveFailures: 0,
      disabled: false,
    };
    c.get('project').data.webhooks.push(webhook);
    store.changed();
    const { secret: _secret, ...visible } = webhook;
    return c.json(visible, 201);
  });
  app.delete('/webhooks/:id', (c) => {
    const list = c.get('project').data.webhooks;
    const index = list.findIndex((w) => w.id === c.req.param('id'));
    if (index < 0) throw new ApiError('not_found', `Webhook "${c.req.param('id')}" not found.`);
    list.splice(index, 1);
    store.changed();
    return c.json({ id: c.req.param('id') });
  });
  app.get('/webhooks/deliveries', (c) => {
    const mine = new Set(c.get('project').data.webhooks.map((w) => w.id));
    return c.json(webhooks.deliveries.filter((d) => mine.has(d.webhookId)));
  });

  app.get('/faults', (c) => c.json(faults.list()));
  app.post('/faults', async (c) => {
    const { matcher: _matcher, ...fault } = faults.add(parse(FaultRule, await readJson(c)), ids.fault(random));
    return c.json(fault, 201);
  });
  app.delete('/faults', (c) => {
    faults.clear();
    return c.json({ cleared: true });
  });

  app.post('/reset', (c) => {
    const project = c.get('project');
    for (const qr of [...project.data.qrCodes]) store.remove(project, qr);
    project.data.tags.length = 0;
    project.data.folders.length = 0;
    project.data.scans.length = 0;
    project.scansByQr.clear();
    project.data.webhooks.length = 0;
    limiter.reset();
    faults.clear();
    store.changed();
    return c.json({ reset: true });
  });

  return app;
}
