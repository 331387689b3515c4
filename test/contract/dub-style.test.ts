import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ContractSandbox, startContractSandbox } from './harness.ts';

// Where CodeQR's docs and Dub's code (which CodeQR's server descends from) disagree, the sandbox answers either way
// (README "Two ways to answer"): `rateLimitHeaders: 'dub'` / `--dub-headers` and `bulkAnswers: 'dub'` / `--dub-bulk`.
// Dub sources: apps/web/lib/auth/rate-limit-request.ts (headers), apps/web/app/api/links/bulk/route.ts and
// lib/api/links/bulk-create-links.ts (`createMany({ skipDuplicates: true })`, `[...created, ...errors]`).

let ctx: ContractSandbox;
/** The sandbox's clock: real time, frozen for each test, so a test's requests share one rate-limit window. */
let clock = Date.now();

beforeEach(() => {
  clock = Date.now();
});

beforeAll(async () => {
  ctx = await startContractSandbox({
    now: () => clock,
    keys: [
      { key: 'k_dub', plan: 'business' },
      { key: 'k_free', plan: 'free' },
      { key: 'k_docs', plan: 'free' },
    ],
    rateLimitHeaders: 'dub',
    bulkAnswers: 'dub',
  });
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

describe('--dub-headers', () => {
  it('sends X-RateLimit-Reset and Retry-After as the same epoch-millisecond instant on every answer', async () => {
    const api = ctx.call('k_dub');
    const answers = [
      await api('GET', '/qrcodes'),
      await api('POST', '/qrcodes', { body: { type: 'url', url: 'https://example.com/dub-h' } }),
      await api('PUT', '/qrcodes/cm_missing', { body: { title: 'x' } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 404]);
    for (const a of answers) {
      const reset = Number(a.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(clock); // milliseconds: 13 digits, not 10
      expect(reset).toBeLessThanOrEqual(clock + 60_000);
      expect(a.headers.get('retry-after')).toBe(a.headers.get('x-ratelimit-reset'));
    }
  });

  it('a 429 carries the same absolute millisecond Retry-After', async () => {
    ctx.sb.limiter.reset();
    const api = ctx.call('k_free');
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await api('GET', '/domains')).status);
    expect(statuses).toEqual(Array(60).fill(200));
    const limited = await api('GET', '/domains');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limit_exceeded');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe(Number(limited.headers.get('x-ratelimit-reset')));
    expect(retryAfter).toBeGreaterThan(clock);
    expect(retryAfter).toBeLessThanOrEqual(clock + 60_000);
    ctx.sb.limiter.reset();
  });

  it('docs style (the default) sends Reset in epoch seconds and Retry-After only on a 429, as a delay', async () => {
    ctx.sb.behaviour.rateLimitHeaders = 'docs';
    const before = ctx.exchanges.length;
    let sent = 0;
    try {
      const api = async (...args: Parameters<ReturnType<typeof ctx.call>>) => {
        sent++;
        return ctx.call('k_docs')(...args);
      };
      const ok = await api('GET', '/domains');
      expect(ok.headers.get('retry-after')).toBeNull();
      expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeLessThan(Date.now() / 100);
      const statuses: number[] = [];
      for (let i = 1; i < 60; i++) statuses.push((await api('GET', '/domains')).status);
      expect(statuses).toEqual(Array(59).fill(200));
      const limited = await api('GET', '/domains');
      expect(limited.status).toBe(429);
      // a delay in whole seconds until the window's reset (epoch seconds), never zero
      const retryAfter = Number(limited.headers.get('retry-after'));
      const reset = Number(limited.headers.get('x-ratelimit-reset'));
      expect(retryAfter).toBe(Math.max(1, Math.ceil((reset * 1000 - clock) / 1000)));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // the sandbox records an exchange once its answer is sent: wait for every one before checking them, while the
      // docs style is in force (a busy machine delivers the last records after the client has its answers)
      await vi.waitFor(() => expect(ctx.exchanges.length - before).toBeGreaterThanOrEqual(sent));
      expect(ctx.takeFailures()).toEqual([]);
    } finally {
      ctx.sb.behaviour.rateLimitHeaders = 'dub';
      ctx.sb.limiter.reset();
    }
  });
});

describe('--dub-bulk', () => {
  it('answers [...created, ...errors] and silently skips items whose externalId already exists', async () => {
    const api = ctx.call('k_dub');
    const first = await api('POST', '/qrcodes', {
      body: { type: 'url', url: 'https://example.com/e1', externalId: 'e1' },
    });
    expect(first.status).toBe(200);
    const res = await api('POST', '/qrcodes/bulk', {
      body: [
        { type: 'url', url: 'https://example.com/bad', fgColor: '#000000', size: 'huge' }, // 422 item
        { type: 'url', url: 'https://example.com/e1-again', externalId: 'e1' }, // exists: skipped without a word
        { type: 'url', url: 'https://example.com/e2', externalId: 'e2' },
        { type: 'url', url: 'https://example.com/e2-twice', externalId: 'e2' }, // same request: skipped too
        { type: 'url', url: 'https://example.com/e3', externalId: 'e3' },
      ],
      skip: ['request'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    expect(res.body.map((x: { externalId?: string; code?: string }) => x.externalId ?? x.code)).toEqual([
      'e2',
      'e3',
      'unprocessable_entity',
    ]);
    expect(res.body[0].url).toBe('https://example.com/e2');
    const stored = await api('GET', '/qrcodes/info?externalId=ext_e1', { skip: ['request'] });
    expect(stored.body.url).toBe('https://example.com/e1'); // untouched
  });

  it('docs style keeps input order with errors in place, and reports a duplicate externalId as a conflict', async () => {
    ctx.sb.behaviour.bulkAnswers = 'docs';
    try {
      const api = ctx.call('k_dub');
      const res = await api('POST', '/qrcodes/bulk', {
        body: [
          { type: 'url', url: 'https://example.com/d1', externalId: 'e1' },
          { type: 'url', url: 'https://example.com/d2', externalId: 'd2' },
        ],
      });
      expect(res.body.map((x: { externalId?: string; code?: string }) => x.code ?? x.externalId)).toEqual([
        'conflict',
        'd2',
      ]);
    } finally {
      ctx.sb.behaviour.bulkAnswers = 'dub';
    }
  });
});
