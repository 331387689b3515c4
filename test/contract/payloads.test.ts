import { readFileSync } from 'node:fs';
import { prng, propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ContractSandbox, startContractSandbox } from './harness.ts';
import {
  brCode,
  CRYPTO,
  crc16,
  linkContent,
  PIX,
  POINT,
  STANDARD,
  QR_TYPE_CASES as TYPES,
  vcard3,
  wifiText,
} from './payloads.ts';
import { SPEC_PATH } from './spec.ts';

// Every one of the spec's 13 QR types, stored and answered as CodeQR does (research-17 §0-§1: field names from
// CodeQR's MCP server, which quotes the app; the response shape from the spec's QrCodeSchema, checked on every
// exchange by the harness), and the payload each carries: `contentStatic` for a static code, the short link's
// display page (or redirect) for a dynamic one. Expected payloads are written here from each format's standard
// (payloads.ts), not read from the sandbox or from core.

let ctx: ContractSandbox;

beforeAll(async () => {
  ctx = await startContractSandbox({ keys: [{ key: 'k_biz', plan: 'business' }] });
});

afterEach(() => {
  ctx.sb.behaviour.payloads = 'codeqr';
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const api = () => ctx.call('k_biz');

describe('the 13 QR types', () => {
  it("the test's own Pix encoder reproduces the BCB manual's example BR Code (CRC 1D3D)", () => {
    const key = '123e4567-e12b-12d1-a456-426655440000';
    expect(brCode({ key, name: 'Fulano de Tal', city: 'BRASILIA' })).toBe(
      `00020126580014br.gov.bcb.pix0136${key}5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D`,
    );
    expect(crc16('123456789')).toBe('29B1'); // the CRC's published check value
  });

  it('the spec lists exactly these types', () => {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
    const types: string[] = spec.components.schemas.QrCodeSchema.properties.type.enum;
    expect([...types].sort()).toEqual(TYPES.map((t) => t.type).sort());
  });

  it.each(TYPES)('$type: stored, answered per QrCodeSchema, listed again; a static code encodes it', async (c) => {
    const created = await api()('POST', '/qrcodes', { body: { type: c.type, ...c.payload, static: true } });
    expect(created.status, created.text).toBe(200);
    expect(created.body.type).toBe(c.type);
    expect(created.body.contentStatic).toBe(c.encoded);
    for (const [field, value] of Object.entries(c.payload)) {
      if (field === 'pix')
        expect(created.body).not.toHaveProperty('pix'); // not in the response schema
      else expect(created.body[field]).toEqual(value);
    }
    const listed = await api()('GET', `/qrcodes?type=${c.type}&search=${created.body.key}&withTags=true`);
    expect(listed.body).toEqual([created.body]);
  });

  it.each(TYPES)('$type: a dynamic code stores no static content; its short link shows the payload', async (c) => {
    const created = await api()('POST', '/qrcodes', { body: { type: c.type, ...c.payload } });
    expect(created.status, created.text).toBe(200);
    expect(created.body.contentStatic).toBeNull();
    expect(await linkContent(created.body.shortLink)).toBe(c.link ?? c.encoded);
  });

  it('an update merges over the stored payload and re-encodes the static content', async () => {
    const created = await api()('POST', '/qrcodes', { body: { type: 'pix', pix: PIX, static: true } });
    const updated = await api()('PUT', `/qrcodes/${created.body.id}`, { body: { pix: { ...PIX, amount: '99' } } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.contentStatic).toBe(brCode({ ...PIX, amount: '99' }));
    expect(updated.body).not.toHaveProperty('pix');
  });
});

describe("CodeQR's field names, and what it does with others", () => {
  it('unknown keys in a payload are accepted, stored and ignored: a wrong key encodes an empty string', async () => {
    const wrong = await api()('POST', '/qrcodes', {
      body: { type: 'email', email: { to: 'team@example.com' }, static: true },
    });
    expect(wrong.status, wrong.text).toBe(200);
    expect(wrong.body.email).toEqual({ to: 'team@example.com' });
    expect(wrong.body.contentStatic).toBe('');
    const bcc = await api()('POST', '/qrcodes', {
      body: { type: 'email', email: { email: 'a@x.io', bcc: 'b@x.io' }, static: true },
    });
    expect(bcc.body.contentStatic).toBe('mailto:a@x.io'); // `cco` is the BCC field; `bcc` is ignored
    const vcard = await api()('POST', '/qrcodes', {
      body: { type: 'vcard', vcard: { firstName: 'Ada', city: 'London' }, static: true },
    });
    // neither `firstName` nor a city without `address` is written (MCP l.153-157)
    expect(vcard.body.contentStatic).toBe(['BEGIN:VCARD', 'VERSION:3.0', 'N:;;;;', 'FN:', 'END:VCARD'].join('\r\n'));
  });

  it('non-string values in a string map are refused with 422 naming the field; so is a Wi-Fi code without ssid', async () => {
    const hidden = await api()('POST', '/qrcodes', { body: { type: 'wifi', wifi: { ssid: 'Cafe', isHidden: false } } });
    expect(hidden.status).toBe(422);
    expect(hidden.body.error).toMatchObject({ code: 'unprocessable_entity' });
    expect(hidden.body.error.message).toMatch(/^wifi\.isHidden: /);
    const amount = await api()('POST', '/qrcodes', { body: { type: 'crypto', crypto: { amount: 0.5 } } });
    expect(amount.status).toBe(422);
    expect(amount.body.error.message).toMatch(/^crypto\.amount: /);
    const noSsid = await api()('POST', '/qrcodes', { body: { type: 'wifi', wifi: { password: 'x' } } });
    expect(noSsid.status).toBe(422);
    expect(noSsid.body.error.message).toBe('wifi.ssid: is required when type is "wifi"');
  });

  it('wifi `isHidden` is a string and any non-empty one is truthy ("false" encodes H:true); `hidden` is ignored', async () => {
    const encode = async (wifi: Record<string, string>) =>
      (await api()('POST', '/qrcodes', { body: { type: 'wifi', wifi, static: true } })).body.contentStatic;
    expect(await encode({ ssid: 'Back', password: 'x', isHidden: 'false' })).toBe('WIFI:T:WPA;S:Back;P:x;H:true;;');
    expect(await encode({ ssid: 'Back', password: 'x', hidden: 'true' })).toBe('WIFI:T:WPA;S:Back;P:x;;');
    expect(await encode({ ssid: 'Open', encryption: 'nopass' })).toBe('WIFI:T:nopass;S:Open;;');
  });

  it('crypto: a static code reads the address from `email`, the display page from `address` (MCP l.176-181)', async () => {
    const onlyAddress = await api()('POST', '/qrcodes', { body: { type: 'crypto', crypto: CRYPTO, static: true } });
    expect(onlyAddress.body.contentStatic).toBe('');
    expect(await linkContent(onlyAddress.body.shortLink)).toBe(
      `bitcoin:${CRYPTO.address}?amount=0.01&message=Coffee%20%26%20cake`,
    );
    const onlyEmail = await api()('POST', '/qrcodes', {
      body: { type: 'crypto', crypto: { cryptocurrency: 'bitcoin', email: 'bc1qonly' } },
    });
    const page = await fetch(onlyEmail.body.shortLink);
    expect(await page.text()).toContain('No crypto payment information available');
  });

  it('latlog coordinates may be latitude/longitude, lat/lng or one latLog "lat,lng" (keys unverified upstream)', async () => {
    for (const latlog of [{ lat: '48.8584', lng: '2.2945' }, { latLog: '48.8584, 2.2945' }]) {
      const res = await api()('POST', '/qrcodes', { body: { type: 'latlog', latlog, static: true } });
      expect(res.body.contentStatic).toBe('geo:48.8584,2.2945');
    }
  });

  it('a geo code cannot carry coordinates in `geo` (country targeting, country-code keys only): 422', async () => {
    const res = await api()('POST', '/qrcodes', {
      body: { type: 'geo', geo: { latLog: '48.8584,2.2945' } },
      skip: ['request'],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^geo\.latLog: /);
  });

  it('useDisplayPage: false sends phone, email and sms scans straight to tel:, mailto: and sms: (spec)', async () => {
    const direct = async (body: Record<string, unknown>) => {
      const created = await api()('POST', '/qrcodes', { body: { ...body, useDisplayPage: false } });
      return linkContent(created.body.shortLink);
    };
    expect(await direct({ type: 'phone', phone: '+1 555 0100' })).toBe(`${STANDARD.redirect}tel:+15550100`);
    expect(await direct({ type: 'email', email: { email: 'a@x.io', subject: 'Hi' } })).toBe(
      `${STANDARD.redirect}mailto:a@x.io?subject=Hi`,
    );
    expect(await direct({ type: 'sms', sms: { tel: '+1 555 0100', subject: 'Table 4' } })).toBe(
      `${STANDARD.redirect}sms:+15550100?body=Table%204`,
    );
  });
});

describe('the standard payload style (--standard-payloads): the intended formats, without upstream bugs', () => {
  it.each([
    { type: 'geo', payload: { latlog: POINT }, encoded: 'geo:-23.5505,-46.6333' },
    { type: 'facetime', payload: { facetime: { number: '+1 555 0100' } }, encoded: 'facetime:+15550100' },
    { type: 'facetime', payload: { facetime: { email: 'a@x.io', type: 'audio' } }, encoded: 'facetime-audio:a@x.io' },
    {
      type: 'crypto',
      payload: { crypto: CRYPTO },
      encoded: `bitcoin:${CRYPTO.address}?amount=0.01&message=Coffee%20%26%20cake`,
    },
    // the work number (`telephone`) in the static vCard too, as the display page writes it
    { ...TYPES.find((t) => t.type === 'vcard')!, encoded: TYPES.find((t) => t.type === 'vcard')!.link! },
  ])('$type: $encoded', async (c) => {
    ctx.sb.behaviour.payloads = 'standard';
    const res = await api()('POST', '/qrcodes', { body: { type: c.type, ...c.payload, static: true } });
    expect(res.body.contentStatic).toBe(c.encoded);
    expect(await linkContent(res.body.shortLink)).toBe(c.encoded);
  });

  it("a dynamic Pix code's link shows its BR Code instead of redirecting to the site root", async () => {
    ctx.sb.behaviour.payloads = 'standard';
    const res = await api()('POST', '/qrcodes', { body: { type: 'pix', pix: PIX } });
    expect(await linkContent(res.body.shortLink)).toBe(brCode(PIX));
  });
});

describe('property: random payloads encode as the standards say (seeded)', () => {
  it.each(propertySeeds('sandbox payloads', [1, 20261206]))('seed %i: vCard, Wi-Fi and Pix', async (seed) => {
    const random = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const word = (alphabet: string, max: number) => {
      const out = Array.from({ length: 1 + Math.floor(random() * max) }, () => pick([...alphabet])).join('');
      return out.trim() ? out : `x${out}`;
    };
    const tricky = 'abcXYZ019 ;,:\\"é-.@';
    const maybe = (value: string) => (random() < 0.7 ? value : undefined);
    const cases: Array<{ body: Record<string, unknown>; expected: string }> = [];
    for (let i = 0; i < 30; i += 1) {
      const vcard = Object.fromEntries(
        ['name', 'surname', 'phone', 'email', 'website', 'address', 'city', 'state', 'zipcode', 'country']
          .map((k) => [k, maybe(word(tricky, 12))])
          .filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      cases.push({ body: { type: 'vcard', vcard }, expected: vcard3(vcard) });
      const wifi = {
        ssid: word(tricky, 16),
        ...(random() < 0.7 ? { password: word(tricky, 16) } : {}),
        ...(random() < 0.6 ? { encryption: pick(['WPA', 'wpa2', 'WEP', 'nopass']) } : {}),
        ...(random() < 0.3 ? { isHidden: pick(['true', 'false', '1']) } : {}),
      };
      cases.push({ body: { type: 'wifi', wifi }, expected: wifiText({ ...wifi, hidden: 'isHidden' in wifi }) });
      const pix = {
        key: `${word('abcdefgh', 10)}@example.com`,
        name: word('ABCDEFGHIJ', 25).trim(),
        city: word('KLMNOPQRST', 15).trim(),
        ...(random() < 0.6 ? { amount: (Math.floor(random() * 100_000) / 100 + 0.01).toString() } : {}),
        ...(random() < 0.5 ? { description: word('abc 123', 30).trim() } : {}),
      };
      cases.push({ body: { type: 'pix', pix }, expected: brCode(pix) });
    }
    for (let i = 0; i < cases.length; i += 90) {
      const batch = cases.slice(i, i + 90);
      const res = await api()('POST', '/qrcodes/bulk', { body: batch.map((c) => ({ ...c.body, static: true })) });
      expect(res.status, res.text).toBe(200);
      expect(res.body.map((qr: { contentStatic: string }) => qr.contentStatic)).toEqual(batch.map((c) => c.expected));
    }
  });
});
