import { qrImageContent } from '@codeqr-integrations/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ContractSandbox, startContractSandbox } from './harness.ts';
import { QR_TYPE_CASES } from './payloads.ts';

// A static QR code encodes its content (spec: QrCodeSchema.contentStatic). The sandbox writes that content from each
// type's standard payload format on its own; core renders the string it draws into a local image on its own. Both
// are compared here with the sandbox's `standard` payload style (the intended formats, without CodeQR's known bugs:
// core must not copy `geo:undefined`), type by type: core draws exactly what the sandbox encodes, or says it cannot
// draw that type and uses CodeQR's hosted image (`validation_error` naming `type`).

let ctx: ContractSandbox;

beforeAll(async () => {
  ctx = await startContractSandbox({ keys: [{ key: 'k_biz', plan: 'business' }], payloads: 'standard' });
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

/** What core draws for a QR code, or `hosted` when it declines to draw the type locally. */
function coreDraws(qr: Parameters<typeof qrImageContent>[0]): string {
  try {
    return qrImageContent(qr);
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === 'validation_error' && /cannot be rendered locally/.test(message ?? '')) return 'hosted';
    throw error;
  }
}

describe('core draws what the sandbox encodes', () => {
  it.each(QR_TYPE_CASES)('$type', async (c) => {
    const res = await ctx.call('k_biz')('POST', '/qrcodes', { body: { type: c.type, ...c.payload, static: true } });
    expect(res.status, res.text).toBe(200);
    // the answer has no `pix` (not in QrCodeSchema): core renders from what the client sent
    const drawn = coreDraws({ ...res.body, ...c.payload });
    // core draws every type locally (image/content.ts QR_IMAGE_LOCAL_TYPES): the same string the sandbox encodes
    expect(drawn).toBe(res.body.contentStatic);
  });

  it('a dynamic code draws its short link in both', async () => {
    const res = await ctx.call('k_biz')('POST', '/qrcodes', { body: { type: 'text', text: 'hello' } });
    expect(res.body.contentStatic).toBeNull();
    expect(coreDraws(res.body)).toBe(res.body.shortLink);
  });
});
