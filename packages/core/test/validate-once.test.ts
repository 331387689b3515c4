/**
 * Each item is validated once: at the operation's input boundary (its labels, its messages). The create and
 * bulk-create operations vouch for what they parsed, so the client's own create check (`CreateQrCodeRequest`) does
 * not run again on the batched path (`runItems`) nor on one create. That is only sound because every input the
 * operation accepts is a body the client would accept, as the client would send it: a property over random inputs.
 */
import { createCodeQrClient, getOperation, runItems, type Transport } from '@codeqr-integrations/core';
import { CreateQrCodeRequest, QrCode } from '@codeqr-integrations/core/schemas';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as z from 'zod/v4';
import { compact } from '../src/client/validate.ts';
import { arrayElement, objectShape } from '../src/fields/paths.ts';
import { parseQrCodeAnswer } from '../src/qrcodes/answer.ts';
import { validateCreate, vouchCreateInput } from '../src/qrcodes/requests.ts';

const create = getOperation('createQrCode');
const bulkCreate = getOperation('bulkCreateQrCodes');

/** A transport that creates what it is sent, at once: `POST /qrcodes` and `POST /qrcodes/bulk`. */
function echoTransport(): { transport: Transport; bodies: unknown[] } {
  const bodies: unknown[] = [];
  let n = 0;
  const qr = (b: Record<string, unknown>) => {
    n += 1;
    const at = new Date(0).toISOString();
    return {
      id: `qr_${n}`,
      domain: 'cqr.link',
      key: `k${n}`,
      url: b.url ?? null,
      type: b.type ?? 'url',
      ...b,
      createdAt: at,
      updatedAt: at,
    };
  };
  const transport: Transport = async (request) => {
    const body = request.body === undefined ? undefined : JSON.parse(request.body);
    bodies.push(body);
    const answer = request.url.endsWith('/qrcodes/bulk') ? (body as Record<string, unknown>[]).map(qr) : qr(body);
    return { status: 200, headers: {}, body: JSON.stringify(answer) };
  };
  return { transport, bodies };
}

const client = (transport: Transport) =>
  createCodeQrClient({ apiKey: 'codeqr_test', baseUrl: 'http://127.0.0.1:9', transport, sleep: async () => {} });

afterEach(() => vi.restoreAllMocks());

