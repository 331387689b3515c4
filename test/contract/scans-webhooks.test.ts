import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Call, type ContractSandbox, startContractSandbox } from './harness.ts';

// Scans (short-link host and POST /__sandbox/scans) and webhooks (brief, "Webhooks": envelope {id: evt_…, event,
// createdAt, data}; CodeQR-Signature = hex HMAC-SHA256 of the raw body; retries until 2xx with the same event id).

const KEY = 'k_business';
const SECRET = 'whsec_contract_test_secret';
let ctx: ContractSandbox;
let api: Call;

beforeAll(async () => {
  ctx = await startContractSandbox({
    keys: [{ key: KEY, plan: 'business' }],
    windowMs: 60_000,
    webhookRetryDelaysMs: [30, 60],
  });
  api = ctx.call(KEY);
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const createQr = async (body: Record<string, unknown>) => {
  const res = await api('POST', '/qrcodes', { body: { type: 'url', ...body } });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: string; key: string; url: string; shortLink: string };
};

interface EventRow {
  event: string;
  timestamp: string;
  click: { id: string; country: string; device: string; browser: string };
  qrcode: { id: string };
}

describe('scans through the short-link host', () => {
  it('GET <shortLink> redirects to the destination and records a scan everywhere', async () => {
    const qr = await createQr({ url: 'https://example.com/landing?x=1' });
    expect(qr.shortLink.startsWith(ctx.sb.linkUrl)).toBe(true);
    const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605 Mobile/15E148 Safari/604.1';
    const scan = async () => {
      const res = await fetch(qr.shortLink, {
        redirect: 'manual',
        headers: { 'user-agent': ua, 'x-sandbox-country': 'FR' },
      });
      await res.arrayBuffer();
      return res;
    };
    const first = await scan();
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('https://example.com/landing?x=1');
    const startedAt = Date.now();
    expect((await scan()).status).toBe(302);

    const info = await api('GET', `/qrcodes/info?qrCodeId=${qr.id}`, { skip: ['request'] }); // brief: info by id
    expect(info.body.scans).toBe(2);
    expect(Math.abs(Date.parse(info.body.lastClicked) - startedAt)).toBeLessThan(5_000);

    const count = await api('GET', `/analytics?event=scans&groupBy=count&qrcodeId=${qr.id}`);
    expect(count.body).toMatchObject({ scans: 2, clicks: 2 });

    const events = await api('GET', `/events?event=scans&qrcodeId=${qr.id}`);
    expect(events.status).toBe(200);
    const rows = events.body as EventRow[];
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.click.id)).toEqual([expect.any(String), expect.any(String)]);
    expect(rows[0]!.click.id).not.toBe(rows[1]!.click.id);
    expect(rows[0]).toMatchObject({
      event: 'click',
      qrcode: { id: qr.id },
      click: { country: 'FR', device: 'Mobile', browser: 'Safari' },
    });

    const lastClicked = await api('GET', '/qrcodes?sort=lastClicked&pageSize=1');
    expect(lastClicked.body[0].id).toBe(qr.id);
  });

  it('an unknown short link answers 404 and records nothing', async () => {
    const res = await fetch(`${ctx.sb.linkUrl}/no-such-key`, { redirect: 'manual' });
    await res.arrayBuffer();
    expect(res.status).toBe(404);
  });
});

