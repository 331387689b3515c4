import { qrImageContent } from '@codeqr-integrations/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ContractSandbox, startContractSandbox } from './harness.ts';

// A static QR code encodes its content (spec: QrCodeSchema.contentStatic). The sandbox writes that content from each
// type's standard payload format on its own; core renders the same string into the image it draws locally. The two
// must agree, or a locally drawn code would not match the one CodeQR describes.

let ctx: ContractSandbox;

beforeAll(async () => {
  ctx = await startContractSandbox({ keys: [{ key: 'k_biz', plan: 'business' }] });
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const STATIC_CODES: Array<{ name: string; body: Record<string, unknown>; content: string }> = [
  { name: 'url', body: { type: 'url', url: 'https://example.com/menu' }, content: 'https://example.com/menu' },
  { name: 'text', body: { type: 'text', text: '  Hello, world!' }, content: '  Hello, world!' },
  { name: 'phone', body: { type: 'phone', phone: '+49 151 1234 5678' }, content: 'tel:+4915112345678' },
  {
    name: 'email',
    body: { type: 'email', email: { email: 'team@example.com', subject: 'Hi there', body: 'A & B' } },
    content: 'mailto:team@example.com?subject=Hi%20there&body=A%20%26%20B',
  },
  {
    name: 'wifi with special characters',
    body: { type: 'wifi', wifi: { ssid: 'Café;Guest', password: 'p:w"d', encryption: 'WPA' } },
    content: 'WIFI:T:WPA;S:Café\\;Guest;P:p\\:w\\"d;;',
  },
  {
    name: 'open wifi',
    body: { type: 'wifi', wifi: { ssid: 'Open', encryption: 'nopass' } },
    content: 'WIFI:T:nopass;S:Open;;',
  },
  {
    name: 'hidden wifi',
    body: { type: 'wifi', wifi: { ssid: 'Back', password: 'x', hidden: 'true' } },
    content: 'WIFI:T:WPA;S:Back;P:x;H:true;;',
  },
  {
    name: 'sms',
    body: { type: 'sms', sms: { tel: '+1 555 0100', subject: 'Table 4' } },
    content: 'SMSTO:+15550100:Table 4',
  },
  {
    name: 'whatsapp',
    body: { type: 'whatsapp', whatsapp: { number: '5511999998888', message: 'Olá!' } },
    content: 'https://wa.me/5511999998888?text=Ol%C3%A1!',
  },
];

describe('contentStatic of a static QR code', () => {
  it.each(STATIC_CODES)("$name: the sandbox's content is the standard form and what core renders", async (code) => {
    const res = await ctx.call('k_biz')('POST', '/qrcodes', { body: { ...code.body, static: true } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.contentStatic).toBe(code.content);
    expect(qrImageContent(res.body)).toBe(res.body.contentStatic);
  });

  it('is null for a dynamic code and for a type without a standard string form', async () => {
    const api = ctx.call('k_biz');
    const dynamic = await api('POST', '/qrcodes', { body: { type: 'text', text: 'hello' } });
    expect(dynamic.body.contentStatic).toBeNull();
    const vcard = await api('POST', '/qrcodes', { body: { type: 'vcard', vcard: { name: 'Ada' }, static: true } });
    expect(vcard.body.contentStatic).toBeNull();
  });
});
