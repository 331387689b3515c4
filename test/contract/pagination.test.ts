import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Call, type ContractSandbox, startContractSandbox } from './harness.ts';

// Pagination, sorting and filters of GET /qrcodes (brief, "Basics": bare arrays, 1-based `page` + `pageSize`, max and
// default 100, no total: stop on a short page), and uniqueness conflicts for single and bulk creates (brief, "QR
// codes": bulk answers an array in order where each item is a QR code or `{qrcode, error, code}`).
// The sandbox runs on a controlled clock so createdAt values are distinct and orderings are exact.

const KEY = 'k_page';
let clock = Math.floor(Date.now() / 1000) * 1000;
let ctx: ContractSandbox;
let api: Call;

interface Qr {
  id: string;
  key: string;
  domain: string;
  createdAt: string;
  scans: number;
  lastClicked: string | null;
  externalId: string | null;
}

const BULK_TOTAL = 150;
let t0: number;
let tag: { id: string };
let folder: { id: string };
let c1: Qr;
let c2: Qr;
let c3: Qr;

const create = async (body: Record<string, unknown>): Promise<Qr> => {
  const res = await api('POST', '/qrcodes', { body: { type: 'url', ...body } });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

const list = async (query: string): Promise<Qr[]> => {
  const res = await api('GET', `/qrcodes?${query}`);
  expect(res.status, res.text).toBe(200);
  expect(Array.isArray(res.body)).toBe(true);
  return res.body;
};

/** Every page until a short one, the way a client must paginate (no total, no cursor). */
const all = async (query: string, pageSize: number): Promise<Qr[]> => {
  const rows: Qr[] = [];
  for (let page = 1; ; page++) {
    const chunk = await list(`${query}&page=${page}&pageSize=${pageSize}`);
    rows.push(...chunk);
    if (chunk.length < pageSize) return rows;
  }
};

beforeAll(async () => {
  ctx = await startContractSandbox({ keys: [{ key: KEY, plan: 'business' }], windowMs: 60_000, now: () => clock });
  api = ctx.call(KEY);
  tag = (await api('POST', '/tags', { body: { name: 'promo', color: 'blue' } })).body;
  folder = (await api('POST', '/folders', { body: { name: 'Spring' } })).body;
  t0 = clock;
  const items = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'url',
      url: `https://example.com/p/${from + i}`,
      externalId: `p-${from + i}`,
    }));
  // exactly 100 in one bulk request is allowed
  const first = await api('POST', '/qrcodes/bulk', { body: items(0, 100) });
  expect(first.status).toBe(200);
  expect(first.body.filter((q: { id?: string }) => q.id)).toHaveLength(100);
  const second = await api('POST', '/qrcodes/bulk', { body: items(100, BULK_TOTAL - 100) });
  expect(second.body.filter((q: { id?: string }) => q.id)).toHaveLength(BULK_TOTAL - 100);
  clock += 1000;
  c1 = await create({ url: 'https://example.com/single-1', title: 'Needle in a haystack' });
  clock += 1000;
  c2 = await create({ url: 'https://example.com/single-2', tagIds: [tag.id] });
  clock += 1000;
  c3 = await create({ url: 'https://example.com/single-3', folderId: folder.id, domain: 'codeqr.link' });
  clock += 1000;
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const TOTAL = BULK_TOTAL + 3;

describe('pagination edges', () => {
  it('pageSize=100 (the maximum) is accepted; pageSize=101 is a 422', async () => {
    expect(await list('pageSize=100')).toHaveLength(100);
    expect((await list('page=2&pageSize=100')).length).toBe(TOTAL - 100);
    const res = await api('GET', '/qrcodes?pageSize=101');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'unprocessable_entity',
      message: expect.stringMatching(/^pageSize: /),
    });
    expect((await api('GET', '/qrcodes?pageSize=0')).status).toBe(422);
    expect((await api('GET', '/qrcodes?page=0')).status).toBe(422);
  });

  it('defaults to page 1 and pageSize 100', async () => {
    const page = await list('');
    expect(page).toHaveLength(100);
    expect(page.map((q) => q.id)).toEqual((await list('page=1&pageSize=100')).map((q) => q.id));
  });

  it('a page past the end is an empty array', async () => {
    expect(await list('page=3&pageSize=100')).toEqual([]);
    expect(await list('page=9999&pageSize=10')).toEqual([]);
  });

  it('an exact multiple of pageSize ends with a full page, then an empty one', async () => {
    const search = 'search=example.com/p/';
    expect((await api('GET', `/qrcodes/count?${search}`)).body).toBe(BULK_TOTAL);
    for (const pageSize of [50, 75]) {
      const pages = [];
      for (let page = 1; page <= BULK_TOTAL / pageSize + 1; page++)
        pages.push(await list(`${search}&page=${page}&pageSize=${pageSize}`));
      expect(pages.map((p) => p.length)).toEqual([...Array(BULK_TOTAL / pageSize).fill(pageSize), 0]);
      const ids = pages.flat().map((q) => q.id);
      expect(new Set(ids).size).toBe(BULK_TOTAL);
    }
  });

  it('walking every page yields each QR code exactly once, in the same order as one big page', async () => {
    const walked = await all('sort=createdAt', 7);
    expect(walked).toHaveLength(TOTAL);
    expect(new Set(walked.map((q) => q.id)).size).toBe(TOTAL);
    const big = [...(await list('pageSize=100')), ...(await list('page=2&pageSize=100'))];
    expect(walked.map((q) => q.id)).toEqual(big.map((q) => q.id));
  });
});

