import { createHmac } from 'node:crypto';
import { getTrigger } from '@codeqr-integrations/core/base';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import type { IDataObject, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeQrTrigger } from '../nodes/CodeQrTrigger/CodeQrTrigger.node.ts';
import { CodeQrWebhookTrigger } from '../nodes/CodeQrWebhookTrigger/CodeQrWebhookTrigger.node.ts';
import { fakeContext } from './fake-n8n.ts';

const KEY = 'codeqr_n8n_trigger';
const FREE_KEY = 'codeqr_n8n_trigger_free';
let sb: Sandbox;
let credentials: Record<string, unknown>;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({
    keys: [
      { key: KEY, plan: 'business' },
      { key: FREE_KEY, plan: 'free' },
    ],
    seed: 9,
  });
  credentials = { apiKey: KEY, baseUrl: sb.url };
});
afterAll(async () => {
  await sb?.close();
}, 30_000);
beforeEach(async () => {
  await api('POST', '/__sandbox/reset');
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.ok, await res.clone().text()).toBe(true);
  return res.json() as Promise<Record<string, unknown>>;
}

const trigger = new CodeQrTrigger();
/** Core reads up to a couple of seconds before now (items stamped mid-poll come with the next poll). */
const settle = () => new Promise((r) => setTimeout(r, 2500));

function poller(params: Record<string, unknown>, staticData: IDataObject, mode: 'manual' | 'trigger' = 'trigger') {
  const fake = fakeContext({ params: [params], credentials, staticData, mode });
  return {
    poll: () => trigger.poll.call(fake.nodeCtx as unknown as IPollFunctions),
    calls: fake.calls,
  };
}

describe('CodeQR Trigger (polling)', () => {
  it('primes on the first poll, then emits each new scan exactly once, oldest first', async () => {
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/t' });
    await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 2 });
    const staticData: IDataObject = {};
    const p = poller({ event: 'newScan' }, staticData);
    expect(await p.poll()).toBeNull(); // first activation: nothing, only the cursor
    expect(staticData.codeqr).toMatchObject({ event: 'newScan' });
    const recorded = (await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 3, intervalMs: 10 }))
      .recorded as { id: string }[];
    await settle();
    const second = await p.poll();
    expect(second?.[0]?.map((item) => item.json.id)).toEqual(recorded.map((scan) => scan.id));
    expect(second?.[0]?.[0]?.json).toMatchObject({ qrCodeId: qr.id, source: 'events' });
    expect(await p.poll()).toBeNull();

    // a restart: a new context over the same stored static data
    await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 1 });
    await settle();
    const again = await poller({ event: 'newScan' }, JSON.parse(JSON.stringify(staticData))).poll();
    expect(again?.[0]).toHaveLength(1);
  });

  it('shows the newest item for "Fetch Test Event" without moving the cursor', async () => {
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/m' });
    const staticData: IDataObject = {};
    await poller({ event: 'newScan' }, staticData).poll();
    const before = JSON.stringify(staticData);
    const scans = (await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 2, intervalMs: 5 })).recorded as {
      id: string;
    }[];
    await settle();
    const manual = await poller({ event: 'newScan' }, staticData, 'manual').poll();
    expect(manual?.[0]?.map((item) => item.json.id)).toEqual([scans[1]?.id]);
    expect(JSON.stringify(staticData)).toBe(before);
    const next = await poller({ event: 'newScan' }, staticData).poll();
    expect(next?.[0]).toHaveLength(2);
  });

  it('New QR Code and Scan Count Changed; a changed event starts over', async () => {
    const staticData: IDataObject = {};
    expect(await poller({ event: 'newQrCode' }, staticData).poll()).toBeNull();
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/n' });
    await settle();
    const created = await poller({ event: 'newQrCode' }, staticData).poll();
    expect(created?.[0]?.map((item) => item.json.id)).toEqual([qr.id]);

    expect(await poller({ event: 'scanCountChanged' }, staticData).poll()).toBeNull(); // primes again
    await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 4 });
    await settle();
    const counts = await poller({ event: 'scanCountChanged' }, staticData).poll();
    expect(counts?.[0]?.[0]?.json).toMatchObject({ qrCodeId: qr.id, newScans: 4, scans: 4 });
  });

  it('New Scan on a Free key says which plan it needs (a read: never "a key with write access")', async () => {
    const fake = fakeContext({ params: [{ event: 'newScan' }], credentials: { apiKey: FREE_KEY, baseUrl: sb.url } });
    const error = await trigger.poll.call(fake.nodeCtx as unknown as IPollFunctions).then(
      () => undefined,
      (caught: unknown) => caught as { message: string; description?: string; httpCode?: string },
    );
    expect(error?.httpCode).toBe('403');
    expect(error?.description).toBe(
      "New Scan needs CodeQR's Business plan or higher (it only reads, so the key's write access does not matter). " +
        `Upgrade the plan in CodeQR's billing settings, or use the ${getTrigger('scanCountChanged')?.title} event, ` +
        'which works on every plan.',
    );
    expect(`${error?.message} ${error?.description}`).not.toMatch(/write access\b(?! does not matter)/);
    // the scan-count strategy works on every plan: the same key primes Scan Count Changed
    const counts = fakeContext({
      params: [{ event: 'scanCountChanged' }],
      credentials: { apiKey: FREE_KEY, baseUrl: sb.url },
    });
    expect(await trigger.poll.call(counts.nodeCtx as unknown as IPollFunctions)).toBeNull();
  });

  it('filters by QR code through its resource locator', async () => {
    const a = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/a' });
    const b = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/b' });
    const staticData: IDataObject = {};
    const params = { event: 'newScan', qrCodeId: { __rl: true, mode: 'list', value: a.id } };
    await poller(params, staticData).poll();
    await api('POST', '/__sandbox/scans', { qrCodeId: b.id, count: 2 });
    await api('POST', '/__sandbox/scans', { qrCodeId: a.id, count: 1 });
    await settle();
    const out = await poller(params, staticData).poll();
    expect(out?.[0]?.map((item) => item.json.qrCodeId)).toEqual([a.id]);
  });
});

