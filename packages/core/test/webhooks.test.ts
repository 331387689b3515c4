import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCodeQrError } from '../src/errors.ts';
import { QR_WEBHOOK_EVENTS } from '../src/schemas/webhooks.ts';
import {
  createWebhookDeduper,
  parseWebhookEvent,
  signWebhook,
  validateWebhookEvent,
  verifyWebhook,
} from '../src/webhooks/index.ts';

const secret = 'whsec_test_4f1c9a';
const scanned = {
  id: 'evt_9x',
  event: 'qrcode.scanned',
  createdAt: '2026-03-01T10:15:31.000Z',
  data: {
    eventName: 'Scan',
    interaction: { timestamp: '2026-03-01T10:15:30.250Z', clickId: 'clk_1', country: 'FR', bot: false, qr: true },
    qrcode: { id: 'qr_1', domain: 'cqr.sh', key: 'menu', url: 'https://example.com', scans: 3 },
  },
};
const body = JSON.stringify(scanned);
const bytes = new TextEncoder().encode(body);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('signWebhook / verifyWebhook', () => {
  it('matches an independently computed HMAC-SHA256', () => {
    const independent = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    expect(signWebhook(body, secret)).toBe(independent);
    expect(signWebhook(bytes, secret)).toBe(independent);
    expect(independent).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhook(body, independent, secret)).toBe(true);
  });

  it('verifies its own signature over a string or the raw bytes', () => {
    expect(verifyWebhook(body, signWebhook(body, secret), secret)).toBe(true);
    expect(verifyWebhook(bytes, signWebhook(body, secret), secret)).toBe(true);
  });

  it('accepts an uppercase header with surrounding whitespace', () => {
    expect(verifyWebhook(body, `  ${signWebhook(body, secret).toUpperCase()}\n`, secret)).toBe(true);
  });

  it('rejects a body with any single byte flipped', () => {
    const signature = signWebhook(bytes, secret);
    for (const index of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const tampered = bytes.slice();
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(verifyWebhook(tampered, signature, secret)).toBe(false);
    }
  });

  it('rejects a signature with any single character changed', () => {
    const signature = signWebhook(body, secret);
    for (const index of [0, 31, 63]) {
      const c = signature[index] === '0' ? '1' : '0';
      expect(verifyWebhook(body, signature.slice(0, index) + c + signature.slice(index + 1), secret)).toBe(false);
    }
  });

  it('rejects the wrong secret', () => {
    expect(verifyWebhook(body, signWebhook(body, secret), `${secret}x`)).toBe(false);
  });

  it('answers false, without throwing, for a missing or malformed header', () => {
    for (const header of [undefined, null, '', '   ', 'sha256=abc', 'zz'.repeat(32), signWebhook(body, secret) + '0']) {
      expect(verifyWebhook(body, header, secret)).toBe(false);
    }
    expect(verifyWebhook(body, ['a'] as unknown as string, secret)).toBe(false);
  });

  it('rejects a parsed object body with a validation_error that says to pass the raw body', () => {
    const error = thrown(() => verifyWebhook(scanned as unknown as string, signWebhook(body, secret), secret));
    expect(isCodeQrError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation_error' });
    expect((error as Error).message).toMatch(/raw request body/);
    expect(() => signWebhook(42 as unknown as string, secret)).toThrow(/raw request body/);
  });

  it('rejects an empty secret without echoing secrets', () => {
    for (const bad of ['', '  ', undefined as unknown as string]) {
      const error = thrown(() => verifyWebhook(body, 'ab', bad));
      expect(error).toMatchObject({ code: 'validation_error' });
      expect((error as Error).message).toMatch(/secret is empty/);
    }
    const error = thrown(() => verifyWebhook({} as unknown as string, 'ab', secret));
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(secret);
  });
});

describe('parseWebhookEvent', () => {
  it('parses a qrcode.scanned envelope from a string or bytes', () => {
    const evt = parseWebhookEvent(body);
    expect(evt.event).toBe('qrcode.scanned');
    if (evt.event !== 'qrcode.scanned') throw new Error('narrowing');
    expect(evt.data.interaction.clickId).toBe('clk_1');
    expect(parseWebhookEvent(bytes)).toEqual(evt);
    expect(parseWebhookEvent(`\uFEFF${body}`)).toEqual(evt);
  });

  it('parses every QR-code event', () => {
    for (const event of ['qrcode.created', 'qrcode.updated', 'qrcode.deleted'] as const) {
      const evt = parseWebhookEvent(
        JSON.stringify({
          id: 'evt_1',
          event,
          createdAt: '2026-03-01T10:00:00Z',
          data: { qrcode: scanned.data.qrcode },
        }),
      );
      expect(evt.event).toBe(event);
    }
  });

  it('names an unknown event and lists the accepted ones', () => {
    const error = thrown(() => parseWebhookEvent(JSON.stringify({ ...scanned, event: 'link.clicked' })));
    expect(error).toMatchObject({ code: 'validation_error' });
    expect((error as Error).message).toContain('"link.clicked"');
    for (const name of QR_WEBHOOK_EVENTS) expect((error as Error).message).toContain(name);
    expect(() => parseWebhookEvent('{"id":"evt_1"}')).toThrow(/no event name/);
  });

  it('reports invalid JSON, non-objects, bad UTF-8 and wrong fields as validation_error', () => {
    expect(thrown(() => parseWebhookEvent('{"id":'))).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(() => parseWebhookEvent('[1]')).toThrow(/JSON object/);
    expect(() => parseWebhookEvent(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/UTF-8/);
    const missing = thrown(() =>
      parseWebhookEvent(JSON.stringify({ ...scanned, data: { ...scanned.data, interaction: { timestamp: 'x' } } })),
    );
    expect(missing).toMatchObject({ code: 'validation_error' });
    expect((missing as Error).message).toContain('data.interaction.clickId');
    expect((missing as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toContain(
      'data.interaction.clickId',
    );
    expect(() => parseWebhookEvent(scanned as unknown as string)).toThrow(/raw request body/);
  });

  it('validates an already-parsed payload too', () => {
    expect(validateWebhookEvent(scanned)).toEqual(parseWebhookEvent(body));
    expect(() => validateWebhookEvent(null)).toThrow(/JSON object/);
  });
});

describe('createWebhookDeduper', () => {
  it('reports repeats and records new ids', () => {
    const dedupe = createWebhookDeduper();
    expect(dedupe.seen('evt_1')).toBe(false);
    expect(dedupe.seen('evt_1')).toBe(true);
    expect(dedupe.seen('evt_2')).toBe(false);
    expect(dedupe.size).toBe(2);
  });

  it('stays bounded, forgetting the least recently seen id', () => {
    const dedupe = createWebhookDeduper({ max: 3 });
    for (const id of ['a', 'b', 'c']) dedupe.seen(id);
    expect(dedupe.seen('a')).toBe(true); // a is recent again; b is now the oldest
    expect(dedupe.seen('d')).toBe(false);
    expect(dedupe.size).toBe(3);
    expect(dedupe.seen('a')).toBe(true);
    expect(dedupe.seen('b')).toBe(false); // forgotten
    const big = createWebhookDeduper();
    for (let i = 0; i < 10_050; i++) big.seen(`evt_${i}`);
    expect(big.size).toBe(10_000);
  });

  it('rejects a non-positive max', () => {
    expect(() => createWebhookDeduper({ max: 0 })).toThrow(/positive integer/);
  });
});
