import { createCodeQrClient, isCodeQrError, type RateLimitEvent } from '@codeqr-integrations/core';
import type { Exchange } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/sandbox.ts';

const KEY = 'codeqr_test_business';
const env = useSandbox({ key: KEY, seed: 11 });
const { exchanges, waits, client, fault, hits } = env;

describe('client basics', () => {
  it('creates, reads (by id, externalId, domain/key), updates with PUT and deletes', async () => {
    const c = client();
    const qr = await c.qrcodes.create({ url: 'https://example.com/a', externalId: 'a-1', title: 'A' });
    expect(qr).toMatchObject({ type: 'url', url: 'https://example.com/a', externalId: 'a-1', title: 'A', scans: 0 });
    expect(qr.shortLink).toBe(`${env.sb.linkUrl}/${qr.key}`);
    expect(exchanges.at(-1)?.body).toMatchObject({ type: 'url' }); // type always sent, as the spec requires
    expect((await c.qrcodes.get({ id: qr.id })).id).toBe(qr.id);
    expect((await c.qrcodes.get({ externalId: 'a-1' })).id).toBe(qr.id);
    expect((await c.qrcodes.get({ domain: qr.domain, key: qr.key })).id).toBe(qr.id);
    const updated = await c.qrcodes.update('ext_a-1', { url: 'https://example.com/b' });
    expect(updated.url).toBe('https://example.com/b');
    expect(exchanges.at(-1)?.method).toBe('PUT');
    expect(await c.qrcodes.delete(qr.id)).toEqual({ id: qr.id });
    await expect(c.qrcodes.get({ id: qr.id })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });

  it('refuses plain http except on loopback, and never shows the key', async () => {
    expect(() => createCodeQrClient({ apiKey: KEY, baseUrl: 'http://api.codeqr.io' })).toThrow(/must use https/);
    expect(() => createCodeQrClient({ apiKey: KEY, baseUrl: 'not a url' })).toThrow(/not a URL/);
    expect(() => createCodeQrClient({ apiKey: '  ' })).toThrow(/apiKey is empty/);
    const c = client();
    expect(JSON.stringify(c)).not.toContain(KEY);
    expect(String(c)).not.toContain(KEY);
    const bad = createCodeQrClient({ apiKey: 'codeqr_wrong_key_12345', baseUrl: env.sb.url });
    const error = await bad.qrcodes.count().catch((e) => e);
    expect(isCodeQrError(error)).toBe(true);
    expect(error.message).toBe('CodeQR rejected the API key (401). Check the key in your credentials.');
    expect(JSON.stringify(error) + String(error) + error.stack).not.toContain('codeqr_wrong_key_12345');
  });

  it('validates input before the network and names every bad field', async () => {
    const c = client();
    const error = await c.qrcodes
      .create({ urll: 'https://x.y', externalId: 'x'.repeat(256), level: 'X' } as never)
      .catch((e) => e);
    expect(error.code).toBe('validation_error');
    expect(error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['externalId', 'level', 'url', 'urll']);
    expect(error.message).toContain('did you mean "url"');
    await expect(c.qrcodes.update('x', {})).rejects.toMatchObject({ code: 'validation_error' });
    await expect(c.qrcodes.list({ pageSize: 101 })).rejects.toMatchObject({ code: 'validation_error' });
    expect(exchanges).toHaveLength(0);
  });

  it('maps CodeQR errors to one clear sentence with the status and field issues', async () => {
    const c = client();
    const first = await c.qrcodes.create({ url: 'https://example.com', externalId: 'dup', key: 'dup-key' });
    // the replay rule: the same QR code again answers it, as it is
    expect((await c.qrcodes.create({ url: 'https://example.com', externalId: 'dup' })).id).toBe(first.id);
    // a short link in use is CodeQR's 409, word for word
    const conflict = await c.qrcodes.create({ url: 'https://example.com/other', key: 'dup-key' }).catch((e) => e);
    expect(conflict).toMatchObject({ code: 'conflict', status: 409, attempts: 1 });
    expect(conflict.message).toMatch(/^It already exists in CodeQR \(409\): /);
    expect(conflict.requestId).toMatch(/^req_/);
    // another destination under the same External ID: a conflict that names what differs
    const other = await c.qrcodes.create({ url: 'https://example.com/elsewhere', externalId: 'dup' }).catch((e) => e);
    expect(other).toMatchObject({ code: 'conflict' });
    expect(other.message).toMatch(/externalId "dup".*url differs/);
  });

  it('lists with auto-pagination that stops on a short page and honours limit', async () => {
    const c = client();
    const results = await c.qrcodes.bulkCreate(
      Array.from({ length: 230 }, (_, i) => ({ url: `https://example.com/${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    exchanges.length = 0;
    const all: string[] = [];
    for await (const qr of c.qrcodes.list()) all.push(qr.id);
    expect(all).toHaveLength(230);
    expect(new Set(all).size).toBe(230);
    // 100 + 100 + 30 (short page ends it); the first page is read twice, to learn how CodeQR reads withTags
    expect(hits('GET', '/qrcodes')).toBe(4);
    expect(await c.qrcodes.list({ pageSize: 10 })).toHaveLength(10);
    expect(await c.qrcodes.list({ pageSize: 50 }).toArray({ limit: 120 })).toHaveLength(120);
    await expect(c.qrcodes.list().toArray({ limit: 0 })).rejects.toMatchObject({ code: 'validation_error' });
    expect(await c.qrcodes.count()).toBe(230);
  });
});

describe('retries', () => {
  it('retries GET on 500/502/503 and network resets, then succeeds', async () => {
    const c = client();
    const qr = await c.qrcodes.create({ url: 'https://example.com/r' });
    for (const f of [
      { mode: 'status', status: 500 },
      { mode: 'status', status: 502 },
      { mode: 'status', status: 503 },
      { mode: 'reset' },
      { mode: 'truncate' },
    ]) {
      await fault('GET /qrcodes/info', f.mode, { ...f, count: 2 });
      exchanges.length = 0;
      expect((await c.qrcodes.get({ id: qr.id })).id).toBe(qr.id);
    }
    expect(waits.length).toBeGreaterThanOrEqual(10);
    expect(waits.every((w) => w > 0 && w <= 10_000)).toBe(true);
  });

  it('gives up after the retry limit with the last error and the attempt count', async () => {
    const c = client({ retry: { limit: 2 } });
    await fault('GET /qrcodes/count', 'status', { status: 500, count: 5 });
    const error = await c.qrcodes.count().catch((e) => e);
    expect(error).toMatchObject({ code: 'internal_server_error', status: 500, attempts: 3 });
    expect(error.message).toMatch(/server error \(500\).*gave up after 3 attempts/);
  });

  it('honours Retry-After on 429 and reports it through onRateLimit', async () => {
    const events: RateLimitEvent[] = [];
    const c = client({ onRateLimit: (e: RateLimitEvent) => events.push(e) });
    await fault('GET /qrcodes/count', 'status', { status: 429, retryAfter: 2 });
    expect(await c.qrcodes.count()).toBe(0);
    expect(waits[0]).toBeGreaterThan(1500);
    expect(waits[0]).toBeLessThanOrEqual(2100); // Retry-After plus the pacer's 50 ms margin
    expect(events[0]).toMatchObject({ reason: '429' });
  });

  it('a 503 backs off briefly instead of waiting for the rate-limit window (only a 429 waits for X-RateLimit-Reset)', async () => {
    const slept: number[] = [];
    let calls = 0;
    const now = Date.now();
    const c = createCodeQrClient({
      apiKey: KEY,
      baseUrl: env.sb.url,
      sleep: async (ms) => {
        slept.push(ms);
      },
      transport: async () => {
        const rate = {
          'x-ratelimit-limit': '60',
          'x-ratelimit-remaining': '50',
          'x-ratelimit-reset': String(Math.ceil(now / 1000) + 55),
        };
        return ++calls === 1 ? { status: 503, headers: rate, body: '' } : { status: 200, headers: rate, body: '7' };
      },
    });
    expect(await c.qrcodes.count()).toBe(7);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeLessThanOrEqual(300);
  });

  it('a non-retryable error after a retry keeps its own message and says how many attempts ran', async () => {
    const c = client();
    await c.qrcodes.create({ url: 'https://example.com/x', externalId: 'taken-2' });
    await fault('PUT /qrcodes/*', 'status', { status: 500 });
    const error = await c.qrcodes.update('ext_missing-one', { title: 'x' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'not_found', attempts: 2 });
    expect(error.message).not.toMatch(/gave up/);
  });

  it('fails fast with a clear rate_limit_exceeded when CodeQR asks for a longer wait than allowed', async () => {
    const c = client({ retry: { maxRetryAfterMs: 5_000 } });
    await fault('GET /qrcodes/count', 'status', { status: 429, retryAfter: 120 });
    const error = await c.qrcodes.count().catch((e) => e);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.retryAfter).toBe(120);
    expect(error.message).toMatch(
      /asks to wait 2 min \(until .*\), longer than the 5 s this client may wait.*retry after \S+ \(in 120 s\)/,
    );
  });

  it('never blindly retries a POST without an idempotency handle', async () => {
    const c = client();
    await fault('POST /qrcodes', 'status', { status: 500 });
    await expect(c.qrcodes.create({ url: 'https://example.com/p' })).rejects.toMatchObject({
      code: 'internal_server_error',
    });
    expect(hits('POST', '/qrcodes')).toBe(1);
    await fault('POST /qrcodes', 'drop');
    await expect(c.qrcodes.create({ url: 'https://example.com/p' })).rejects.toMatchObject({ code: 'network_error' });
    // the dropped request was processed: that outcome is the caller's to reconcile without an externalId
    expect(await c.qrcodes.count()).toBe(1);
  });

  it('retries a POST turned away with 429 (never processed)', async () => {
    const c = client();
    await fault('POST /qrcodes', 'status', { status: 429, retryAfter: 1 });
    await c.qrcodes.create({ url: 'https://example.com/429' });
    expect(await c.qrcodes.count()).toBe(1);
  });

  it.each(['drop', 'truncate', 'reset'])(
    'a create with an externalId survives a %s fault exactly once',
    async (mode) => {
      const c = client();
      await fault('POST /qrcodes', mode);
      const qr = await c.qrcodes.create({ url: 'https://example.com/once', externalId: `once-${mode}` });
      expect(qr.externalId).toBe(`once-${mode}`);
      expect(await c.qrcodes.count()).toBe(1);
    },
  );

  it('a timed-out create with an externalId is created once even though the first attempt landed later', async () => {
    const c = client({ timeoutMs: 150 });
    await fault('POST /qrcodes', 'delay', { delayMs: 400 });
    const qr = await c.qrcodes.create({ url: 'https://example.com/slow', externalId: 'slow-1' });
    await new Promise((r) => setTimeout(r, 500)); // let the delayed first attempt finish server-side
    expect(qr.externalId).toBe('slow-1');
    expect(await c.qrcodes.count()).toBe(1);
  });

  it('an externalId already used by a different QR code is reported, not silently adopted', async () => {
    const c = client();
    await c.qrcodes.create({ url: 'https://example.com/theirs', externalId: 'taken' });
    await fault('POST /qrcodes', 'status', { status: 503 });
    const error = await c.qrcodes.create({ url: 'https://example.com/mine', externalId: 'taken' }).catch((e) => e);
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/A different QR code already uses externalId "taken" \(its url differ/);
  });

  it('a body cut off mid-way is a network error, retried, then reported', async () => {
    const c = client({ retry: { limit: 1 } });
    await fault('GET /qrcodes/count', 'truncate', { count: 5 });
    await expect(c.qrcodes.count()).rejects.toMatchObject({ code: 'network_error', attempts: 2 });
  });

  it('malformed JSON and wrong shapes are invalid_response, not crashes', async () => {
    const answer = (body: string) =>
      createCodeQrClient({
        apiKey: KEY,
        baseUrl: env.sb.url,
        retry: { limit: 1 },
        sleep: async () => {},
        transport: async () => ({ status: 200, headers: {}, body }),
      });
    await expect(answer('{"id": "x", "dom').qrcodes.get({ id: 'x' })).rejects.toMatchObject({
      code: 'invalid_response',
      attempts: 2,
      message: expect.stringMatching(/not valid JSON/),
    });
    const shape = await answer('{"foo": 1}')
      .qrcodes.get({ id: 'x' })
      .catch((e) => e);
    expect(shape).toMatchObject({ code: 'invalid_response', status: 200, attempts: 1 });
    expect(shape.issues.map((i: { field: string }) => i.field)).toEqual(
      expect.arrayContaining(['id', 'domain', 'key']),
    );
    // extra fields and a missing shortLink are tolerated; shortLink is derived
    const lenient = await answer(
      JSON.stringify({
        id: 'q1',
        domain: 'codeqr.link',
        key: 'k1',
        url: null,
        type: 'url',
        createdAt: 'x',
        updatedAt: 'y',
        brandNew: 1,
      }),
    ).qrcodes.get({ id: 'q1' });
    expect(lenient).toMatchObject({ shortLink: 'https://codeqr.link/k1', brandNew: 1 });
  });
});

describe('bulk create', () => {
  it('chunks, keeps input order and reports item errors in place', async () => {
    const c = client();
    await c.qrcodes.create({ url: 'https://example.com/existing', externalId: 'exists' });
    const items = [
      ...Array.from({ length: 205 }, (_, i) => ({ url: `https://example.com/b/${i}` })),
      { url: 'not a url' },
      { url: 'https://example.com/dup', externalId: 'same' },
      { url: 'https://example.com/dup2', externalId: 'same' },
      { url: 'https://example.com/other', externalId: 'exists' },
    ];
    exchanges.length = 0;
    const results = await c.qrcodes.bulkCreate(items);
    expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    expect(results.slice(0, 205).every((r) => r.ok)).toBe(true);
    expect(results[205]).toMatchObject({ ok: false, error: { code: 'validation_error', field: 'items.205.url' } });
    expect(results[206]).toMatchObject({ ok: true });
    expect(results[207]).toMatchObject({ ok: false, error: { code: 'conflict', field: 'externalId' } });
    expect(results[208]).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(hits('POST', '/qrcodes/bulk')).toBe(3);
    expect(await c.qrcodes.count()).toBe(1 + 206);
  });

  it.each([
    ['drop', {}],
    ['truncate', {}],
    ['reset', {}],
    ['status', { status: 502 }],
    ['delay', { delayMs: 400 }],
  ])('loses nothing and duplicates nothing when a chunk hits %s', async (mode, extra) => {
    const c = client({ timeoutMs: 250 });
    await fault('POST /qrcodes/bulk', mode, { ...extra, count: 2 });
    const items = Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/f/${i}` }));
    const results = await c.qrcodes.bulkCreate(items, { concurrency: 2 });
    await new Promise((r) => setTimeout(r, 450));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const ids = results.map((r) => (r.ok ? r.qrCode.id : ''));
    expect(new Set(ids).size).toBe(250);
    expect(await c.qrcodes.count()).toBe(250);
    const urls = results.map((r) => (r.ok ? r.qrCode.url : ''));
    expect(urls).toEqual(items.map((i) => i.url));
    // reconciling a lost chunk lists the recent codes (a page or two), not one lookup per item
    expect(hits('GET', '/qrcodes/info')).toBe(0);
    expect(hits('GET', '/qrcodes')).toBeLessThanOrEqual(8);
  });

  it('bulk delete chunks ids by 100', async () => {
    const c = client();
    const created = await c.qrcodes.bulkCreate(
      Array.from({ length: 150 }, (_, i) => ({ url: `https://example.com/d/${i}` })),
    );
    const ids = created.flatMap((r) => (r.ok ? [r.qrCode.id] : []));
    expect(await c.qrcodes.bulkDelete([...ids, 'unknown-id'])).toEqual({ deletedCount: 150 });
    expect(hits('DELETE', '/qrcodes/bulk')).toBe(2);
  });
});

describe('upsert', () => {
  it('by externalId: created, then unchanged, then updated with only the changed fields', async () => {
    const c = client();
    const a = await c.qrcodes.upsert({ url: 'https://example.com/u', externalId: 'u-1', title: 'One' });
    expect(a.action).toBe('created');
    expect((await c.qrcodes.upsert({ url: 'https://example.com/u', externalId: 'u-1', title: 'One' })).action).toBe(
      'unchanged',
    );
    exchanges.length = 0;
    const b = await c.qrcodes.upsert({ url: 'https://example.com/u', externalId: 'u-1', title: 'Two' });
    expect(b).toMatchObject({ action: 'updated', qrCode: { id: a.qrCode.id, title: 'Two' } });
    expect(exchanges.find((x) => x.method === 'PUT')?.body).toEqual({ title: 'Two' });
  });

  it('by URL: matches the oldest code with exactly that URL', async () => {
    const c = client();
    const first = await c.qrcodes.create({ url: 'https://example.com/same' });
    await c.qrcodes.create({ url: 'https://example.com/same' });
    await c.qrcodes.create({ url: 'https://example.com/same-but-longer' });
    const r = await c.qrcodes.upsert({ url: 'https://example.com/same', title: 'Poster' });
    expect(r).toMatchObject({ action: 'updated', qrCode: { id: first.id, title: 'Poster' } });
    expect((await c.qrcodes.upsert({ url: 'https://example.com/new' })).action).toBe('created');
  });

  it('resolves a create race on externalId by updating the winner', async () => {
    const c = client();
    // the lookup says "not found", then someone else creates it before our create
    await fault('GET /qrcodes/info', 'delay', { delayMs: 0 });
    const race = c.qrcodes.upsert({ url: 'https://example.com/race', externalId: 'race', title: 'Mine' });
    await c.qrcodes
      .create({ url: 'https://example.com/race', externalId: 'race', title: 'Theirs' })
      .catch(() => undefined);
    const r = await race;
    expect(['updated', 'unchanged', 'created']).toContain(r.action);
    expect((await c.qrcodes.get({ externalId: 'race' })).title).toBe('Mine');
    expect(await c.qrcodes.count()).toBe(1);
  });
});

describe('rate-limit pacing', () => {
  it('a run over the Free limit sees no 429: it waits for the window instead', async () => {
    const limited: Exchange[] = [];
    const free = await startSpecCheckedSandbox({
      keys: [{ key: 'free', plan: 'free' }],
      windowMs: 1000,
      onExchange: (x) => limited.push(x),
    });
    try {
      const paced: RateLimitEvent[] = [];
      const c = createCodeQrClient({ apiKey: 'free', baseUrl: free.url, onRateLimit: (e) => paced.push(e) });
      const started = Date.now();
      await Promise.all(Array.from({ length: 150 }, () => c.qrcodes.count()));
      expect(limited).toHaveLength(150);
      expect(limited.filter((x) => x.status === 429)).toEqual([]);
      expect(paced.some((e) => e.reason === 'paced')).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // 150 requests need at least 3 windows of 60
    } finally {
      await free.close();
    }
  }, 30_000);
});

describe('input from hosts', () => {
  it('ignores undefined sub-fields (an empty optional field in a host form)', async () => {
    const c = client();
    const qr = await c.qrcodes.create({
      type: 'wifi',
      static: true,
      wifi: { ssid: 'Cafe', password: undefined } as unknown as Record<string, string>,
    });
    expect((qr as Record<string, unknown>).wifi).toEqual({ ssid: 'Cafe' });
    expect(exchanges.at(-1)?.body).toEqual({ type: 'wifi', static: true, wifi: { ssid: 'Cafe' } });
  });
});

describe('list parameters', () => {
  it('invalid list parameters reject where the caller awaits, for every list', async () => {
    const c = client();
    await expect(c.qrcodes.list({ pageSize: 500 })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(c.events.list({ order: 'sideways' } as never)).rejects.toMatchObject({ code: 'validation_error' });
    await expect(c.domains.list({ pageSize: 51 })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(c.tags.list({ colour: 'red' } as never).toArray({ limit: 5 })).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/colour/),
    });
    expect(exchanges).toHaveLength(0);
  });
});