const SECRET = 'whsec_n8n_unit_secret';
const webhook = new CodeQrWebhookTrigger();
const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

function delivery(event: string, id: string) {
  const qrcode = { id: 'cm_qr_1', domain: 'cqr.link', key: 'menu', url: 'https://example.com/menu' };
  const data =
    event === 'qrcode.scanned'
      ? {
          qrcode,
          interaction: { timestamp: '2026-12-01T10:00:00.000Z', clickId: `click_${id}`, country: 'FR' },
        }
      : { qrcode };
  return JSON.stringify({ id, event, createdAt: '2026-12-01T10:00:00.000Z', data });
}

async function receive(
  body: string,
  signature: string | undefined,
  staticData: IDataObject,
  events = ['qrcode.scanned'],
) {
  const fake = fakeContext({
    params: [{ events }],
    credentials: { secret: SECRET },
    staticData,
    request: { rawBody: Buffer.from(body), headers: signature === undefined ? {} : { 'codeqr-signature': signature } },
  });
  const result = await webhook.webhook.call(fake.executeCtx as unknown as IWebhookFunctions);
  return { result, response: fake.response };
}

describe('CodeQR Webhook Trigger', () => {
  it('emits a signed scan in the polling trigger shape', async () => {
    const body = delivery('qrcode.scanned', 'evt_1');
    const { result } = await receive(body, sign(body), {});
    expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({
      id: 'click_evt_1',
      qrCodeId: 'cm_qr_1',
      shortLink: 'https://cqr.link/menu',
      country: 'FR',
      source: 'webhook',
    });
  });

  it('answers 401 and starts nothing on a missing or forged signature', async () => {
    const body = delivery('qrcode.scanned', 'evt_2');
    for (const signature of [undefined, sign(body, 'another-secret'), 'zz']) {
      const { result, response } = await receive(body, signature, {});
      expect(result).toEqual({ noWebhookResponse: true });
      expect(response.statusCode).toBe(401);
    }
  });

  it('drops a redelivery of an event it already emitted, also after a restart (static data)', async () => {
    const body = delivery('qrcode.scanned', 'evt_3');
    const staticData: IDataObject = {};
    expect((await receive(body, sign(body), staticData)).result.workflowData).toBeDefined();
    const again = await receive(body, sign(body), staticData);
    expect(again.result.workflowData).toBeUndefined();
    expect(again.result.webhookResponse).toMatchObject({ duplicate: 'evt_3' });
    expect(staticData.eventIds).toEqual(['evt_3']);
  });

  it('acknowledges and ignores events that are not selected; emits QR code events when chosen', async () => {
    const body = delivery('qrcode.created', 'evt_4');
    const ignored = await receive(body, sign(body), {});
    expect(ignored.result.workflowData).toBeUndefined();
    expect(ignored.result.webhookResponse).toMatchObject({ received: true });
    const chosen = await receive(body, sign(body), {}, ['qrcode.created']);
    expect(chosen.result.workflowData?.[0]?.[0]?.json).toMatchObject({
      event: 'qrcode.created',
      eventId: 'evt_4',
      qrCode: { id: 'cm_qr_1' },
    });
  });

  it('keeps its lifecycle honest (local bookkeeping) and tests the secret credential', async () => {
    const staticData: IDataObject = {};
    const fake = fakeContext({ params: [{}], staticData });
    const hooks = webhook.webhookMethods.default;
    const ctx = fake.nodeCtx as never;
    expect(await hooks.checkExists.call(ctx)).toBe(false);
    expect(await hooks.create.call(ctx)).toBe(true);
    expect(await hooks.checkExists.call(ctx)).toBe(true);
    expect(await hooks.delete.call(ctx)).toBe(true);
    expect(await hooks.checkExists.call(ctx)).toBe(false);
    const test = webhook.methods.credentialTest.codeQrWebhookSecretTest;
    const result = (secret: string) =>
      test.call({} as never, { id: '1', name: 'c', type: 'codeQrWebhookApi', data: { secret } });
    expect((await result('short')).status).toBe('Error');
    expect((await result(SECRET)).status).toBe('OK');
  });

  it('accepts a real sandbox delivery (signed by the sandbox) end to end', async () => {
    let received: { body: string; signature: string } | undefined;
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = { body: Buffer.concat(chunks).toString(), signature: String(req.headers['codeqr-signature']) };
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await api('POST', '/__sandbox/webhooks', {
        url: `http://127.0.0.1:${port}/hook`,
        events: ['qrcode.scanned'],
        secret: SECRET,
      });
      const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/live' });
      await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 1 });
      for (let i = 0; i < 50 && !received; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received).toBeDefined();
      const { result } = await receive(received!.body, received!.signature, {});
      expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ qrCodeId: qr.id, source: 'webhook' });
    } finally {
      server.close();
    }
  });
});
