import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Call,
  CLIENT_HEADER,
  type ContractSandbox,
  SKIP_HEADER,
  type SkipMark,
  startContractSandbox,
} from './harness.ts';

// Fault injection (POST /__sandbox/faults). Injected answers are produced before the API's auth/rate-limit layer, so
// faulted requests are marked `ratelimit`; transport faults and undocumented statuses (502/503/504) also `response`.
// 429 and 500 bodies are CodeQR error bodies and are still validated against the spec.

const KEY = 'k_business';
let ctx: ContractSandbox;
let api: Call;

beforeAll(async () => {
  ctx = await startContractSandbox({ keys: [{ key: KEY, plan: 'business' }], windowMs: 60_000 });
  api = ctx.call(KEY);
});

afterEach(async () => {
  await ctx.control(KEY, 'DELETE', '/faults');
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const fault = async (rule: Record<string, unknown>) => {
  const res = await ctx.control(KEY, 'POST', '/faults', rule);
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; remaining: number };
};

const count = async (): Promise<number> => (await api('GET', '/qrcodes/count')).body;

const info = async (externalId: string) =>
  api('GET', `/qrcodes/info?externalId=ext_${externalId}`, { skip: ['request'] });

/** A raw fetch (no JSON parsing) so transport failures surface exactly as a client sees them. */
const rawCreate = (externalId: string, skip: SkipMark[]) =>
  fetch(`${ctx.sb.url}/qrcodes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      [CLIENT_HEADER]: KEY,
      [SKIP_HEADER]: skip.join(','),
    },
    body: JSON.stringify({ type: 'url', url: `https://example.com/${externalId}`, externalId }),
  });

describe('status faults answer without processing the request', () => {
  it('429 carries Retry-After and a rate_limit_exceeded body; nothing is created', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'status', status: 429, retryAfter: 7 });
    const before = await count();
    const res = await api('POST', '/qrcodes', {
      body: { type: 'url', url: 'https://example.com/f429', externalId: 'f429' },
      skip: ['ratelimit'],
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({ error: { code: 'rate_limit_exceeded', message: expect.any(String) } });
    expect(await count()).toBe(before);
    expect((await info('f429')).status).toBe(404);
  });

  it('500 answers an internal_server_error body; nothing is created', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'status', status: 500 });
    const before = await count();
    const res = await api('POST', '/qrcodes', {
      body: { type: 'url', url: 'https://example.com/f500', externalId: 'f500' },
      skip: ['ratelimit'],
    });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: { code: 'internal_server_error', message: expect.any(String) } });
    expect(await count()).toBe(before);
    expect((await info('f500')).status).toBe(404);
  });

  it('502 answers an HTML body (a gateway, not the API); nothing is created', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'status', status: 502 });
    const before = await count();
    const res = await rawCreate('f502', ['response', 'ratelimit']);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await res.text();
    expect(text).toMatch(/<html/i);
    expect(() => JSON.parse(text)).toThrow();
    expect(await count()).toBe(before);
    expect((await info('f502')).status).toBe(404);
  });

  it.each([503, 504])('%i answers that status; nothing is created', async (status) => {
    await fault({ route: 'POST /qrcodes', mode: 'status', status });
    const before = await count();
    const res = await rawCreate(`f${status}`, ['response', 'ratelimit']);
    expect(res.status).toBe(status);
    await res.arrayBuffer();
    expect(await count()).toBe(before);
    expect((await info(`f${status}`)).status).toBe(404);
  });

  it('status defaults to 500 when not given', async () => {
    await fault({ route: 'GET /tags', mode: 'status' });
    const res = await api('GET', '/tags', { skip: ['ratelimit'] });
    expect(res.status).toBe(500);
  });
});

describe('transport faults', () => {
  it('reset: the connection is destroyed before processing (fetch rejects, nothing is created)', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'reset' });
    const before = await count();
    await expect(rawCreate('freset', ['response', 'ratelimit'])).rejects.toThrow();
    expect(await count()).toBe(before);
    expect((await info('freset')).status).toBe(404);
  });

  it('delay: the answer takes at least delayMs and the request is processed normally', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'delay', delayMs: 250 });
    const started = performance.now();
    const res = await api('POST', '/qrcodes', {
      body: { type: 'url', url: 'https://example.com/fdelay', externalId: 'fdelay' },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(res.status).toBe(200);
    expect(res.body.externalId).toBe('fdelay');
    expect((await info('fdelay')).body.id).toBe(res.body.id);
  });

  it('truncate: half a body that is not JSON, but the request was processed', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'truncate' });
    const before = await count();
    const res = await rawCreate('ftrunc', ['response', 'ratelimit']);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    // either the body stream errors (short of Content-Length) or the half body fails to parse
    await expect(res.text().then((text) => JSON.parse(text))).rejects.toThrow();
    expect(await count()).toBe(before + 1);
    const found = await info('ftrunc');
    expect(found.status).toBe(200);
    expect(found.body.url).toBe('https://example.com/ftrunc');
  });

  it('drop: processed, then the connection closes without an answer (the exactly-once hard case)', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'drop' });
    const before = await count();
    await expect(rawCreate('fdrop', ['response', 'ratelimit'])).rejects.toThrow();
    // the client cannot know, but the QR code exists
    expect(await count()).toBe(before + 1);
    const found = await info('fdrop');
    expect(found.status).toBe(200);
    // a blind retry with the same externalId is refused (409), so the externalId makes the retry safe
    const retry = await api('POST', '/qrcodes', {
      body: { type: 'url', url: 'https://example.com/fdrop', externalId: 'fdrop' },
    });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('conflict');
    expect(await count()).toBe(before + 1);
  });
});

