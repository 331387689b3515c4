import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ContractSandbox, startContractSandbox } from './harness.ts';
import { SPEC_PATH } from './spec.ts';

// Neither kinder nor stricter than CodeQR (sources per claim in packages/sandbox/README.md):
// tags only with withTags=true (spec), plans as users meet them (CodeQR's MCP server quoting CodeQR's repo; Dub's
// code), every spec value accepted, CodeQR's documented coercions and silences, Dub's ext_ and URL handling.
// Every exchange is validated against the spec, as in the other contract files.

let ctx: ContractSandbox;

beforeAll(async () => {
  ctx = await startContractSandbox({
    keys: [
      { key: 'k_biz', plan: 'business' },
      { key: 'k_free', plan: 'free' },
      { key: 'k_free2', plan: 'free' },
      { key: 'k_free3', plan: 'free' },
      { key: 'k_starter', plan: 'starter' },
      { key: 'k_pro', plan: 'pro' },
    ],
  });
});

afterEach(() => {
  ctx.sb.behaviour.quotas = true;
  ctx.sb.behaviour.withTags = 'docs';
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const biz = () => ctx.call('k_biz');
const url = (path: string) => ({ type: 'url', url: `https://example.com/${path}` });

describe('tags only with withTags=true (spec: "If should include tags in the response", default false)', () => {
  it('a list carries tags only when asked; create, update and info always carry them', async () => {
    const api = biz();
    await api('POST', '/tags', { body: { name: 'Menu' } });
    const created = await api('POST', '/qrcodes', { body: { ...url('tagged'), tagNames: ['Menu'] } });
    expect(created.body.tags.map((t: { name: string }) => t.name)).toEqual(['Menu']);
    const info = await api('GET', `/qrcodes/info?qrCodeId=${created.body.id}`, { skip: ['request'] });
    expect(info.body.tags).toHaveLength(1);

    const plain = (await api('GET', '/qrcodes?search=tagged')).body;
    expect(plain).toHaveLength(1);
    expect(plain[0].tags).toEqual([]);
    const asked = (await api('GET', '/qrcodes?search=tagged&withTags=true')).body;
    expect(asked[0].tags.map((t: { name: string }) => t.name)).toEqual(['Menu']);
    expect((await api('GET', '/qrcodes?search=tagged&withTags=false')).body[0].tags).toEqual([]);
  });

  it('tagNames items are names as sent: "A,B" is one (unknown) tag, never split into A and B', async () => {
    const api = biz();
    await api('POST', '/tags', { body: { name: 'Alpha' } });
    await api('POST', '/tags', { body: { name: 'Beta' } });
    const joined = await api('POST', '/qrcodes', { body: { ...url('joined'), tagNames: ['Alpha,Beta'] } });
    expect(joined.status).toBe(422);
    const split = await api('POST', '/qrcodes', { body: { ...url('split'), tagNames: ['Alpha', 'Beta'] } });
    expect(split.body.tags.map((t: { name: string }) => t.name).sort()).toEqual(['Alpha', 'Beta']);
  });

  it("Dub style (--dub-with-tags): tags always, and withTags=true lists only tagged codes (Dub's filter)", async () => {
    ctx.sb.behaviour.withTags = 'dub';
    const api = biz();
    await api('POST', '/qrcodes', { body: url('untagged-dub') });
    await api('POST', '/tags', { body: { name: 'DubTag' } });
    await api('POST', '/qrcodes', { body: { ...url('tagged-dub'), tagNames: 'DubTag' } });
    const all = (await api('GET', '/qrcodes?search=-dub')).body;
    expect(all).toHaveLength(2);
    expect(all.find((q: { url: string }) => q.url.endsWith('tagged-dub')).tags).toHaveLength(1);
    const asked = (await api('GET', '/qrcodes?search=-dub&withTags=true')).body;
    expect(asked.map((q: { url: string }) => q.url)).toEqual(['https://example.com/tagged-dub']);
    expect((await api('GET', '/qrcodes/count?search=-dub&withTags=true')).body).toBe(1);
  });
});

describe('plans as users meet them', () => {
  it("the Free plan's 11th QR code of the month: 403 forbidden, CodeQR's words", async () => {
    const api = ctx.call('k_free');
    for (let i = 0; i < 10; i++) expect((await api('POST', '/qrcodes', { body: url(`free/${i}`) })).status).toBe(200);
    const res = await api('POST', '/qrcodes', { body: url('free/10') });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'forbidden',
      message:
        'You have reached the monthly limit of 10 qrcodes on the Free plan. Please upgrade to add more QR Codes.',
    });
    // deleting does not give the month's allowance back
    const first = (await api('GET', '/qrcodes?pageSize=1')).body[0];
    await api('DELETE', `/qrcodes/${first.id}`);
    expect((await api('POST', '/qrcodes', { body: url('free/11') })).status).toBe(403);
    // quotas off (--no-quotas): the same request goes through
    ctx.sb.behaviour.quotas = false;
    expect((await api('POST', '/qrcodes', { body: url('free/12') })).status).toBe(200);
  });

  it('a bulk request that would overrun the quota: 403 exceeded_limit, nothing created (Dub bulk route)', async () => {
    const api = ctx.call('k_free2');
    const body = Array.from({ length: 11 }, (_, i) => url(`bulk-free/${i}`));
    const res = await api('POST', '/qrcodes/bulk', { body });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('exceeded_limit');
    expect(res.body.error.message).toMatch(/monthly limit of 10 qrcodes on the Free plan/);
    expect((await api('GET', '/qrcodes/count')).body).toBe(0);
    expect((await api('POST', '/qrcodes/bulk', { body: body.slice(0, 10) })).status).toBe(200);
  });

  it('password and expiry on Free: one 403 naming both, on create and update; Starter may', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const body = { ...url('gated'), password: 'secret', expiresAt };
    const message =
      'You can only use password protection and link expiration on a Starter plan. Upgrade to Starter to use these features.';
    const free = ctx.call('k_free3');
    const res = await free('POST', '/qrcodes', { body });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', message });
    const own = (await free('POST', '/qrcodes', { body: url('gated-plain') })).body;
    const update = await free('PUT', `/qrcodes/${own.id}`, { body: { password: 'x', expiresAt } });
    expect(update.body.error).toMatchObject({ code: 'forbidden', message });
    expect((await ctx.call('k_starter')('POST', '/qrcodes', { body })).status).toBe(200);
  });

  it('smart rules below Business, conversion tracking below Pro: 403 with the plan named', async () => {
    const rules = [{ attribute: 'country', operator: 'equals', value: 'BR', url: 'https://example.com/br' }];
    const pro = await ctx.call('k_pro')('POST', '/qrcodes', { body: { ...url('rules'), rules } });
    expect(pro.status).toBe(403);
    expect(pro.body.error.message).toBe(
      'Smart rules are available on the Business plan and above. Upgrade to Business to use this feature.',
    );
    const starter = await ctx.call('k_starter')('POST', '/qrcodes', { body: { ...url('tc'), trackConversion: true } });
    expect(starter.body.error.message).toMatch(/^You can only use conversion tracking on a Pro plan and above/);
    expect((await biz()('POST', '/qrcodes', { body: { ...url('rules-biz'), rules } })).status).toBe(200);
  });

  it('a gated item of a bulk request fails in place with code forbidden; the rest are created', async () => {
    const rules = [{ attribute: 'country', operator: 'equals', value: 'BR', url: 'https://example.com/br' }];
    const res = await ctx.call('k_pro')('POST', '/qrcodes/bulk', {
      body: [url('bulk-pro/0'), { ...url('bulk-pro/1'), rules }],
    });
    expect(res.status).toBe(200);
    expect(res.body[0].id).toEqual(expect.any(String));
    expect(res.body[1]).toMatchObject({ code: 'forbidden', error: expect.stringMatching(/^Smart rules/) });
  });

  it('/events below Business: 403 forbidden; tags and folders past Free: 403 exceeded_limit', async () => {
    const events = await ctx.call('k_pro')('GET', '/events?event=scans');
    expect(events.status).toBe(403);
    expect(events.body.error.code).toBe('forbidden');
    const free = ctx.call('k_free');
    for (let i = 0; i < 5; i++) expect((await free('POST', '/tags', { body: { name: `t${i}` } })).status).toBe(201);
    const tag = await free('POST', '/tags', { body: { name: 't5' } });
    expect(tag.status).toBe(403);
    expect(tag.body.error).toEqual(
      expect.objectContaining({
        code: 'exceeded_limit',
        message: 'You have reached the  limit of 5 tags on the Free plan. Please upgrade to add more tags.',
      }),
    );
    expect((await free('POST', '/folders', { body: { name: 'First' } })).status).toBe(201);
    const folder = await free('POST', '/folders', { body: { name: 'Second' } });
    expect(folder.body.error.code).toBe('exceeded_limit');
    ctx.sb.behaviour.quotas = false;
    expect((await ctx.call('k_pro')('GET', '/events?event=scans')).status).toBe(200);
    expect((await free('POST', '/tags', { body: { name: 't6' } })).status).toBe(201);
  });

  it("analytics windows: Free's message is CodeQR's, Starter refuses ytd (CodeQR's MCP notes)", async () => {
    const free = await ctx.call('k_free')('GET', '/analytics?event=scans&groupBy=count&interval=90d');
    expect(free.body.error.message).toBe(
      'You can only get analytics for up to 30 days on a free plan. Upgrade to Starter, Pro, or Business to get analytics for longer periods.',
    );
    expect((await ctx.call('k_starter')('GET', '/analytics?groupBy=count&interval=ytd')).status).toBe(403);
    expect((await ctx.call('k_starter')('GET', '/analytics?groupBy=count&interval=90d')).status).toBe(200);
  });
});

