/**
 * The app in Zapier's own test harness (`createAppTester`) against the sandbox: every trigger, create, search and
 * the search-or-create, with input as Zapier sends it (strings, '' for empty, line items), successive polls under
 * Zapier's id dedupe, and the errors a zap builder sees. Every request must be valid against CodeQR's spec.
 */
import { CodeQrError, createCodeQrClient } from '@codeqr-integrations/core';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zapier from 'zapier-platform-core';
import { addApiKey, BASE_URL_ENV } from '../src/client.ts';
import { RECONNECT_MESSAGE, toZapierError } from '../src/errors.ts';
import app from '../src/index.ts';

const keys = { business: 'zap_business', free: 'zap_free', readOnly: 'zap_readonly', dropdowns: 'zap_dropdowns' };
let sb: Sandbox & { requests: { method: string; path: string; body: unknown }[] };
const appTester = zapier.createAppTester(app);

type Item = Record<string, unknown>;

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing from the app definition');
  return value;
}
const c = (key: string) => must(app.creates[key]).operation.perform;
const t = (key: string) => must(app.triggers[key]).operation.perform;
const s = (key: string) => must(app.searches[key]).operation.perform;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({
    keys: [
      { key: keys.business, plan: 'business' },
      { key: keys.free, plan: 'free' },
      { key: keys.readOnly, plan: 'business', readOnly: true },
      { key: keys.dropdowns, plan: 'business' },
    ],
    seed: 9,
  });
  process.env[BASE_URL_ENV] = sb.url;
});
afterAll(async () => {
  delete process.env[BASE_URL_ENV];
  await sb?.close(); // also fails if any request was not valid against the official spec
}, 30_000);

/** One step, the way Zapier calls it. */
function run<T = Item>(perform: unknown, inputData: Item = {}, options: { key?: string; meta?: Item } = {}) {
  return appTester(
    perform as never,
    {
      authData: { apiKey: options.key ?? keys.business },
      inputData,
      meta: { isLoadingSample: false, isFillingDynamicDropdown: false, isPopulatingDedupe: false, ...options.meta },
    } as never,
  ) as Promise<T>;
}

async function scan(key: string, body: object) {
  expect((await sandboxControl(sb.url, key, '/scans', body)).status).toBe(200);
}

async function fault(key: string, rule: object) {
  expect((await sandboxControl(sb.url, key, '/faults', rule)).status).toBe(201);
}

async function clearFaults() {
  expect((await sandboxControl(sb.url, keys.business, '/faults', undefined, 'DELETE')).ok).toBe(true);
}

/**
 * What Zapier sends for a value mapped from an earlier step (say a sheet cell "A,B") into one field: a list field
 * (`list: true`) gets it as one item (`['A,B']`), any other field as the text itself.
 */
function mapped(createKey: string, fieldKey: string, text: string): unknown {
  const field = must(app.creates[createKey]).operation.inputFields?.find((f) => f.key === fieldKey);
  return must(field).list ? [text] : text;
}

/** Zapier's polling dedupe: an item surfaces the first time its `id` is seen, never again. */
function zapierDedupe() {
  const seen = new Set<string>();
  return {
    /** The first poll of a new zap only records what exists (isPopulatingDedupe). */
    prime(items: Item[]) {
      for (const item of items) seen.add(String(item.id));
    },
    fresh(items: Item[]): Item[] {
      const ids = items.map((i) => String(i.id));
      expect(new Set(ids).size, 'ids within one poll are unique').toBe(ids.length);
      const out = items.filter((i) => !seen.has(String(i.id)));
      for (const item of out) seen.add(String(item.id));
      return out;
    },
  };
}

/** Zapier errors carry JSON in their message: `{ message, code, status }` or `{ message, delay }`. */
async function failure(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => {
      throw new Error('expected the step to fail');
    },
    (e: unknown) => e,
  )) as Error;
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(error.message);
  } catch {
    body = { message: error.message };
  }
  return { name: error.name, ...body } as {
    name: string;
    message: string;
    code?: string;
    status?: number;
    delay?: number;
  };
}