describe('sorting (always descending)', () => {
  beforeAll(async () => {
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    const scans = async (qr: Qr, timestamps: string[]) => {
      const res = await ctx.control(KEY, 'POST', '/scans', { qrCodeId: qr.id, timestamps });
      expect(res.status, res.text).toBe(200);
    };
    // scans: c3 9 > c1 5 > c2 2; lastClicked: c2 (+20 min) > c1 (+10) > c3 (+5)
    await scans(c1, [at(1), at(2), at(3), at(4), at(10)]);
    await scans(c2, [at(1), at(20)]);
    await scans(c3, [...Array(8).fill(at(1)), at(5)]);
  });

  it('sort=createdAt (default): newest first', async () => {
    expect((await list('pageSize=3')).map((q) => q.id)).toEqual([c3.id, c2.id, c1.id]);
    expect((await list('sort=createdAt&pageSize=3')).map((q) => q.id)).toEqual([c3.id, c2.id, c1.id]);
    const everything = await all('sort=createdAt', 100);
    const times = everything.map((q) => Date.parse(q.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(everything.at(-1)!.createdAt).toBe(new Date(t0).toISOString());
  });

  it('sort=scans: most scanned first', async () => {
    expect((await list('sort=scans&pageSize=3')).map((q) => [q.id, q.scans])).toEqual([
      [c3.id, 9],
      [c1.id, 5],
      [c2.id, 2],
    ]);
    const scans = (await all('sort=scans', 100)).map((q) => q.scans);
    expect(scans).toEqual([...scans].sort((a, b) => b - a));
  });

  it('sort=lastClicked: most recently scanned first, never-scanned last', async () => {
    const rows = await all('sort=lastClicked', 100);
    expect(rows.slice(0, 3).map((q) => q.id)).toEqual([c2.id, c1.id, c3.id]);
    expect(rows[0]!.lastClicked).toBe(new Date(t0 + 20 * 60_000).toISOString());
    expect(rows.slice(3).every((q) => q.lastClicked === null)).toBe(true);
  });

  it('an unknown sort is a 422', async () => {
    const res = await api('GET', '/qrcodes?sort=title');
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^sort: /);
  });
});

describe('filters (list and count agree)', () => {
  const check = async (query: string, expected: Qr[]) => {
    const rows = await all(query, 100);
    expect(rows.map((q) => q.id).sort()).toEqual(expected.map((q) => q.id).sort());
    expect((await api('GET', `/qrcodes/count?${query}`)).body).toBe(expected.length);
  };

  it('search matches key, title and destination URL', async () => {
    await check('search=needle', [c1]);
    await check('search=single-2', [c2]);
    await check(`search=${c3.key}`, [c3]);
  });

  it('domain', async () => {
    await check('domain=codeqr.link', [c3]);
    expect((await api('GET', `/qrcodes/count?domain=${encodeURIComponent(ctx.sb.linkDomain)}`)).body).toBe(TOTAL - 1);
  });

  it('tagIds', async () => {
    await check(`tagIds=${tag.id}`, [c2]);
    await check('tagIds=tag_unknown', []);
  });

  it('folderId', async () => {
    await check(`folderId=${folder.id}`, [c3]);
  });

  it('createdAfter (exclusive)', async () => {
    await check(`createdAfter=${new Date(t0 + 1500).toISOString()}`, [c2, c3]);
    await check(`createdAfter=${new Date(t0 + 1000).toISOString()}`, [c2, c3]);
    await check(`createdAfter=${new Date(t0 + 999).toISOString()}`, [c1, c2, c3]);
  });

  it('filters combine with pagination', async () => {
    const rows = await list(`createdAfter=${new Date(t0 + 500).toISOString()}&page=2&pageSize=2`);
    expect(rows.map((q) => q.id)).toEqual([c1.id]);
  });
});

describe('uniqueness conflicts', () => {
  it('single create: duplicate externalId and duplicate domain+key are 409 conflict; nothing is created', async () => {
    const before = (await api('GET', '/qrcodes/count')).body;
    const ext = await api('POST', '/qrcodes', { body: { type: 'url', url: 'https://e.com/x', externalId: 'p-0' } });
    expect(ext.status).toBe(409);
    expect(ext.body.error.code).toBe('conflict');
    const key = await api('POST', '/qrcodes', { body: { type: 'url', url: 'https://e.com/y', key: c1.key } });
    expect(key.status).toBe(409);
    expect((await api('GET', '/qrcodes/count')).body).toBe(before);
  });

  it('update: taking another QR code externalId or short link is 409 conflict', async () => {
    const ext = await api('PUT', `/qrcodes/${c1.id}`, { body: { externalId: 'p-1' } });
    expect(ext.status).toBe(409);
    expect(ext.body.error.code).toBe('conflict');
    const key = await api('PUT', `/qrcodes/${c1.id}`, { body: { key: c2.key } });
    expect(key.status).toBe(409);
    const own = await api('PUT', '/qrcodes/ext_p-2', { body: { externalId: 'p-2' } });
    expect(own.status).toBe(200);
  });

  it('bulk: in-batch and existing duplicates fail in place as {qrcode, error, code: conflict}; the rest are created', async () => {
    const before = (await api('GET', '/qrcodes/count')).body;
    const items = [
      { type: 'url', url: 'https://example.com/u/1', externalId: 'u-1' },
      { type: 'url', url: 'https://example.com/u/1b', externalId: 'u-1' }, // duplicate inside the batch
      { type: 'url', url: 'https://example.com/u/p0', externalId: 'p-0' }, // duplicate of an existing QR code
      { type: 'url', url: 'https://example.com/u/2', externalId: 'u-2', key: 'u-key' },
      { type: 'url', url: 'https://example.com/u/3', key: 'u-key' }, // duplicate short link inside the batch
      { type: 'url', url: 'https://example.com/u/4', key: c1.key }, // duplicate of an existing short link
      { type: 'url', url: 'not a url' }, // invalid item
      { type: 'url', url: 'https://example.com/u/5' },
    ];
    const res = await api('POST', '/qrcodes/bulk', { body: items });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(items.length);
    const [a, dupBatch, dupExisting, b, dupKeyBatch, dupKeyExisting, invalid, c] = res.body;
    expect(a).toMatchObject({ id: expect.any(String), externalId: 'u-1' });
    expect(b).toMatchObject({ id: expect.any(String), externalId: 'u-2', key: 'u-key' });
    expect(c).toMatchObject({ id: expect.any(String), url: 'https://example.com/u/5' });
    for (const [item, index, field] of [
      [dupBatch, 1, /externalId/],
      [dupExisting, 2, /externalId/],
      [dupKeyBatch, 4, /key/],
      [dupKeyExisting, 5, /key/],
    ] as const) {
      expect(item).toEqual({ qrcode: items[index], error: expect.stringMatching(field), code: 'conflict' });
    }
    expect(invalid).toEqual({ qrcode: items[6], error: expect.stringMatching(/url/i), code: 'unprocessable_entity' });
    expect((await api('GET', '/qrcodes/count')).body).toBe(before + 3);
    const u1 = await api('GET', '/qrcodes/info?externalId=ext_u-1', { skip: ['request'] }); // brief: info by externalId
    expect(u1.body.url).toBe('https://example.com/u/1');
    const p0 = await api('GET', '/qrcodes/info?externalId=ext_p-0', { skip: ['request'] });
    expect(p0.body.url).toBe('https://example.com/p/0');
  });

  it('bulk of more than 100 items is a 422 and creates nothing', async () => {
    const before = (await api('GET', '/qrcodes/count')).body;
    const body = Array.from({ length: 101 }, (_, i) => ({ type: 'url', url: `https://example.com/over/${i}` }));
    const res = await api('POST', '/qrcodes/bulk', { body });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable_entity');
    expect((await api('GET', '/qrcodes/count')).body).toBe(before);
    const empty = await api('POST', '/qrcodes/bulk', { body: [] });
    expect(empty.status).toBe(422);
  });

  it('bulk delete of more than 100 ids is a 422', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `cm_${i}`).join(',');
    const res = await api('DELETE', `/qrcodes/bulk?qrcodeIds=${ids}`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable_entity');
  });
});