describe('scans through POST /__sandbox/scans with explicit timestamps', () => {
  const base = Date.now() - 6 * 3_600_000;
  const times = [base + 3_600_000, base, base + 4 * 3_600_000, base + 2 * 3_600_000].map((t) =>
    new Date(t).toISOString(),
  );
  let qrId: string;

  beforeAll(async () => {
    qrId = (await createQr({ url: 'https://example.com/timed' })).id;
    const res = await ctx.control(KEY, 'POST', '/scans', { qrCodeId: qrId, timestamps: times, country: 'BR' });
    expect(res.status).toBe(200);
    expect(res.body.scans).toBe(4);
    expect(res.body.recorded.map((r: { timestamp: string }) => r.timestamp)).toEqual(times);
  });

  const eventsPage = async (query: string) => {
    const res = await api('GET', `/events?event=scans&qrcodeId=${qrId}&${query}`);
    expect(res.status).toBe(200);
    return (res.body as EventRow[]).map((r) => r.timestamp);
  };

  it('orders events desc by default and asc on request', async () => {
    const sorted = [...times].sort();
    expect(await eventsPage('interval=24h')).toEqual([...sorted].reverse());
    expect(await eventsPage('interval=24h&order=desc')).toEqual([...sorted].reverse());
    expect(await eventsPage('interval=24h&order=asc')).toEqual(sorted);
  });

  it('pages with page and limit', async () => {
    const desc = [...times].sort().reverse();
    expect(await eventsPage('limit=3&page=1')).toEqual(desc.slice(0, 3));
    expect(await eventsPage('limit=3&page=2')).toEqual(desc.slice(3));
    expect(await eventsPage('limit=2&page=2&order=asc')).toEqual([...times].sort().slice(2, 4));
    expect(await eventsPage('limit=2&page=3')).toEqual([]);
  });

  it('updates scans and lastClicked to the latest timestamp; analytics and scan ids agree', async () => {
    const info = await api('GET', `/qrcodes/info?qrCodeId=${qrId}`, { skip: ['request'] });
    expect(info.body.scans).toBe(4);
    expect(info.body.lastClicked).toBe([...times].sort().at(-1));
    const countries = await api('GET', `/analytics?event=scans&groupBy=countries&qrcodeId=${qrId}`);
    expect(countries.body).toEqual([expect.objectContaining({ country: 'BR', clicks: 4 })]);
    const ids = (await api('GET', `/events?event=scans&qrcodeId=${qrId}`)).body.map((r: EventRow) => r.click.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('scans can be addressed by shortLink, externalId and domain+key too', async () => {
    const qr = await createQr({ url: 'https://example.com/addr', externalId: 'addr-1', key: 'addr-key' });
    const domain = ctx.sb.linkDomain;
    for (const target of [{ shortLink: qr.shortLink }, { externalId: 'ext_addr-1' }, { domain, key: 'addr-key' }]) {
      const res = await ctx.control(KEY, 'POST', '/scans', { ...target, count: 2 });
      expect(res.status, res.text).toBe(200);
      expect(res.body.qrCodeId).toBe(qr.id);
    }
    expect((await api('GET', `/qrcodes/info?qrCodeId=${qr.id}`, { skip: ['request'] })).body.scans).toBe(6);
    const missing = await ctx.control(KEY, 'POST', '/scans', { qrCodeId: 'cm_missing' });
    expect(missing.status).toBe(404);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: { id: string; event: string; createdAt: string; data: Record<string, unknown> };
}

/** A local webhook receiver; `respond` picks the status of each delivery (by arrival index). */
async function receiver(respond: (index: number) => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const index = received.length;
      received.push({ headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) });
      res.writeHead(respond(index), { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The test's own check of CodeQR-Signature: an independent HMAC-SHA256 of the raw bytes, compared in constant time. */
function signatureValid(raw: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/.test(header)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(header, 'hex'));
}

describe('webhooks', () => {
  const receivers: Array<{ close(): Promise<void> }> = [];

  afterEach(async () => {
    const hooks = await ctx.control(KEY, 'GET', '/webhooks');
    for (const hook of hooks.body as Array<{ id: string }>) await ctx.control(KEY, 'DELETE', `/webhooks/${hook.id}`);
    await ctx.sb.webhooks.idle();
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  const register = async (url: string, events?: string[], secret = SECRET) => {
    const res = await ctx.control(KEY, 'POST', '/webhooks', { url, secret, ...(events ? { events } : {}) });
    expect(res.status, res.text).toBe(201);
    expect(res.body.secret).toBeUndefined();
    return res.body as { id: string; events: string[] };
  };

  it('delivers signed qrcode.created/updated/scanned/deleted envelopes', async () => {
    const hook = await receiver();
    receivers.push(hook);
    const registered = await register(hook.url);
    expect(registered.events).toEqual(
      expect.arrayContaining(['qrcode.created', 'qrcode.updated', 'qrcode.deleted', 'qrcode.scanned']),
    );
    const listed = await ctx.control(KEY, 'GET', '/webhooks');
    expect(listed.body).toEqual([expect.objectContaining({ id: registered.id, url: hook.url })]);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);

    const qr = await createQr({ url: 'https://example.com/hooked', externalId: 'hooked-1' });
    await ctx.sb.webhooks.idle();
    const updated = await api('PUT', `/qrcodes/${qr.id}`, { body: { title: 'Hooked' } });
    expect(updated.status).toBe(200);
    await ctx.sb.webhooks.idle();
    const scan = await fetch(qr.shortLink, { redirect: 'manual' });
    await scan.arrayBuffer();
    await ctx.sb.webhooks.idle();
    const deleted = await api('DELETE', `/qrcodes/${qr.id}`);
    expect(deleted.status).toBe(200);
    await ctx.sb.webhooks.idle();

    expect(hook.received.map((r) => r.json.event)).toEqual([
      'qrcode.created',
      'qrcode.updated',
      'qrcode.scanned',
      'qrcode.deleted',
    ]);
    for (const { headers, raw, json } of hook.received) {
      expect(json).toEqual({
        id: expect.stringMatching(/^evt_/),
        event: expect.any(String),
        createdAt: expect.any(String),
        data: expect.any(Object),
      });
      expect(Number.isNaN(Date.parse(json.createdAt))).toBe(false);
      expect(headers['content-type']).toMatch(/application\/json/);
      expect(signatureValid(raw, headers['codeqr-signature'], SECRET)).toBe(true);
      expect(signatureValid(raw, headers['codeqr-signature'], 'some-other-secret')).toBe(false);
      expect(json.data.qrcode).toMatchObject({ id: qr.id, shortLink: qr.shortLink });
    }
    expect(new Set(hook.received.map((r) => r.json.id)).size).toBe(4);
    // qrcode.created/updated/deleted carry the full QR code: the same shape as the spec's QrCodeSchema answers
    for (const { json } of hook.received.filter((r) => r.json.event !== 'qrcode.scanned')) {
      ctx.spec.validateResponse('POST', '/qrcodes', 200, json.data.qrcode);
    }
    const [created, update, scanned] = hook.received.map((r) => r.json);
    expect(created!.data.qrcode).toMatchObject({ externalId: 'hooked-1', url: 'https://example.com/hooked' });
    expect(update!.data.qrcode).toMatchObject({ title: 'Hooked' });

    // the scan's interaction.clickId is the same id as click.id of the event row
    const interaction = scanned!.data.interaction as { clickId: string; qr: boolean; timestamp: string };
    expect(interaction).toMatchObject({ clickId: expect.any(String), qr: true });
    expect(scanned!.data.qrcode).toMatchObject({ scans: 1 });
    const events = await api('GET', '/events?event=scans&interval=24h&limit=1000');
    const row = (events.body as EventRow[]).find((r) => r.click.id === interaction.clickId);
    expect(row).toBeDefined();
    expect(row!.qrcode.id).toBe(qr.id);
    expect(row!.timestamp).toBe(interaction.timestamp);

    // a tampered body fails the independent check
    const tampered = Buffer.from(hook.received[0]!.raw.toString('utf8').replace('hooked', 'h00ked'));
    expect(signatureValid(tampered, hook.received[0]!.headers['codeqr-signature'], SECRET)).toBe(false);
  });

  it('delivers only subscribed events and none for an unchanged PUT', async () => {
    const hook = await receiver();
    receivers.push(hook);
    await register(hook.url, ['qrcode.updated']);
    const qr = await createQr({ url: 'https://example.com/only-updates', title: 'Same' });
    await api('PUT', `/qrcodes/${qr.id}`, { body: { title: 'Same' } });
    await ctx.sb.webhooks.idle();
    expect(hook.received).toHaveLength(0);
    await api('PUT', `/qrcodes/${qr.id}`, { body: { title: 'Changed' } });
    await api('DELETE', `/qrcodes/${qr.id}`);
    await ctx.sb.webhooks.idle();
    expect(hook.received.map((r) => r.json.event)).toEqual(['qrcode.updated']);
  });

  it('bulk operations fire no webhooks', async () => {
    const hook = await receiver();
    receivers.push(hook);
    await register(hook.url);
    const bulk = await api('POST', '/qrcodes/bulk', {
      body: [
        { type: 'url', url: 'https://example.com/bulk-hook-1' },
        { type: 'url', url: 'https://example.com/bulk-hook-2' },
      ],
    });
    expect(bulk.status).toBe(200);
    const ids = bulk.body.map((q: { id: string }) => q.id).join(',');
    const del = await api('DELETE', `/qrcodes/bulk?qrcodeIds=${ids}`);
    expect(del.body).toEqual({ deletedCount: 2 });
    await ctx.sb.webhooks.idle();
    await sleep(50);
    expect(hook.received).toHaveLength(0);
  });

  it('retries a failing receiver with the same event id until it answers 2xx', async () => {
    const hook = await receiver((i) => (i < 2 ? 500 : 200));
    receivers.push(hook);
    const registered = await register(hook.url, ['qrcode.created']);
    await createQr({ url: 'https://example.com/retry' });
    await ctx.sb.webhooks.idle();
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => r.json.id)).size).toBe(1);
    expect(new Set(hook.received.map((r) => r.raw.toString('utf8'))).size).toBe(1);
    for (const r of hook.received) expect(signatureValid(r.raw, r.headers['codeqr-signature'], SECRET)).toBe(true);
    const deliveries = (await ctx.control(KEY, 'GET', '/webhooks/deliveries')).body.filter(
      (d: { webhookId: string }) => d.webhookId === registered.id,
    );
    expect(
      deliveries.map((d: { attempt: number; status: number; ok: boolean }) => [d.attempt, d.status, d.ok]),
    ).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(new Set(deliveries.map((d: { eventId: string }) => d.eventId))).toEqual(
      new Set([hook.received[0]!.json.id]),
    );
  });

  it('gives up after the configured retries when the receiver always fails', async () => {
    const hook = await receiver(() => 500);
    receivers.push(hook);
    const registered = await register(hook.url, ['qrcode.created']);
    await createQr({ url: 'https://example.com/always-500' });
    await ctx.sb.webhooks.idle();
    // webhookRetryDelaysMs [30, 60]: the first attempt plus two retries
    expect(hook.received).toHaveLength(3);
    await sleep(150);
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => r.json.id)).size).toBe(1);
    const deliveries = (await ctx.control(KEY, 'GET', '/webhooks/deliveries')).body.filter(
      (d: { webhookId: string }) => d.webhookId === registered.id,
    );
    expect(deliveries.map((d: { attempt: number; ok: boolean }) => [d.attempt, d.ok])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
  });

  it('rejects an invalid registration with 422', async () => {
    const res = await ctx.control(KEY, 'POST', '/webhooks', { url: 'not-a-url', secret: 'short' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable_entity');
  });
});