describe('authentication', () => {
  it('tests the key with one cheap call and labels the connection with the project', async () => {
    const info = await run<{ project: string; domains: number }>(app.authentication.test);
    expect(info.project).toBe(sb.linkDomain);
    expect(info.domains).toBeGreaterThan(0);
    expect(app.authentication.connectionLabel).toBe('{{project}}');
  });

  it('a wrong key fails the test with a sentence saying what to do', async () => {
    const error = await failure(run(app.authentication.test, {}, { key: 'codeqr_wrong' }));
    expect(error.message).toMatch(/rejected this API key \(401\)/);
    expect(error.message).not.toContain('codeqr_wrong');
  });
});

describe('creates', () => {
  it('Create QR Code: Zapier strings and blanks go straight to core, nested fields un-nest', async () => {
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/menu',
      title: 'Menu',
      externalId: 'zap-create-1',
      size: '512',
      static: 'false',
      description: '',
    });
    expect(qr).toMatchObject({ url: 'https://example.com/menu', title: 'Menu', externalId: 'zap-create-1', size: 512 });
    expect(qr.shortLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+/);
    expect(Date.parse(String(qr.createdAt))).not.toBeNaN();

    const wifi = await run(c('createQrCode'), {
      type: 'wifi',
      wifi__ssid: 'Cafe Guest',
      wifi__password: 'espresso42',
      wifi__encryption: 'WPA2',
    });
    expect(wifi).toMatchObject({ type: 'wifi' });
  });

  it('Update QR Code by ID or by ext_<External ID>; empty fields stay as they are', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/a', externalId: 'zap-upd' });
    const updated = await run(c('updateQrCode'), { id: qr.id, title: 'Renamed', url: '' });
    expect(updated).toMatchObject({ id: qr.id, title: 'Renamed', url: 'https://example.com/a' });
    const byExt = await run(c('updateQrCode'), { id: 'ext_zap-upd', comments: 'via external id' });
    expect(byExt).toMatchObject({ id: qr.id, comments: 'via external id' });
  });

  it('Update QR Code empties the fields picked in Clear Fields (Zapier cannot send null)', async () => {
    const client = createCodeQrClient({ apiKey: keys.business, baseUrl: sb.url });
    await client.tags.create({ name: 'to-clear' });
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/clear',
      title: 'Keep me?',
      comments: 'internal',
      externalId: 'zap-clear',
      tagNames: 'to-clear',
    });
    expect(qr).toMatchObject({ title: 'Keep me?', comments: 'internal', tags: [expect.objectContaining({})] });
    // picked in the multi-select: one item per pick; blanks above stay as they are
    const cleared = await run(c('updateQrCode'), { id: qr.id, title: '', clearFields: ['title', 'tagNames'] });
    expect(cleared).toMatchObject({ id: qr.id, title: null, comments: 'internal', tags: [] });
    // mapped as text from an earlier step ("Comments, External ID" arrives as one item), by label
    const more = await run(c('updateQrCode'), { id: qr.id, clearFields: ['Comments, External ID'] });
    expect(more).toMatchObject({ id: qr.id, comments: null, externalId: null, url: 'https://example.com/clear' });
  });

  it('Update QR Code: a field both filled in and picked in Clear Fields fails, naming it, before anything is sent', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/clear-conflict', title: 'Stay' });
    const before = sb.requests.length;
    const error = await failure(run(c('updateQrCode'), { id: qr.id, title: 'New', clearFields: ['title'] }));
    expect(error).toMatchObject({ code: 'validation_error' });
    expect(error.message).toMatch(/Title: is filled in and also picked in Clear Fields/);
    const unknown = await failure(run(c('updateQrCode'), { id: qr.id, clearFields: ['Size'] }));
    expect(unknown.message).toMatch(/Clear Fields: "Size" is not a field that can be cleared/);
    expect(sb.requests.length).toBe(before);
  });

  it('a comma list mapped from an earlier step reaches CodeQR as separate items (tags, IDs)', async () => {
    const client = createCodeQrClient({ apiKey: keys.business, baseUrl: sb.url });
    await client.tags.create({ name: 'north' });
    await client.tags.create({ name: 'south' });
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/mapped-tags',
      tagNames: mapped('createQrCode', 'tagNames', 'north,south'),
    });
    const sent = sb.requests.filter((r) => r.method === 'POST' && r.path === '/qrcodes').pop();
    expect((must(sent).body as { tagNames?: unknown }).tagNames).toEqual(['north', 'south']);
    expect((qr.tags as { name: string }[]).map((t) => t.name).sort()).toEqual(['north', 'south']);

    const a = await run(c('createQrCode'), { url: 'https://example.com/ids/1' });
    const b = await run(c('createQrCode'), { url: 'https://example.com/ids/2' });
    const deleted = await run(c('bulkDeleteQrCodes'), {
      ids: mapped('bulkDeleteQrCodes', 'ids', `${a.id}, ${b.id}`),
    });
    expect(deleted).toEqual({ deletedCount: 2 });
  });

  it('Create or Update QR Code says created, unchanged or updated', async () => {
    const input = { url: 'https://example.com/upsert', externalId: 'zap-upsert', title: 'First' };
    expect(await run(c('upsertQrCode'), input)).toMatchObject({ action: 'created' });
    expect(await run(c('upsertQrCode'), input)).toMatchObject({ action: 'unchanged' });
    const changed = await run(c('upsertQrCode'), { ...input, title: 'Second' });
    expect(changed).toMatchObject({ action: 'updated', qrCode: { title: 'Second', externalId: 'zap-upsert' } });
  });

  it('Delete QR Code, then Find QR Code finds nothing (an empty list, not an error)', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/delete-me' });
    expect(await run(c('deleteQrCode'), { id: qr.id })).toEqual({ id: qr.id });
    expect(await run(s('getQrCode'), { id: qr.id })).toEqual([]);
  });

  it('Bulk Create QR Codes: one result per line; bad lines fail alone and the good ones are created', async () => {
    await run(c('createQrCode'), { url: 'https://example.com/taken', key: 'taken-key' });
    const result = await run<{ total: number; succeeded: number; failed: number; results: Item[] }>(
      c('bulkCreateQrCodes'),
      {
        items: [
          { url: 'https://example.com/p/1', externalId: 'sku-1', title: 'Product 1' },
          { url: 'not a url', externalId: 'sku-2' },
          { url: 'https://example.com/p/3', key: 'taken-key' },
          { url: 'https://example.com/p/4', bgColor: 'blurple' },
          { url: 'https://example.com/p/5', size: '256', tagNames: '' },
        ],
      },
    );
    expect(result).toMatchObject({ total: 5, succeeded: 2, failed: 3 });
    const [one, two, three, four, five] = result.results;
    expect(one).toMatchObject({ line: 1, status: 'created', externalId: 'sku-1', errorMessage: null });
    expect(two).toMatchObject({ line: 2, status: 'failed', externalId: 'sku-2', errorCode: 'validation_error' });
    expect(two?.errorMessage).toMatch(/Destination URL/);
    // core checks each line alone and names its own line and the field, relative to the line
    expect(two?.errorMessage).toMatch(/^Invalid item 2: Destination URL \(url\)/);
    expect(two?.errorField).toBe('Destination URL');
    expect(four?.errorMessage).toMatch(/^Invalid item 4: Background Color \(bgColor\)/);
    expect(three).toMatchObject({ line: 3, status: 'failed' });
    expect(String(three?.errorMessage)).toMatch(/taken-key|already/i);
    expect(four).toMatchObject({ line: 4, status: 'failed', errorCode: 'validation_error' });
    expect(four?.errorMessage).toMatch(/Background Color/);
    expect(four?.errorField).toBe('Background Color');
    expect(five).toMatchObject({ line: 5, status: 'created' });
    // the good lines really exist
    const found = await run<Item[]>(s('getQrCode'), { externalId: 'sku-1' });
    expect(found[0]).toMatchObject({ title: 'Product 1' });
  });

  it('replays are safe (the replay rule): Create and Bulk Create with the same External IDs answer the codes already there', async () => {
    const first = await run<Item>(c('createQrCode'), { url: 'https://example.com/replay', externalId: 'zap-replay' });
    const again = await run<Item>(c('createQrCode'), { url: 'https://example.com/replay', externalId: 'zap-replay' });
    expect(again.id).toBe(first.id);
    const lines = {
      items: [1, 2].map((i) => ({ url: `https://example.com/replay/${i}`, externalId: `zap-line-${i}` })),
    };
    const once = await run<{ results: Item[] }>(c('bulkCreateQrCodes'), lines);
    const twice = await run<{ results: Item[] }>(c('bulkCreateQrCodes'), lines);
    expect(once.results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(twice.results.map((r) => [r.status, r.id])).toEqual(once.results.map((r) => ['unchanged', r.id]));
  });

  it('Bulk Create with every line bad fails the step, naming each line', async () => {
    const error = await failure(
      run(c('bulkCreateQrCodes'), {
        items: [{ url: 'nope' }, { url: 'https://x.example', size: 'big' }],
      }),
    );
    expect(error.message).toMatch(/line 1: .*Destination URL/);
    expect(error.message).toMatch(/line 2: .*Size/);
  });

  it('Bulk Create with the lines mapped as JSON text: core reads it, same one-line-per-item output', async () => {
    const result = await run<{ total: number; succeeded: number; results: Item[] }>(c('bulkCreateQrCodes'), {
      items: JSON.stringify([{ url: 'https://example.com/json/1' }, { url: 'https://example.com/json/2' }]),
    });
    expect(result).toMatchObject({ total: 2, succeeded: 2 });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'created']);
  });

  it('Create or Update QR Codes (line items) reports created / updated per line', async () => {
    const first = await run<{ results: Item[] }>(c('upsertQrCodes'), {
      items: [
        { url: 'https://example.com/m/1', externalId: 'many-1' },
        { url: 'https://example.com/m/2', externalId: 'many-2' },
      ],
    });
    expect(first.results.map((r) => r.status)).toEqual(['created', 'created']);
    const second = await run<{ results: Item[] }>(c('upsertQrCodes'), {
      items: [
        { url: 'https://example.com/m/1', externalId: 'many-1' },
        { url: 'https://example.com/m/2b', externalId: 'many-2' },
        { url: 'bad', externalId: 'many-3' },
      ],
    });
    expect(second.results.map((r) => r.status)).toEqual(['unchanged', 'updated', 'failed']);
  });

  it('Delete QR Codes in Bulk takes a list of IDs', async () => {
    const a = await run(c('createQrCode'), { url: 'https://example.com/bd/1' });
    const b = await run(c('createQrCode'), { url: 'https://example.com/bd/2' });
    // Zapier joins mapped line items with commas into the one IDs field
    expect(await run(c('bulkDeleteQrCodes'), { ids: `${a.id},${b.id}` })).toEqual({ deletedCount: 2 });
  });
});

