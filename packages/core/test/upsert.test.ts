import { getOperation } from '@codeqr-integrations/core';
import { createFetchTransport } from '@codeqr-integrations/core/fetch';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from './support/sandbox.ts';

// Upsert, one or many: `unchanged` writes nothing (values compared as CodeQR means them), URL matches found wherever
// they are, `ext_`-prefixed externalIds, tags read whichever way CodeQR answers `withTags`, and bulk upsert exactly
// once and cheap.

const KEY = 'codeqr_test_upsert';
const env = useSandbox({ key: KEY, seed: 5 });
const { exchanges, client, fault } = env;
const writes = () => exchanges.filter((x) => x.method !== 'GET');
const requests = () => exchanges.length;

beforeEach(() => {
  env.sb.behaviour.bulkAnswers = 'docs';
  env.sb.behaviour.withTags = 'docs';
});

describe('externalIds that begin with ext_', () => {
  it('upsert, get and update work with them: the prefix only marks the query parameter', async () => {
    const c = client();
    const a = await c.qrcodes.upsert({ url: 'https://example.com/x', externalId: 'ext_abc', title: 'One' });
    expect(a.action).toBe('created');
    expect(exchanges.find((x) => x.path === '/qrcodes/info')?.query.externalId).toEqual(['ext_ext_abc']);
    expect((await c.qrcodes.upsert({ url: 'https://example.com/x', externalId: 'ext_abc', title: 'One' })).action).toBe(
      'unchanged',
    );
    expect((await c.qrcodes.get({ externalId: 'ext_abc' })).id).toBe(a.qrCode.id);
    const b = await c.qrcodes.upsert({ url: 'https://example.com/x', externalId: 'ext_abc', title: 'Two' });
    expect(b).toMatchObject({ action: 'updated', qrCode: { id: a.qrCode.id, title: 'Two' } });
    expect(await c.qrcodes.count()).toBe(1);
  });
});