describe('every value the spec allows is accepted', () => {
  it('GET /analytics takes each spec event and groupBy (clicks/scans/views groupings answer 500, as CodeQR)', async () => {
    const document = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
    const params = document.paths['/analytics'].get.parameters as Array<{ name: string; schema: { enum: string[] } }>;
    const events: string[] = params.find((p) => p.name === 'event')!.schema.enum;
    const groupBys: string[] = [...new Set<string>(params.find((p) => p.name === 'groupBy')!.schema.enum)];
    expect(events).toEqual(expect.arrayContaining(['leads', 'composite']));
    expect(groupBys).toEqual(expect.arrayContaining(['cities', 'os', 'top_links']));
    const api = biz();
    for (const event of events) {
      expect((await api('GET', `/analytics?event=${event}&groupBy=count`)).status, event).toBe(200);
    }
    for (const groupBy of groupBys) {
      const res = await api('GET', `/analytics?event=scans&groupBy=${groupBy}&interval=7d`);
      expect(res.status, groupBy).toBe(['clicks', 'scans', 'views'].includes(groupBy) ? 500 : 200);
    }
  });

  it('GET /events takes each spec event; leads, sales and views have no rows here', async () => {
    const api = biz();
    for (const event of ['clicks', 'leads', 'sales', 'scans', 'views']) {
      expect((await api('GET', `/events?event=${event}`)).status, event).toBe(200);
    }
  });
});

