/**
 * The package in real n8n (the pinned release installed by scripts/install-n8n.sh), against the sandbox: workflows
 * imported and executed headless, the polling trigger live over several polls and a restart, the webhook trigger
 * with signed, forged and repeated deliveries.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type Exchange, type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type N8nHome, type N8nServer, nodeOutput, prepareN8n } from './harness.ts';
import {
  actionsWorkflow,
  batchWorkflow,
  CREDENTIAL,
  errorOutputWorkflow,
  PICKED_EXPIRY,
  pollingWorkflow,
  WEBHOOK_CREDENTIAL,
  WEBHOOK_ID,
  webhookWorkflow,
} from './workflows.ts';

const KEY = 'codeqr_n8n_e2e';
const SECRET = 'whsec_codeqr_n8n_e2e';
const RUN = Date.now().toString(36);
/** The rows of the error-output run that are invalid (n8n must route exactly these to the error output). */
const ERROR_ROWS = [7, 150];

let sb: Sandbox;
let home: N8nHome;
let server: N8nServer | undefined;
let sinkServer: Server;
let sinkUrl: string;
const exchanges: Exchange[] = [];
const sunk: Record<string, unknown>[] = [];

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${server?.log().slice(-4000) ?? ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const polls = () => exchanges.filter((e) => e.method === 'GET' && e.path === '/events').length;
const polled = (source: string) => sunk.filter((item) => item.source === source);

beforeAll(async () => {
  sb = await startSandbox({ keys: [{ key: KEY, plan: 'business' }], onExchange: (e) => exchanges.push(e) });
  sinkServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      sunk.push(JSON.parse(Buffer.concat(chunks).toString() || '{}'));
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => sinkServer.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(sinkServer.address() as { port: number }).port}/sink`;

  home = await prepareN8n();
  home.importCredentials([
    { ...CREDENTIAL, type: 'codeQrApi', data: { apiKey: KEY, baseUrl: sb.url } },
    { ...WEBHOOK_CREDENTIAL, type: 'codeQrWebhookApi', data: { secret: SECRET } },
  ]);
  home.importWorkflow(actionsWorkflow(RUN));
  home.importWorkflow(batchWorkflow(250, RUN));
  home.importWorkflow(errorOutputWorkflow(300, ERROR_ROWS, RUN));
  home.importWorkflow(pollingWorkflow(sinkUrl));
  home.importWorkflow(webhookWorkflow(sinkUrl));
});

afterAll(async () => {
  await server?.stop();
  sinkServer?.close();
  await sb?.close();
});

describe('workflows executed headless (n8n execute)', () => {
  it('create → update → upsert → get image → analytics', async () => {
    const run = await home.execute('cqrE2eActions01');
    const [created] = nodeOutput(run, 'Create');
    expect(created?.json).toMatchObject({ externalId: `e2e-${RUN}`, title: 'E2E', key: `e2e-${RUN}` });
    // picked in the editor without an offset: read in the workflow's time zone
    expect(new Date(String(created?.json.expiresAt)).toISOString()).toBe(PICKED_EXPIRY.utc);
    const [updated] = nodeOutput(run, 'Update');
    expect(updated?.json).toMatchObject({ id: created?.json.id, title: 'E2E (updated)' });
    const [upserted] = nodeOutput(run, 'Upsert');
    expect(upserted?.json).toMatchObject({
      action: 'updated',
      qrCode: { id: created?.json.id, title: 'E2E (upserted)' },
    });
    const [image] = nodeOutput(run, 'Image');
    expect(image?.binary?.qr).toMatchObject({ mimeType: 'image/png', fileName: `qr-e2e-${RUN}.png` });
    const [analytics] = nodeOutput(run, 'Analytics');
    expect(analytics?.json).toMatchObject({ scans: 0 });
  });

  it('250 items through the batched Create: 3 bulk calls, every item paired with its result', async () => {
    const before = exchanges.length;
    const run = await home.execute('cqrE2eBatch00001');
    const out = nodeOutput(run, 'Create');
    expect(out).toHaveLength(250);
    out.forEach((item, i) => {
      expect(item.json).toMatchObject({
        externalId: `batch-${RUN}-${i}`,
        url: `https://example.com/batch/${RUN}/${i}`,
      });
    });
    const sent = exchanges.slice(before).filter((e) => e.method === 'POST');
    expect(sent.map((e) => e.path)).toEqual(['/qrcodes/bulk', '/qrcodes/bulk', '/qrcodes/bulk']);
  });
});

