import { spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifyWebhook } from '@codeqr-integrations/core';
import { ensureCommand } from '@codeqr-integrations/test/support/system-command';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ContractSandbox, startContractSandbox } from './harness.ts';

// CodeQR-Signature (brief, "Webhooks": lowercase hex HMAC-SHA256 of the raw body with the webhook's secret) checked
// by a third party: openssl computes the HMAC of the exact bytes the sandbox delivered, so a mistake shared by the
// sandbox's signer and core's verifier (both node:crypto, both written here) cannot pass unnoticed.

const KEY = 'k_business';
const SECRET = 'whsec_openssl_check_secret';

/** The lowercase hex HMAC-SHA256 of `body` with `secret`, as the openssl command line computes it. */
function opensslHmac(body: Buffer, secret: string): string {
  const result = spawnSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: body, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl dgst failed (${result.status}): ${result.stderr}`);
  const digest = /([0-9a-f]{64})\s*$/.exec(result.stdout)?.[1];
  if (!digest) throw new Error(`openssl dgst printed no SHA-256 digest: ${result.stdout}`);
  return digest;
}

interface Delivery {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

let ctx: ContractSandbox;
const deliveries: Delivery[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    deliveries.push({ headers: req.headers, raw: Buffer.concat(chunks) });
    res.writeHead(200).end('ok');
  });
});

beforeAll(async () => {
  ensureCommand('openssl', 'openssl');
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  ctx = await startContractSandbox({ keys: [{ key: KEY, plan: 'business' }] });
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const registered = await ctx.control(KEY, 'POST', '/webhooks', { url, secret: SECRET, events: ['qrcode.created'] });
  expect(registered.status, registered.text).toBe(201);
  // a body with characters outside ASCII, so the signature must be taken over the UTF-8 bytes
  const created = await ctx.call(KEY)('POST', '/qrcodes', {
    body: { type: 'url', url: 'https://example.com/café', title: 'Menü · 東京' },
  });
  expect(created.status, created.text).toBe(200);
  await ctx.sb.webhooks.idle();
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('webhook signatures', () => {
  it('the sandbox signs with the header core reads', () => {
    expect(deliveries).toHaveLength(1);
    expect(SIGNATURE_HEADER.toLowerCase()).toBe('codeqr-signature');
    expect(deliveries[0]!.headers['codeqr-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(deliveries[0]!.raw.toString('utf8')).toContain('東京');
  });

  it('the signature is the HMAC-SHA256 openssl computes over the exact body delivered', () => {
    const { headers, raw } = deliveries[0]!;
    expect(headers['codeqr-signature']).toBe(opensslHmac(raw, SECRET));
    expect(headers['codeqr-signature']).not.toBe(opensslHmac(raw, `${SECRET}-other`));
  });

  it("core's verifyWebhook accepts the delivery and rejects a tampered body or another secret", () => {
    const { headers, raw } = deliveries[0]!;
    const signature = headers['codeqr-signature'] as string;
    expect(verifyWebhook(raw, signature, SECRET)).toBe(true);
    expect(verifyWebhook(raw.toString('utf8'), signature, SECRET)).toBe(true);
    const tampered = Buffer.from(raw.toString('utf8').replace('Menü', 'Menu'));
    expect(tampered.equals(raw)).toBe(false);
    expect(verifyWebhook(tampered, signature, SECRET)).toBe(false);
    expect(verifyWebhook(raw, signature, `${SECRET}-other`)).toBe(false);
    // and openssl agrees that the tampered body has another signature
    expect(opensslHmac(tampered, SECRET)).not.toBe(signature);
  });
});