describe('each item validated once', () => {
  it('runItems (batched): the operation parses each item once, the client does not check it again', async () => {
    const { transport, bodies } = echoTransport();
    const raws = Array.from({ length: 250 }, (_, i) => ({
      url: ` https://example.com/${i} `,
      size: '512',
      externalId: `v-${i}`,
    }));
    const input = vi.spyOn(create.input, 'safeParse');
    const request = vi.spyOn(CreateQrCodeRequest, 'safeParse');
    const outcomes = await runItems(client(transport), create, raws);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(input).toHaveBeenCalledTimes(raws.length);
    expect(request).not.toHaveBeenCalled();
    // what was sent is what the client's own validation makes of the items: trimmed, coerced, typed
    const sent = (bodies as Record<string, unknown>[][]).flat();
    expect(sent).toHaveLength(raws.length);
    expect(sent[7]).toEqual({ type: 'url', url: 'https://example.com/7', size: 512, externalId: 'v-7' });
  });

  it('one create, and a bulk create through execute: parsed once, not checked again by the client', async () => {
    const { transport } = echoTransport();
    const request = vi.spyOn(CreateQrCodeRequest, 'safeParse');
    await create.execute(client(transport), { url: 'https://example.com/one', title: 'One' });
    const results = (await bulkCreate.execute(client(transport), {
      items: [{ url: 'https://example.com/b1' }, { url: 'nope' }, { url: 'https://example.com/b3' }],
    })) as { ok: boolean }[];
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(request).not.toHaveBeenCalled();
  });

  it('the client still validates what no operation vouched for, with its own messages', async () => {
    const { transport, bodies } = echoTransport();
    const c = client(transport);
    const request = vi.spyOn(CreateQrCodeRequest, 'safeParse');
    await expect(c.qrcodes.create({ url: 'not a url' })).rejects.toMatchObject({ code: 'validation_error' });
    const results = await c.qrcodes.bulkCreate([{ url: 'https://example.com/x' }, { url: 'nope' }]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(bodies).toHaveLength(1);
    // the spy sees the client's check (so the tests above, where it stays silent, can fail)
    expect(request).toHaveBeenCalled();
  });
});

// ---------------------------------------------------------------- the property that makes vouching sound

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const maybe = (rand: () => number) => rand() < 0.5;

/** A random create input a host could send: each field set or not, some values host-style text. */
function randomInput(rand: () => number): Record<string, unknown> {
  const type = pick(rand, ['url', 'url', 'text', 'wifi', 'email', 'phone', 'sms', 'whatsapp', undefined]);
  const input: Record<string, unknown> = {};
  if (type !== undefined) input.type = type;
  if (type === undefined || type === 'url' || maybe(rand))
    input.url = pick(rand, ['https://example.com/a', ' http://x.io/p?q=1 ']);
  if (type === 'text') input.text = pick(rand, ['hello', ' spaced text ']);
  if (type === 'wifi')
    input.wifi = {
      ssid: 'Cafe',
      password: maybe(rand) ? ' p w ' : undefined,
      encryption: pick(rand, ['WPA', 'nopass', undefined]),
    };
  if (type === 'email') input.email = { email: 'hi@example.com', subject: maybe(rand) ? 'Hi' : undefined };
  if (type === 'phone') input.phone = '+15551234567';
  if (type === 'sms') input.sms = { tel: '+15551234567', subject: maybe(rand) ? 'Text' : undefined };
  if (type === 'whatsapp') input.whatsapp = { number: '15551234567', message: maybe(rand) ? 'Hello' : undefined };
  if (maybe(rand)) input.externalId = `ext-${Math.floor(rand() * 1e6)}`;
  if (maybe(rand)) input.title = pick(rand, ['Menu', '', ' Spaced ']);
  if (maybe(rand)) input.description = 'A description';
  if (maybe(rand)) input.key = `key-${Math.floor(rand() * 1e6)}`;
  if (maybe(rand)) input.domain = 'cqr.link';
  if (maybe(rand)) input.tagNames = pick(rand, ['a, b', ['x'], 'solo']);
  if (maybe(rand)) input.size = pick(rand, [512, '1024', 64]);
  if (maybe(rand)) input.level = pick(rand, ['L', 'H']);
  if (maybe(rand)) input.bgColor = pick(rand, ['#ffffff', 'white']);
  if (maybe(rand)) input.fgColor = pick(rand, ['#000', 'black']);
  if (maybe(rand)) input.archived = pick(rand, [true, 'false']);
  if (maybe(rand)) input.static = pick(rand, [false, true]);
  if (maybe(rand)) input.expiresAt = '2030-01-01T00:00:00Z';
  if (maybe(rand)) input.comments = 'note';
  return input;
}

describe('vouching is sound', () => {
  it('every field of the create operations is a field of the create body (or one the operation resolves itself)', () => {
    const body = new Set(Object.keys(CreateQrCodeRequest.shape));
    const own = new Set(['createMissingTags', 'folderName']); // switches and names `run` resolves before the client
    const single = Object.keys(objectShape(create.input) ?? {});
    const element = arrayElement(objectShape(bulkCreate.input)?.items as z.ZodType);
    const item = Object.keys((element && objectShape(element)) ?? {});
    expect(single.length).toBeGreaterThan(10);
    expect(item.length).toBeGreaterThan(10);
    expect([...single, ...item].filter((key) => !body.has(key) && !own.has(key))).toEqual([]);
  });

  it.each(propertySeeds('create operation inputs are client-valid create bodies', [20261206]))(
    'seed %i: every input the create operation accepts passes the client check, and sends the same body',
    (seed) => {
      const rand = prng(seed);
      let accepted = 0;
      const rejected: string[] = [];
      for (let i = 0; i < 300; i++) {
        let parsed: Record<string, unknown>;
        try {
          parsed = create.parseInput(randomInput(rand)) as Record<string, unknown>;
        } catch {
          continue; // the operation refused it: nothing to vouch for
        }
        accepted += 1;
        // what the operation's run hands the client: without its own switches (`createMissingTags`)
        const { createMissingTags: _switch, ...item } = parsed;
        const full = CreateQrCodeRequest.safeParse(compact(item));
        if (!full.success) rejected.push(JSON.stringify(item));
        expect(validateCreate(vouchCreateInput({ ...item }))).toEqual(validateCreate({ ...item }));
      }
      expect(rejected).toEqual([]);
      expect(accepted).toBeGreaterThan(100);
    },
  );
});

describe('answers validated the cheap way', () => {
  it.each(propertySeeds('the cheap QR code answer check answers what QrCode answers', [7]))(
    'seed %i: same value for valid answers (named fields, defaults, shortLink, unnamed fields as they came), same refusals',
    (seed) => {
      const rand = prng(seed);
      const at = '2026-03-01T09:30:00.000Z';
      for (let i = 0; i < 200; i++) {
        const answer: Record<string, unknown> = {
          id: `qr_${i}`,
          domain: 'cqr.link',
          key: `k${i}`,
          url: null,
          type: 'url',
          createdAt: at,
          updatedAt: at,
        };
        if (maybe(rand)) answer.shortLink = 'https://cqr.link/custom';
        if (maybe(rand)) answer.title = pick(rand, ['T', null]);
        if (maybe(rand)) answer.tags = pick(rand, [null, [{ id: 't1', name: 'a', color: 'red' }]]);
        if (maybe(rand)) answer.userId = 'u1'; // a field QrCode does not name
        if (maybe(rand)) answer.geo = { FR: 'https://example.fr' };
        if (maybe(rand)) answer.scans = pick(rand, [3, 'three']); // 'three' is invalid
        if (maybe(rand)) delete answer[pick(rand, ['id', 'domain', 'createdAt'])];
        if (maybe(rand)) answer.size = pick(rand, [1024, null]); // null is invalid
        const loose = QrCode.safeParse(answer);
        const cheap = parseQrCodeAnswer(answer);
        expect(cheap.success).toBe(loose.success);
        expect(cheap.success ? cheap.data : 'refused').toEqual(loose.success ? loose.data : 'refused');
      }
    },
  );
});
