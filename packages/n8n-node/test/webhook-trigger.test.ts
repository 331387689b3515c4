/** The CodeQR Webhook Trigger: signed deliveries only, chosen events only, each event id once. */
import { createHmac } from 'node:crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { CodeQrWebhookTrigger } from '../nodes/CodeQrWebhookTrigger/CodeQrWebhookTrigger.node.ts';
import { fakeContext } from './fake-n8n.ts';
import { sandboxPerFile } from './sandbox.ts';

const { api } = sandboxPerFile({ keys: [{ key: 'codeqr_n8n_webhook', plan: 'business' }], seed: 9 });

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