describe('searches and search-or-create', () => {
  it('Find QR Code by ID, External ID, or domain + key', async () => {
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/find',
      externalId: 'zap-find',
      key: 'find-me',
    });
    for (const input of [{ id: qr.id }, { externalId: 'zap-find' }, { domain: qr.domain, key: 'find-me' }]) {
      const found = await run<Item[]>(s('getQrCode'), input);
      expect(found, JSON.stringify(input)).toHaveLength(1);
      expect(found[0]).toMatchObject({ id: qr.id });
    }
    expect(await run(s('getQrCode'), { externalId: 'nobody' })).toEqual([]);
  });

  it('Find or Create QR Code: the search finds nothing, the create makes it, the search then finds it', async () => {
    const pair = must(app.searchOrCreates.getQrCode);
    expect(pair).toMatchObject({ search: 'getQrCode', create: 'createQrCode' });
    const input = { externalId: 'zap-foc' };
    expect(await run(s(pair.search), input)).toEqual([]);
    const created = await run(c(pair.create), {
      ...input,
      url: 'https://example.com/foc',
    });
    const found = await run<Item[]>(s('getQrCode'), input);
    expect(found[0]).toMatchObject({ id: created.id });
  });

  it('Find Scan Analytics: totals as one result, series as line items', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/stats' });
    await scan(keys.business, { qrCodeId: qr.id, count: 4 });
    const [count] = await run<Item[]>(s('getScanAnalytics'), { qrcodeId: qr.id, interval: '24h' });
    expect(count).toMatchObject({ scans: 4 });
    const [series] = await run<Item[]>(s('getScanAnalytics'), {
      qrcodeId: qr.id,
      groupBy: 'timeseries',
      interval: '24h',
    });
    expect(Array.isArray(series?.rows)).toBe(true);
  });
});