describe('the exchange hook under transport faults', () => {
  // A `reset` request was never processed and never answered, so the hook must not report it as an answer, and
  // Hono's internal "already sent" marker must not leak into what the hook reports for truncate/drop.
  it('does not report a reset request as a 200 answer', async () => {
    await fault({ route: 'POST /qrcodes', mode: 'reset' });
    const from = ctx.exchanges.length;
    await expect(rawCreate('freset-hook', ['response', 'ratelimit'])).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reported = ctx.exchanges.slice(from).filter((x) => x.method === 'POST' && x.path === '/qrcodes');
    expect(reported.filter((x) => x.status === 200)).toEqual([]);
    expect(reported.filter((x) => 'x-hono-already-sent' in x.responseHeaders)).toEqual([]);
  });
});

describe('rule matching', () => {
  it('count N applies to exactly the next N matching requests', async () => {
    const rule = await fault({ route: 'GET /qrcodes/count', mode: 'status', status: 503, count: 2 });
    expect(rule.remaining).toBe(2);
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await api('GET', '/qrcodes/count', { skip: ['response', 'ratelimit'] });
      statuses.push(res.status);
    }
    const listed = await ctx.control(KEY, 'GET', '/faults');
    expect(listed.body).toEqual([]);
    statuses.push((await api('GET', '/qrcodes/count')).status);
    statuses.push((await api('GET', '/qrcodes/count')).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it('a rule only matches its method; * in the path is a wildcard', async () => {
    await fault({ route: 'POST /qrcodes*', mode: 'status', status: 500, count: 2 });
    expect((await api('GET', '/qrcodes')).status).toBe(200);
    expect((await api('GET', '/tags')).status).toBe(200);
    const bulk = await api('POST', '/qrcodes/bulk', {
      body: [{ type: 'url', url: 'https://example.com/wild' }],
      skip: ['ratelimit'],
    });
    expect(bulk.status).toBe(500);
    const create = await api('POST', '/qrcodes', {
      body: { type: 'url', url: 'https://example.com/wild' },
      skip: ['ratelimit'],
    });
    expect(create.status).toBe(500);
    // exhausted
    const after = await api('POST', '/qrcodes', { body: { type: 'url', url: 'https://example.com/wild' } });
    expect(after.status).toBe(200);
  });

  it('"GET /qrcodes*" matches every GET under /qrcodes but no other route or method', async () => {
    await fault({ route: 'GET /qrcodes*', mode: 'status', status: 500, count: 3 });
    expect((await api('GET', '/domains')).status).toBe(200);
    expect((await api('POST', '/tags', { body: { name: 'wild' } })).status).toBe(201);
    expect((await api('GET', '/qrcodes', { skip: ['ratelimit'] })).status).toBe(500);
    expect((await api('GET', '/qrcodes/count', { skip: ['ratelimit'] })).status).toBe(500);
    expect((await api('GET', '/qrcodes/info?qrCodeId=x', { skip: ['ratelimit', 'request'] })).status).toBe(500);
    expect((await api('GET', '/qrcodes')).status).toBe(200);
  });

  it('"*" matches any route; the control API is never faulted; DELETE /__sandbox/faults clears rules', async () => {
    await fault({ route: '*', mode: 'status', status: 500, count: 5 });
    expect((await ctx.control(KEY, 'GET', '/faults')).status).toBe(200);
    expect((await api('GET', '/domains', { skip: ['ratelimit'] })).status).toBe(500);
    expect((await api('DELETE', '/qrcodes/bulk?qrcodeIds=x', { skip: ['ratelimit'] })).status).toBe(500);
    const cleared = await ctx.control(KEY, 'DELETE', '/faults');
    expect(cleared.status).toBe(200);
    expect((await ctx.control(KEY, 'GET', '/faults')).body).toEqual([]);
    expect((await api('GET', '/domains')).status).toBe(200);
  });

  it('rejects an invalid fault rule with 422', async () => {
    const res = await ctx.control(KEY, 'POST', '/faults', { route: '*', mode: 'explode' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable_entity');
  });
});