describe("failed items on n8n's own failure path", () => {
  it('"On Error: Continue (using error output)": 300 items, 2 invalid → 298 on the main output, those 2 on the error output', async () => {
    const run = await home.execute('cqrE2eErrOut0001');
    const ok = nodeOutput(run, 'Create', 0);
    const failed = nodeOutput(run, 'Create', 1);
    expect(ok).toHaveLength(298);
    expect(failed.map((item) => item.pairedItem)).toEqual(ERROR_ROWS.map((item) => ({ item })));
    for (const item of failed) {
      expect(item.json).toMatchObject({ details: { code: 'validation_error', issues: [{ field: 'url' }] } });
      expect(String(item.json.error)).toMatch(/Destination URL/);
    }
    expect(ok.every((item) => typeof item.json.id === 'string')).toBe(true);
  });
});

describe('triggers in a running n8n', () => {
  let qrCodeId: string;
  const recorded: string[] = [];

  it('the polling trigger emits each simulated scan exactly once over several polls and an n8n restart', async () => {
    home.cli(['publish:workflow', '--id=cqrE2ePolling001']);
    home.cli(['publish:workflow', '--id=cqrE2eWebhook001']);
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/polled' });
    qrCodeId = String(qr.id);
    const pollsBefore = polls();
    server = await home.start();
    await until('the first poll (priming)', () => polls() > pollsBefore, 60_000);

    const scan = async (count: number) => {
      const out = await api('POST', '/__sandbox/scans', { qrCodeId, count, intervalMs: 5 });
      recorded.push(...(out.recorded as { id: string }[]).map((s) => s.id));
    };
    await scan(2);
    await until('2 scans through the polling trigger', () => polled('events').length >= 2, 90_000);

    await scan(1);
    await server.stop();
    await scan(1); // while n8n is down
    server = await home.start();
    await until('4 scans after the restart', () => polled('events').length >= 4, 90_000);
    const pollsNow = polls();
    await until('one more poll', () => polls() > pollsNow, 75_000);
    await new Promise((r) => setTimeout(r, 3000)); // let that poll's execution finish

    const ids = polled('events').map((item) => item.id);
    expect(ids.sort()).toEqual([...recorded].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the webhook trigger accepts a signed sandbox delivery, rejects a forged one, ignores a redelivery', async () => {
    const url = `${home.url}/webhook/${WEBHOOK_ID}/webhook`;
    await api('POST', '/__sandbox/webhooks', { url, events: ['qrcode.scanned'], secret: SECRET });
    const out = await api('POST', '/__sandbox/scans', { qrCodeId, count: 1 });
    const clickId = (out.recorded as { id: string }[])[0]?.id;
    await until('the signed sandbox delivery', () => polled('webhook').some((item) => item.id === clickId), 30_000);

    const body = JSON.stringify({
      id: `evt_e2e_${RUN}`,
      event: 'qrcode.scanned',
      createdAt: new Date().toISOString(),
      data: {
        qrcode: { id: qrCodeId, domain: sb.linkDomain, key: 'polled', url: 'https://example.com/polled' },
        interaction: { timestamp: new Date().toISOString(), clickId: `click_e2e_${RUN}` },
      },
    });
    const post = (signature: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'codeqr-signature': signature },
        body,
      });
    const forged = await post(createHmac('sha256', 'not-the-secret').update(body).digest('hex'));
    expect(forged.status).toBe(401);
    const signature = createHmac('sha256', SECRET).update(body).digest('hex');
    expect((await post(signature)).status).toBe(200);
    expect((await post(signature)).status).toBe(200); // a redelivery: acknowledged, not run again
    await until('the signed manual delivery', () => polled('webhook').some((i) => i.id === `click_e2e_${RUN}`), 30_000);
    await new Promise((r) => setTimeout(r, 3000));
    expect(polled('webhook').filter((item) => item.id === `click_e2e_${RUN}`)).toHaveLength(1);
  });
});