describe('triggers over successive polls (Zapier dedupes on id)', () => {
  it('New QR Code surfaces each new QR code once', async () => {
    const dedupe = zapierDedupe();
    dedupe.prime(await run<Item[]>(t('newQrCode'), {}, { meta: { isPopulatingDedupe: true } }));
    const a = await run(c('createQrCode'), { url: 'https://example.com/new/1' });
    const b = await run(c('createQrCode'), { url: 'https://example.com/new/2' });
    const second = dedupe.fresh(await run<Item[]>(t('newQrCode')));
    expect(second.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(dedupe.fresh(await run<Item[]>(t('newQrCode')))).toEqual([]);
  });

  it('New Scan surfaces each scan once, for one QR code picked in the dropdown', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/scanned' });
    const other = await run(c('createQrCode'), { url: 'https://example.com/other' });
    await scan(keys.business, { qrCodeId: qr.id, count: 2 });
    const dedupe = zapierDedupe();
    const first = await run<Item[]>(t('newScan'), { qrCodeId: qr.id });
    expect(first).toHaveLength(2);
    dedupe.prime(first);
    const at = new Date().toISOString();
    await scan(keys.business, { qrCodeId: qr.id, timestamps: [at, at, at], country: 'FR' });
    await scan(keys.business, { qrCodeId: other.id, count: 1 });
    const second = dedupe.fresh(await run<Item[]>(t('newScan'), { qrCodeId: qr.id }));
    expect(second).toHaveLength(3);
    expect(second.every((s) => s.qrCodeId === qr.id && s.country === 'FR')).toBe(true);
    expect(dedupe.fresh(await run<Item[]>(t('newScan'), { qrCodeId: qr.id }))).toEqual([]);
  });

  it('Updated Scan Count fires once per new total on a Free plan', async () => {
    const a = await run(c('createQrCode'), { url: 'https://example.com/count/a' }, { key: keys.free });
    const b = await run(c('createQrCode'), { url: 'https://example.com/count/b' }, { key: keys.free });
    const dedupe = zapierDedupe();
    dedupe.prime(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }));
    await scan(keys.free, { qrCodeId: a.id, count: 2 });
    await scan(keys.free, { qrCodeId: b.id, count: 1 });
    const second = dedupe.fresh(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }));
    expect(second.map((c) => c.qrCodeId).sort()).toEqual([a.id, b.id].sort());
    expect(dedupe.fresh(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }))).toEqual([]);
    await scan(keys.free, { qrCodeId: a.id, count: 3 });
    const third = dedupe.fresh(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }));
    expect(third).toEqual([expect.objectContaining({ qrCodeId: a.id, scans: 5 })]);
  });

  it('New Scan on a Free plan fails with CodeQR plan message', async () => {
    const error = await failure(run(t('newScan'), {}, { key: keys.free }));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/plan/i);
  });
});