describe('what the spec rejects is rejected', () => {
  it('frameTextStyles outside its enums or with unknown keys, and geo keys that are not country codes: 422', async () => {
    const api = biz();
    const styles = await api('POST', '/qrcodes', {
      body: { ...url('styles-bad'), frameTextStyles: { weight: 'heavy' } },
      skip: ['request'],
    });
    expect(styles.status).toBe(422);
    const extra = await api('POST', '/qrcodes', {
      body: { ...url('styles-extra'), frameTextStyles: { weight: 'bold', onclick: 'x' } },
      skip: ['request'],
    });
    expect(extra.status).toBe(422);
    const geo = await api('POST', '/qrcodes', {
      body: { ...url('geo-bad'), geo: { Brazil: 'https://example.com/br' } },
      skip: ['request'],
    });
    expect(geo.status).toBe(422);
    // what the spec allows still passes
    const ok = await api('POST', '/qrcodes', {
      body: {
        ...url('styles-ok'),
        frameTextStyles: { weight: 'bold', family: 'mono' },
        geo: { BR: 'https://example.com/br' },
      },
    });
    expect(ok.status).toBe(200);
  });
});

describe("CodeQR's coercions and silences", () => {
  it('an invalid colour becomes the default (spec: "Invalid values are coerced to default"); valid ones stay', async () => {
    const api = biz();
    const res = await api('POST', '/qrcodes', { body: { ...url('colour'), bgColor: 'banana', fgColor: 'rgb(1,2)' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bgColor: '#ffffff', fgColor: '#000000' });
    const kept = await api('POST', '/qrcodes', { body: { ...url('colour2'), bgColor: 'Ivory', fgColor: '#1a2b3c' } });
    expect(kept.body).toMatchObject({ bgColor: 'Ivory', fgColor: '#1a2b3c' });
    const update = await api('PUT', `/qrcodes/${kept.body.id}`, { body: { fgColor: 'not-a-colour' } });
    expect(update.body.fgColor).toBe('#000000');
    // the default again is no change at all
    const again = await api('PUT', `/qrcodes/${res.body.id}`, { body: { bgColor: 'banana' } });
    expect(again.body.updatedAt).toBe(res.body.updatedAt);
  });

  it('a wifi payload in an update of a URL code is accepted and changes nothing (CodeQR MCP notes)', async () => {
    const api = biz();
    const qr = (await api('POST', '/qrcodes', { body: url('wifi-ignored') })).body;
    const res = await api('PUT', `/qrcodes/${qr.id}`, { body: { wifi: { ssid: 'Cafe', encryption: 'WPA' } } });
    expect(res.status).toBe(200);
    expect(res.body.wifi).toBeNull();
    expect(res.body.updatedAt).toBe(qr.updatedAt);
    expect(res.body.type).toBe('url');
  });

  it("/qrcodes/info?externalId= without ext_ answers 400 as Dub's getLinkOrThrow does; with it, the code", async () => {
    const api = biz();
    await api('POST', '/qrcodes', { body: { ...url('ext'), externalId: 'sku-9' } });
    const bare = await api('GET', '/qrcodes/info?externalId=sku-9');
    expect(bare.status).toBe(400);
    expect(bare.body.error).toMatchObject({
      code: 'bad_request',
      message: 'Invalid externalId. Did you forget to prefix it with `ext_`?',
    });
    const ok = await api('GET', '/qrcodes/info?externalId=ext_sku-9', { skip: ['request'] });
    expect(ok.body.externalId).toBe('sku-9');
    expect((await api('GET', '/qrcodes/info?externalId=ext_nope', { skip: ['request'] })).status).toBe(404);
  });

  it("a URL without a scheme is normalised as Dub's getUrlFromString does", async () => {
    const api = biz();
    const bare = await api('POST', '/qrcodes', { body: { type: 'url', url: 'example.org' } });
    expect(bare.body.url).toBe('https://example.org/');
    const path = await api('POST', '/qrcodes', { body: { type: 'url', url: 'example.org/menu?x=1' } });
    expect(path.body.url).toBe('https://example.org/menu?x=1');
    const updated = await api('PUT', `/qrcodes/${bare.body.id}`, { body: { url: 'www.example.net' } });
    expect(updated.body.url).toBe('https://www.example.net/');
    expect((await api('POST', '/qrcodes', { body: { type: 'url', url: 'no dots here' } })).status).toBe(422);
  });
});

describe('burst scans (control API)', () => {
  it('stamps thousands of scans with one millisecond; /events pages through all of them', async () => {
    const api = biz();
    const qr = (await api('POST', '/qrcodes', { body: url('burst') })).body;
    const at = Date.now() - 60_000;
    const res = await ctx.control('k_biz', 'POST', '/scans', { qrCodeId: qr.id, count: 3000, timestamp: at });
    expect(res.status).toBe(200);
    expect(new Set(res.body.recorded.map((r: { timestamp: string }) => r.timestamp))).toEqual(
      new Set([new Date(at).toISOString()]),
    );
    const ids = new Set<string>();
    for (let page = 1; page <= 3; page++) {
      const rows = (await api('GET', `/events?event=scans&qrcodeId=${qr.id}&limit=1000&page=${page}`)).body;
      expect(rows).toHaveLength(1000);
      for (const row of rows) {
        expect(row.timestamp).toBe(new Date(at).toISOString());
        ids.add(row.click.id);
      }
    }
    expect(ids.size).toBe(3000);
  });
});
