/**
 * Get QR Code Image end to end: the create renders through core and stashes the file with `z.stashFile`, which in
 * Zapier asks its RPC for a signed S3 upload and posts the bytes there. Both are played here by one local server
 * (zapier-platform-core reads `ZAPIER_BASE_ENDPOINT` / `ZAPIER_DEPLOY_KEY`, so it is imported after they are set).
 * Every type CodeQR's API can create is drawn and read back.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { decodeQrPng } from '@codeqr-integrations/test/support/qr-decode';
import {
  QR_TYPE_SAMPLES,
  type QrTypeContent,
  UNCREATABLE_TYPES,
} from '@codeqr-integrations/test/support/qr-type-samples';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BASE_URL_ENV } from '../src/transport.ts';

const KEY = 'zap_files';
let sb: Sandbox;
let fake: Server;
const uploads: { fileName: string; contentType: string; body: Buffer }[] = [];
// biome-ignore lint/suspicious/noExplicitAny: the app tester is imported after the environment is set
let appTester: (perform: unknown, bundle: unknown) => Promise<any>;
// biome-ignore lint/suspicious/noExplicitAny: see above
let app: any;

const read = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

/** The file part of a multipart body (the S3 POST that `z.stashFile` sends). */
function filePart(body: Buffer, contentType: string) {
  const boundary = `--${/boundary=(.+)$/.exec(contentType)?.[1]}`;
  const parts = body.toString('latin1').split(boundary);
  const file = parts.find((p) => /name="file"/.test(p)) ?? '';
  const [head = '', ...rest] = file.split('\r\n\r\n');
  return {
    fileName: /filename="([^"]+)"/.exec(head)?.[1] ?? '',
    contentType: /Content-Type: (\S+)/i.exec(head)?.[1] ?? '',
    body: Buffer.from(rest.join('\r\n\r\n').replace(/\r\n$/, ''), 'latin1'),
  };
}

beforeAll(async () => {
  // standard payloads: core draws what a code should encode, where CodeQR's own encoder has known bugs (FaceTime)
  sb = await startSpecCheckedSandbox({ keys: [{ key: KEY, plan: 'business' }], seed: 4, payloads: 'standard' });
  fake = createServer(async (req, res) => {
    const body = await read(req);
    const base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    if (req.url === '/platform/rpc/cli') {
      const { id, method } = JSON.parse(body.toString());
      expect(req.headers['x-deploy-key']).toBe('test-deploy-key');
      expect(method).toBe('get_presigned_upload_post_data');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id, result: { url: `${base}/s3/`, fields: { key: 'cli-platform/0001/qr-file' } } }));
      return;
    }
    if (req.url === '/s3/') {
      uploads.push(filePart(body, String(req.headers['content-type'])));
      res.statusCode = 204;
      res.end();
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  process.env.ZAPIER_BASE_ENDPOINT = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  process.env.ZAPIER_DEPLOY_KEY = 'test-deploy-key';
  process.env[BASE_URL_ENV] = sb.url;
  const zapier = (await import('zapier-platform-core')).default;
  app = (await import('../src/index.ts')).default;
  appTester = zapier.createAppTester(app) as typeof appTester;
});

afterAll(async () => {
  delete process.env.ZAPIER_BASE_ENDPOINT;
  delete process.env.ZAPIER_DEPLOY_KEY;
  delete process.env[BASE_URL_ENV];
  fake?.closeAllConnections();
  await new Promise((resolve) => fake?.close(resolve));
  await sb?.close();
}, 30_000);

const run = (perform: unknown, inputData: Record<string, unknown>) =>
  appTester(perform, { authData: { apiKey: KEY }, inputData });

it('Get QR Code Image stashes a PNG of a CodeQR QR code and returns it as a file', async () => {
  const qr = await run(app.creates.createQrCode.operation.perform, { url: 'https://example.com/img', key: 'img-code' });
  const out = await run(app.creates.getQrCodeImage.operation.perform, { id: qr.id, size: '256' });
  expect(out).toMatchObject({
    file: expect.stringMatching(/\/s3\/cli-platform\/0001\/qr-file$/),
    fileName: 'qr-img-code.png',
    mimeType: 'image/png',
    qrCodeId: qr.id,
    size: 256,
    content: qr.shortLink,
  });
  expect(out).not.toHaveProperty('data');
  const upload = uploads.at(-1);
  expect(upload).toMatchObject({ fileName: 'qr-img-code.png', contentType: 'image/png' });
  expect(upload?.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
});

it('an SVG of any content, nothing looked up', async () => {
  const out = await run(app.creates.getQrCodeImage.operation.perform, {
    content: 'https://example.com/anything',
    format: 'svg',
  });
  expect(out).toMatchObject({ mimeType: 'image/svg+xml', content: 'https://example.com/anything' });
  expect(uploads.at(-1)?.body.toString()).toMatch(/^<svg /);
});

it('a bad colour is named before anything is rendered', async () => {
  const error = await run(app.creates.getQrCodeImage.operation.perform, { content: 'x', fgColor: 'blurple' }).catch(
    (e: Error) => e,
  );
  expect(JSON.parse((error as Error).message)).toMatchObject({ code: 'validation_error' });
  expect((error as Error).message).toMatch(/Foreground Colou?r/);
});

/** A type's content as Zapier's form sends it: flat keys (`wifi__ssid`), strings. */
const flat = (type: string, content: QrTypeContent) =>
  typeof content === 'string'
    ? { [type]: content }
    : Object.fromEntries(Object.entries(content).map(([key, value]) => [`${type}__${key}`, value]));

const CREATABLE = Object.keys(QR_TYPE_SAMPLES).filter((type) => !UNCREATABLE_TYPES.includes(type));

it.each(CREATABLE)('Get QR Code Image draws a static %s code: the PNG reads back as its content', async (type) => {
  const [content] = QR_TYPE_SAMPLES[type] as [QrTypeContent, QrTypeContent];
  const qr = await run(app.creates.createQrCode.operation.perform, {
    type,
    ...flat(type, content),
    static: true,
    externalId: `zap-image-${type}`,
  });
  const stored = await sb.store.findQr(sb.project(KEY), String(qr.id));
  const out = await run(app.creates.getQrCodeImage.operation.perform, { id: qr.id, size: '512' });
  expect(out.content).toBe(stored?.contentStatic);
  const upload = uploads.at(-1);
  expect(decodeQrPng(upload?.body ?? new Uint8Array())).toBe(stored?.contentStatic);
});