describe('hidden dropdown triggers', () => {
  it('QR codes, a page at a time, as { id, name }', async () => {
    const client = createCodeQrClient({ apiKey: keys.dropdowns, baseUrl: sb.url });
    const results = await client.qrcodes.bulkCreate(
      Array.from({ length: 105 }, (_, i) => ({ url: `https://example.com/dd/${i}`, title: `Code ${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const dropdown = must(app.triggers.qrCodesDropdown).operation;
    expect(dropdown.canPaginate).toBe(true);
    const page0 = await run<Item[]>(dropdown.perform, {}, { key: keys.dropdowns, meta: { page: 0 } });
    const page1 = await run<Item[]>(dropdown.perform, {}, { key: keys.dropdowns, meta: { page: 1 } });
    expect(page0).toHaveLength(100);
    expect(page1).toHaveLength(5);
    expect(new Set([...page0, ...page1].map((o) => o.id)).size).toBe(105);
    expect(page0[0]).toEqual({ id: expect.any(String), name: expect.stringMatching(/^Code \d+ \(http/) });
  });

  it('domains, tags and folders', async () => {
    const client = createCodeQrClient({ apiKey: keys.dropdowns, baseUrl: sb.url });
    await client.tags.create({ name: 'spring' });
    await fetch(`${sb.url}/folders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.dropdowns}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Campaigns' }),
    });
    const opts = { key: keys.dropdowns, meta: { page: 0 } };
    expect(await run(t('domainsDropdown'), {}, opts)).toContainEqual({
      id: sb.linkDomain,
      name: sb.linkDomain,
    });
    expect(await run(t('tagsDropdown'), {}, opts)).toEqual([{ id: 'spring', name: 'spring' }]);
    expect(await run(t('foldersDropdown'), {}, opts)).toEqual([{ id: expect.any(String), name: 'Campaigns' }]);
  });
});

describe('errors a zap builder can act on', () => {
  it('401: reconnect the CodeQR account', async () => {
    const error = await failure(run(c('createQrCode'), { url: 'https://example.com' }, { key: 'bad' }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toContain(RECONNECT_MESSAGE);
    expect(error.message).not.toContain('Bearer');
  });

  it('a key pasted with a line break: one sentence saying to paste it again, and the key never shows', async () => {
    const broken = 'zap_busi\nness';
    for (const perform of [c('createQrCode'), app.authentication.test]) {
      const before = sb.requests.length;
      const error = await failure(run(perform, { url: 'https://example.com/broken-key' }, { key: broken }));
      expect(error.message).toMatch(/API key has a space, line break .* paste the key again/);
      expect(error.code).toBe('invalid_configuration');
      expect(error.message).not.toMatch(/zap_busi|ness|Bearer/);
      expect(sb.requests.length, 'nothing was sent').toBe(before);
    }
  });

  it('the key goes only to CodeQR’s own origin, never to a look-alike host', () => {
    const saved = process.env[BASE_URL_ENV];
    delete process.env[BASE_URL_ENV];
    try {
      const bundle = { authData: { apiKey: 'codeqr_k' } } as never;
      const add = (url: string) => addApiKey({ url }, {} as never, bundle).headers ?? {};
      expect(add('https://api.codeqr.io/qrcodes')).toEqual({ authorization: 'Bearer codeqr_k' });
      expect(add('https://api.codeqr.io.example.com/qrcodes')).toEqual({});
      expect(add('https://api.codeqr.io@example.com/qrcodes')).toEqual({});
      expect(add('https://zapier-dev-files.s3.amazonaws.com/x.png')).toEqual({});
    } finally {
      process.env[BASE_URL_ENV] = saved;
    }
  });

  it("core's own codes: invalid_configuration and outcome_unknown keep their message and code; throttles get a delay", () => {
    const z = { errors: zapier.errors } as never;
    const unknown = toZapierError(
      z,
      new CodeQrError({ code: 'outcome_unknown', message: 'No answer came back; run it again (it is safe).' }),
    ) as Error;
    expect(unknown.name).toBe('AppError');
    expect(JSON.parse(unknown.message)).toMatchObject({ code: 'outcome_unknown', message: /run it again/ });
    const config = toZapierError(z, new CodeQrError({ code: 'invalid_configuration', message: 'Bad setup.' })) as Error;
    expect(JSON.parse(config.message)).toMatchObject({ code: 'invalid_configuration', message: 'Bad setup.' });
    const throttled = toZapierError(
      z,
      new CodeQrError({ code: 'rate_limit_exceeded', message: 'Slow down.' }),
    ) as Error;
    expect(throttled.name).toBe('ThrottledError');
    expect(JSON.parse(throttled.message)).toMatchObject({ message: 'Slow down.', delay: 60 });
  });

  it("403: CodeQR's own message and code (a read-only key)", async () => {
    const error = await failure(run(c('createQrCode'), { url: 'https://example.com' }, { key: keys.readOnly }));
    expect(error).toMatchObject({ name: 'AppError', code: 'forbidden', status: 403 });
    expect(error.message).toMatch(/403/);
  });

  it('404: the QR code does not exist', async () => {
    const error = await failure(run(c('updateQrCode'), { id: 'cm_missing', title: 'x' }));
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('a bad field is named by its label before anything is sent', async () => {
    const error = await failure(run(c('createQrCode'), { url: 'example dot com', size: 'huge' }));
    expect(error.code).toBe('validation_error');
    expect(error.message).toMatch(/Destination URL/);
    expect(error.message).toMatch(/Size/);
    const nested = await failure(run(c('createQrCode'), { type: 'wifi', wifi__password: 'x' }));
    expect(nested.message).toMatch(/Wi-Fi\W+Network Name \(SSID\)/);
  });

  it('422 from CodeQR: its message, with the field', async () => {
    const error = await failure(
      run(s('getScanAnalytics'), { start: '2026-03-01T00:00:00Z', end: '2020-01-01T00:00:00Z' }),
    );
    expect(error).toMatchObject({ code: 'unprocessable_entity', status: 422 });
    expect(error.message).toBe('CodeQR rejected these fields (422): End: must be after start.');
  });

  it('429 with a long Retry-After: ThrottledError with CodeQR delay, so Zapier retries later', async () => {
    await fault(keys.business, { route: 'POST /qrcodes', mode: 'status', status: 429, retryAfter: 120, count: 1 });
    const error = await failure(run(c('createQrCode'), { url: 'https://example.com/throttled' }));
    expect(error.name).toBe('ThrottledError');
    expect(error.delay).toBe(120);
  });

  it('429 on a whole Bulk Create (nothing created): ThrottledError, so Zapier reruns the step later', async () => {
    for (const key of ['bulkCreateQrCodes', 'upsertQrCodes']) {
      // every QR-code request is turned away until the limit passes (lookups, creates, updates)
      await fault(keys.business, { route: '* /qrcodes*', mode: 'status', status: 429, retryAfter: 120, count: 100 });
      const error = await failure(
        run(c(key), {
          items: [
            { url: 'https://example.com/throttled/1', externalId: `thr-${key}-1` },
            { url: 'not a url', externalId: `thr-${key}-2` },
            { url: 'https://example.com/throttled/3', externalId: `thr-${key}-3` },
          ],
        }),
      );
      expect(error.name, key).toBe('ThrottledError');
      expect(error.delay).toBeGreaterThan(0);
      expect(error.message).toMatch(/rate limit turned away 2 of 3 lines and nothing was created/);
      await clearFaults();
      expect(await run(s('getQrCode'), { externalId: `thr-${key}-1` })).toEqual([]);
      // Zapier's rerun, once the limit has passed: the good lines are created, the bad one fails alone
      const rerun = await run<{ succeeded: number; failed: number }>(c(key), {
        items: [
          { url: 'https://example.com/throttled/1', externalId: `thr-${key}-1` },
          { url: 'not a url', externalId: `thr-${key}-2` },
          { url: 'https://example.com/throttled/3', externalId: `thr-${key}-3` },
        ],
      });
      expect(rerun, key).toMatchObject({ succeeded: 2, failed: 1 });
    }
  });

  it('429 with a short Retry-After: core waits inside the step and the create succeeds', async () => {
    await fault(keys.business, { route: 'POST /qrcodes', mode: 'status', status: 429, retryAfter: 1, count: 1 });
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/after-wait',
      externalId: 'zap-429',
    });
    expect(qr).toMatchObject({ externalId: 'zap-429' });
  });
});