describe('unchanged means no write', () => {
  it('the same content in another key order, tags as text, colours and dates written differently', async () => {
    const c = client();
    await c.tags.create({ name: 'A' });
    await c.tags.create({ name: 'B' });
    const wifi = await c.qrcodes.create({
      type: 'wifi',
      externalId: 'wifi-1',
      wifi: { ssid: 'Cafe', password: 'secret', encryption: 'WPA' },
      tagNames: ['A', 'B'],
    });
    await c.qrcodes.create({
      url: 'https://example.com/geo',
      externalId: 'geo-1',
      geo: { FR: 'https://example.com/fr', DE: 'https://example.com/de' },
      fgColor: '#112233',
      frameColor: 'RebeccaPurple',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    exchanges.length = 0;
    const again = [
      await c.qrcodes.upsert({
        type: 'wifi',
        externalId: 'wifi-1',
        wifi: { encryption: 'WPA', password: 'secret', ssid: 'Cafe' },
        tagNames: 'A,B',
      } as never),
      await c.qrcodes.upsert({
        type: 'wifi',
        externalId: 'wifi-1',
        wifi: { ssid: 'Cafe', encryption: 'WPA', password: 'secret' },
        tagNames: ['b', 'a'],
      } as never),
      await c.qrcodes.upsert({
        url: 'https://example.com/geo',
        externalId: 'geo-1',
        geo: { DE: 'https://example.com/de', FR: 'https://example.com/fr' },
        bgColor: '#FFF',
        fgColor: '#112233FF',
        frameColor: '#663399',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    ];
    expect(again.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again[0]!.qrCode.id).toBe(wifi.id);
    expect(writes()).toEqual([]);
    // a real difference is still written, and only it
    const changed = await c.qrcodes.upsert({
      type: 'wifi',
      externalId: 'wifi-1',
      wifi: { ssid: 'Cafe', password: 'secret', encryption: 'WPA' },
      tagNames: 'A',
    } as never);
    expect(changed.action).toBe('updated');
    expect(writes().map((x) => x.body)).toEqual([{ tagNames: ['A'] }]);
  });

  it.each(['docs', 'dub'] as const)(
    'by URL, tags are compared whichever way CodeQR reads withTags (%s)',
    async (style) => {
      env.sb.behaviour.withTags = style;
      const c = client();
      await c.tags.create({ name: 'Menu' });
      await c.qrcodes.create({ url: 'https://example.com/untagged' });
      const qr = await c.qrcodes.create({ url: 'https://example.com/menu', tagNames: ['Menu'] });
      exchanges.length = 0;
      const r = await c.qrcodes.upsert({ url: 'https://example.com/menu', tagNames: ['Menu'] });
      expect(r).toMatchObject({ action: 'unchanged', qrCode: { id: qr.id, tags: [{ name: 'Menu' }] } });
      expect(writes()).toEqual([]);
      // and a list shows every code, each with its tags
      const listed = await c.qrcodes.list();
      expect(listed.map((q) => [q.url, (q.tags ?? []).map((t) => t.name)])).toEqual([
        ['https://example.com/menu', ['Menu']],
        ['https://example.com/untagged', []],
      ]);
    },
  );
});

describe('upsert by URL', () => {
  it('finds the exact URL however many newer codes share it as a prefix', async () => {
    const c = client();
    const old = await c.qrcodes.create({ url: 'https://example.com/p', title: 'Old' });
    const newer = await c.qrcodes.bulkCreate(
      Array.from({ length: 1050 }, (_, i) => ({ url: `https://example.com/p/${i}` })),
    );
    expect(newer.every((r) => r.ok)).toBe(true);
    const r = await c.qrcodes.upsert({ url: 'https://example.com/p', title: 'Old' });
    expect(r).toMatchObject({ action: 'unchanged', qrCode: { id: old.id } });
    expect(await c.qrcodes.count()).toBe(1051);
  });
});

describe('upsertMany', () => {
  it('one result per item in input order: created, updated, unchanged or why it failed', async () => {
    const c = client();
    await c.qrcodes.create({ url: 'https://example.com/1', externalId: 'sku-1', title: 'Same' });
    await c.qrcodes.create({ url: 'https://example.com/2', externalId: 'sku-2', title: 'Old' });
    const results = await c.qrcodes.upsertMany([
      { url: 'https://example.com/0', externalId: 'sku-0' },
      { url: 'https://example.com/1', externalId: 'sku-1', title: 'Same' },
      { url: 'https://example.com/2', externalId: 'sku-2', title: 'New' },
      { url: 'not a url', externalId: 'sku-3' },
      { url: 'https://example.com/4', externalId: 'sku-0' },
      { url: 'https://example.com/5' },
    ]);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.ok ? r.action : r.error.code))).toEqual([
      'created',
      'unchanged',
      'updated',
      'validation_error',
      'conflict',
      'created',
    ]);
    expect(results[3]).toMatchObject({ error: { field: 'items.3.url' } });
    expect(results[2]).toMatchObject({ qrCode: { title: 'New' } });
    expect(await c.qrcodes.count()).toBe(4);
  });

  it.each(['docs', 'dub'] as const)(
    'a 1,000-item catalogue: new costs ~10 bulk calls; rerun unchanged costs at most 15 requests and no write (%s-style)',
    async (style) => {
      env.sb.behaviour.bulkAnswers = style;
      env.sb.behaviour.withTags = style;
      const c = client();
      await c.tags.create({ name: 'Catalogue' });
      const catalogue = Array.from({ length: 1000 }, (_, i) => ({
        url: `https://example.com/item/${i}`,
        externalId: `item-${i}`,
        title: `Item ${i}`,
        tagNames: i % 2 ? ['Catalogue'] : [],
      }));
      exchanges.length = 0;
      const first = await c.qrcodes.upsertMany(catalogue);
      expect(first.every((r) => r.ok && r.action === 'created')).toBe(true);
      expect(exchanges.filter((x) => x.method === 'POST' && x.path === '/qrcodes/bulk')).toHaveLength(10);
      expect(requests()).toBeLessThanOrEqual(14);

      exchanges.length = 0;
      const rerun = await c.qrcodes.upsertMany(catalogue);
      expect(rerun.every((r) => r.ok && r.action === 'unchanged')).toBe(true);
      expect(writes()).toEqual([]);
      expect(requests()).toBeLessThanOrEqual(15);

      // one change in the catalogue is one PUT
      exchanges.length = 0;
      const edited = catalogue.map((item, i) => (i === 7 ? { ...item, title: 'Edited' } : item));
      const third = await c.qrcodes.upsertMany(edited);
      expect(third.filter((r) => r.ok && r.action === 'updated').map((r) => r.index)).toEqual([7]);
      expect(writes().map((x) => `${x.method} ${x.body ? JSON.stringify(x.body) : ''}`)).toEqual([
        'PUT {"title":"Edited"}',
      ]);
    },
  );

  it('a few items in a large project are looked up one by one, not by reading the project', async () => {
    const c = client();
    await c.qrcodes.bulkCreate(Array.from({ length: 500 }, (_, i) => ({ url: `https://example.com/big/${i}` })));
    await c.qrcodes.create({ url: 'https://example.com/known', externalId: 'known' });
    exchanges.length = 0;
    const results = await c.qrcodes.upsertMany([
      { url: 'https://example.com/known', externalId: 'known' },
      { url: 'https://example.com/fresh', externalId: 'fresh' },
      { url: 'https://example.com/big/3', title: 'By URL' },
    ]);
    expect(results.map((r) => (r.ok ? r.action : r.error.code))).toEqual(['unchanged', 'created', 'updated']);
    expect(exchanges.filter((x) => x.path === '/qrcodes/info')).toHaveLength(2);
    expect(exchanges.filter((x) => x.path === '/qrcodes').length).toBeLessThanOrEqual(3); // the one URL search
    expect(await c.qrcodes.count()).toBe(502);
  });

  it.each(['docs', 'dub'] as const)(
    'exactly once under lost answers, and outcome_unknown (then a safe rerun) when CodeQR cannot be asked (%s-style)',
    async (style) => {
      env.sb.behaviour.bulkAnswers = style;
      const c = client();
      const items = Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/m/${i}`, title: `M${i}` }));
      await fault('POST /qrcodes/bulk', 'drop', { count: 2 });
      const results = await c.qrcodes.upsertMany(items, { concurrency: 1 });
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(await c.qrcodes.count()).toBe(250);

      // matched by URL on the rerun: nothing to write
      exchanges.length = 0;
      const rerun = await c.qrcodes.upsertMany(items);
      expect(rerun.every((r) => r.ok && r.action === 'unchanged')).toBe(true);
      expect(writes()).toEqual([]);

      // a lost answer whose reconciliation CodeQR cannot answer: outcome_unknown with the externalId, never a reject
      const more = Array.from({ length: 120 }, (_, i) => ({ url: `https://example.com/n/${i}`, externalId: `n-${i}` }));
      const http = createFetchTransport();
      let sent = false;
      const flaky = client({
        transport: async (request: Parameters<typeof http>[0]) => {
          if (request.method === 'GET' && sent) return { status: 500, headers: {}, body: '' };
          if (request.method === 'POST') sent = true;
          return http(request);
        },
      });
      await fault('POST /qrcodes/bulk', 'drop');
      const lost = await flaky.qrcodes.upsertMany(more, { concurrency: 1 });
      expect(lost).toHaveLength(120);
      expect(lost.slice(0, 100).map((r) => (r.ok ? r.action : `${r.error.code} ${r.error.externalId}`))).toEqual(
        more.slice(0, 100).map((item) => `outcome_unknown ${item.externalId}`),
      );
      expect(lost.slice(100).every((r) => r.ok && r.action === 'created')).toBe(true);
      const done = await c.qrcodes.upsertMany(more);
      expect(done.every((r) => r.ok && r.action === 'unchanged')).toBe(true);
      expect(await c.qrcodes.count()).toBe(370);
    },
  );

  it('updates whose answers are lost are retried (a PUT is idempotent) and reported updated once', async () => {
    const c = client();
    const items = Array.from({ length: 3 }, (_, i) => ({ url: `https://example.com/v/${i}`, externalId: `v-${i}` }));
    await c.qrcodes.upsertMany(items);
    await fault('PUT /qrcodes/*', 'drop', { count: 2 });
    exchanges.length = 0;
    const results = await c.qrcodes.upsertMany(items.map((item) => ({ ...item, title: 'Changed' })));
    expect(results.map((r) => (r.ok ? r.action : r.error.code))).toEqual(['updated', 'updated', 'updated']);
    expect(results.every((r) => r.ok && r.qrCode.title === 'Changed')).toBe(true);
    expect(exchanges.filter((x) => x.method === 'PUT')).toHaveLength(5);
    expect(await c.qrcodes.count()).toBe(3);
  });

  it('the registry operation upsertQrCodes runs it from host-style input', async () => {
    const c = client();
    const op = getOperation('upsertQrCodes');
    expect(op).toMatchObject({ resource: 'qrCode', verb: 'upsertMany', title: 'Create or Update QR Codes' });
    const out = await op.execute(c, {
      items: [{ url: 'https://example.com/op', externalId: 'op-1' }],
      matchBy: 'externalId',
    });
    expect(out).toMatchObject([{ index: 0, ok: true, action: 'created' }]);
    const again = await op.execute(c, { items: [{ url: 'https://example.com/op', externalId: 'op-1' }] });
    expect(again).toMatchObject([{ index: 0, ok: true, action: 'unchanged' }]);
  });
});

describe('two runs of the same items at once', () => {
  it.each(['docs', 'dub'] as const)(
    '300 items upserted twice concurrently: no duplicate, and each item is created by one run only (%s-style)',
    async (style) => {
      env.sb.behaviour.bulkAnswers = style;
      const items = Array.from({ length: 300 }, (_, i) => ({
        url: `https://example.com/race/${i}`,
        externalId: `race-${i}`,
        title: `Race ${i}`,
      }));
      // the two runs' lookups both find nothing: their bulk creates race
      const [a, b] = await Promise.all([client().qrcodes.upsertMany(items), client().qrcodes.upsertMany(items)]);
      const actions = [...a, ...b].map((r) => (r.ok ? r.action : r.error.code));
      const tally = Object.fromEntries(
        ['created', 'unchanged', 'updated'].map((x) => [x, actions.filter((y) => y === x).length]),
      );
      console.log(
        `[figure] 2 × 300 concurrent upsertMany (${style}): ${JSON.stringify(tally)}, codes ${await client().qrcodes.count()}`,
      );
      expect(actions.filter((x) => !['created', 'unchanged', 'updated'].includes(x))).toEqual([]);
      expect(await client().qrcodes.count()).toBe(300);
      // one created per item across both runs; the loser says unchanged (same content)
      for (let i = 0; i < 300; i++) {
        expect(
          [a[i], b[i]].filter((r) => r?.ok && r.action === 'created'),
          `item ${i}`,
        ).toHaveLength(1);
      }
      expect(tally).toEqual({ created: 300, unchanged: 300, updated: 0 });
    },
  );

  it('the loser whose content differs reports updated (or unchanged when it asks for less)', async () => {
    const items = Array.from({ length: 120 }, (_, i) => ({
      url: `https://example.com/r2/${i}`,
      externalId: `r2-${i}`,
    }));
    const theirs = items.map((item) => ({ ...item, title: 'Theirs' }));
    const [a, b] = await Promise.all([client().qrcodes.upsertMany(items), client().qrcodes.upsertMany(theirs)]);
    expect(await client().qrcodes.count()).toBe(120);
    for (let i = 0; i < 120; i++) {
      const pair = [a[i], b[i]].map((r) => (r?.ok ? r.action : r?.error.code)).sort();
      expect(pair[0], `item ${i}: ${pair.join(', ')}`).toBe('created');
      expect(['unchanged', 'updated'], `item ${i}: ${pair.join(', ')}`).toContain(pair[1]);
    }
  });
});

describe('what the sandbox is kinder about', () => {
  // Dub's list orders by `createdAt` alone (no tie-breaker), and codes made by one bulk share a timestamp, so offset
  // pages can shift under a full read: one code missing from a page, another one twice.
  it('a full read that sees fewer codes than count() said does not turn its misses into duplicates (match by URL)', async () => {
    const seeded = client();
    await seeded.qrcodes.bulkCreate(Array.from({ length: 5 }, (_, i) => ({ url: `https://example.com/tie/${i}` })));
    const http = createFetchTransport();
    const c = client({
      transport: async (request: Parameters<typeof http>[0]) => {
        const response = await http(request);
        const url = new URL(request.url);
        if (request.method !== 'GET' || url.pathname !== '/qrcodes' || url.searchParams.has('search')) return response;
        const rows = JSON.parse(response.body) as { id: string }[];
        if (rows.length < 2) return response;
        rows[rows.length - 1] = rows[0]!; // the unstable order: the last code is missed, the first one seen twice
        return { ...response, body: JSON.stringify(rows) };
      },
    });
    exchanges.length = 0;
    const results = await c.qrcodes.upsertMany(
      Array.from({ length: 5 }, (_, i) => ({ url: `https://example.com/tie/${i}` })),
      { matchBy: 'url' },
    );
    expect(results.map((r) => (r.ok ? r.action : r.error.code))).toEqual(Array(5).fill('unchanged'));
    expect(writes()).toEqual([]);
    expect(await c.qrcodes.count()).toBe(5);
  });

  // Dub's link schema strips a leading `ext_` from a created externalId (the sandbox stores it verbatim): a client
  // must find its code again either way.
  const dubStripsExt = () => {
    const http = createFetchTransport();
    const strip = (item: Record<string, unknown>) =>
      typeof item.externalId === 'string' && item.externalId.startsWith('ext_')
        ? { ...item, externalId: item.externalId.slice(4) }
        : item;
    return client({
      transport: async (request: Parameters<typeof http>[0]) => {
        if (request.method === 'POST' || request.method === 'PUT') {
          if (request.body) {
            const body = JSON.parse(request.body) as Record<string, unknown> | Record<string, unknown>[];
            request = { ...request, body: JSON.stringify(Array.isArray(body) ? body.map(strip) : strip(body)) };
          }
        }
        return http(request);
      },
    });
  };

  it.each(['docs', 'dub'] as const)(
    'an ext_ externalId that CodeQR stored without its prefix is found again: upsert, bulk and upsertMany (%s-style)',
    async (style) => {
      env.sb.behaviour.bulkAnswers = style;
      const c = dubStripsExt();
      const one = await c.qrcodes.upsert({ url: 'https://example.com/s', externalId: 'ext_sku-1', title: 'One' });
      expect(one.action).toBe('created');
      const again = await c.qrcodes.upsert({ url: 'https://example.com/s', externalId: 'ext_sku-1', title: 'One' });
      expect(again).toMatchObject({ action: 'unchanged', qrCode: { id: one.qrCode.id } });
      expect((await c.qrcodes.get({ externalId: 'ext_sku-1' })).id).toBe(one.qrCode.id);
      const bulk = await c.qrcodes.bulkCreate([
        { url: 'https://example.com/s2', externalId: 'ext_sku-2' },
        { url: 'https://example.com/s', externalId: 'ext_sku-1' },
      ]);
      expect(bulk.map((r) => (r.ok ? r.qrCode.url : r.error.code))).toEqual([
        'https://example.com/s2',
        'https://example.com/s',
      ]);
      const many = await c.qrcodes.upsertMany([
        { url: 'https://example.com/s', externalId: 'ext_sku-1', title: 'One' },
        { url: 'https://example.com/s2', externalId: 'ext_sku-2' },
        { url: 'https://example.com/s3', externalId: 'ext_sku-3' },
      ]);
      expect(many.map((r) => (r.ok ? r.action : r.error.code))).toEqual(['unchanged', 'unchanged', 'created']);
      expect(await c.qrcodes.count()).toBe(3);
    },
  );
});

describe.each(['docs', 'dub'] as const)('every Dub-style flag at once (%s)', (style) => {
  beforeEach(() => {
    env.sb.behaviour.bulkAnswers = style;
    env.sb.behaviour.withTags = style;
  });

  it('upsertMany by URL under lost answers, tagged and untagged codes mixed: exactly once, and the rerun writes nothing', async () => {
    const c = client();
    await c.tags.create({ name: 'T' });
    const items = Array.from({ length: 250 }, (_, i) => ({
      url: `https://example.com/mix/${i}`,
      tagNames: i % 3 ? ['T'] : [],
    }));
    await fault('POST /qrcodes/bulk', 'drop', { count: 2 });
    const first = await c.qrcodes.upsertMany(items, { concurrency: 2 });
    expect(first.filter((r) => !r.ok)).toEqual([]);
    expect(await c.qrcodes.count()).toBe(250);
    exchanges.length = 0;
    const rerun = await client().qrcodes.upsertMany(items);
    expect(rerun.filter((r) => !r.ok || r.action !== 'unchanged')).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('host-style input through the operations (padded id, numeric text, tags as text, #FFF, blank title) reruns unchanged', async () => {
    const c = client();
    await c.tags.create({ name: 'A' });
    await c.tags.create({ name: 'B' });
    const input = {
      url: 'https://example.com/host',
      externalId: ' h-1 ',
      size: '512',
      tagNames: 'A, B',
      bgColor: '#FFF',
      title: '',
    };
    expect(await getOperation('upsertQrCode').execute(c, input)).toMatchObject({ action: 'created' });
    exchanges.length = 0;
    expect(await getOperation('upsertQrCode').execute(c, input)).toMatchObject({ action: 'unchanged' });
    const many = await getOperation('upsertQrCodes').execute(c, { items: [input, { ...input, externalId: 'h-2' }] });
    expect(many).toMatchObject([
      { ok: true, action: 'unchanged' },
      { ok: true, action: 'created' },
    ]);
    expect(writes().map((x) => x.path)).toEqual(['/qrcodes/bulk']);
  });
});
