import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CallResult, CLIENT_HEADER, type ContractSandbox, startContractSandbox } from './harness.ts';

// Rate limits (brief, "Basics": Free 60, Starter 100, Pro 500, Business 1,000 per key per minute; X-RateLimit-Limit,
// -Remaining, -Reset in epoch seconds; Retry-After on 429) and plan gates (brief, "Scans": analytics windows Free 30
// days, Starter 90, Pro 1 year; /events on Business and up). Every exchange is validated against the spec.

let ctx: ContractSandbox;
/**
 * The sandbox's clock: real time, frozen for the length of each test, so every request of a test falls in one
 * rate-limit window and no assertion depends on where a window boundary happens to fall.
 */
let clock = Date.now();

beforeEach(() => {
  clock = Date.now();
});

beforeAll(async () => {
  ctx = await startContractSandbox({
    now: () => clock,
    keys: [
      { key: 'k_business', plan: 'business' },
      { key: 'k_free', plan: 'free' },
      { key: 'k_starter', plan: 'starter' },
      { key: 'k_pro', plan: 'pro' },
      { key: 'k_iso_a', plan: 'starter' },
      { key: 'k_iso_b', plan: 'starter' },
    ],
    windowMs: 60_000,
  });
});

afterEach(() => {
  expect(ctx.takeFailures()).toEqual([]);
});

afterAll(async () => {
  await ctx?.sb.close();
});

const rateHeaders = (res: CallResult) => ({
  limit: Number(res.headers.get('x-ratelimit-limit')),
  remaining: Number(res.headers.get('x-ratelimit-remaining')),
  reset: Number(res.headers.get('x-ratelimit-reset')),
});

describe('rate-limit headers', () => {
  it('are on every API response (2xx and errors), Remaining decreasing, Reset in epoch seconds', async () => {
    const api = ctx.call('k_business');
    const responses: CallResult[] = [];
    responses.push(await api('GET', '/qrcodes'));
    responses.push(await api('POST', '/qrcodes', { body: { type: 'url', url: 'https://example.com/rl' } }));
    responses.push(await api('POST', '/qrcodes', { body: { type: 'url', url: 'bad' } }));
    responses.push(await api('PUT', '/qrcodes/cm_missing', { body: { title: 'x' } }));
    responses.push(await api('POST', '/qrcodes', { raw: '{' }));
    responses.push(await api('GET', '/analytics?event=scans&groupBy=count'));
    responses.push(await api('GET', '/tags'));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 422, 404, 400, 200, 200]);
    const headers = responses.map(rateHeaders);
    for (const h of headers) {
      expect(h.limit).toBe(1000);
      expect(Number.isInteger(h.remaining)).toBe(true);
      expect(Number.isInteger(h.reset)).toBe(true);
      // epoch seconds (not ms, not a delta): in the future, at most one window away
      expect(h.reset * 1000).toBeGreaterThan(clock);
      expect(h.reset * 1000).toBeLessThanOrEqual(clock + 60_000);
    }
    // one window (the clock stands still): one Reset, and strictly one less per request
    expect(new Set(headers.map((h) => h.reset)).size).toBe(1);
    expect(headers.map((h) => h.remaining)).toEqual(headers.map((_, i) => headers[0]!.remaining - i));
  });

  it('carry each plan limit', async () => {
    const limits: Record<string, number> = { k_free: 60, k_starter: 100, k_pro: 500, k_business: 1000 };
    for (const [key, limit] of Object.entries(limits)) {
      const res = await ctx.call(key)('GET', '/domains');
      expect(res.status).toBe(200);
      expect(rateHeaders(res).limit).toBe(limit);
    }
  });

  it('are per key', async () => {
    const a = ctx.call('k_iso_a');
    const b = ctx.call('k_iso_b');
    const a1 = rateHeaders(await a('GET', '/tags'));
    const a2 = rateHeaders(await a('GET', '/tags'));
    const a3 = rateHeaders(await a('GET', '/tags'));
    const b1 = rateHeaders(await b('GET', '/tags'));
    // a key's first request in a window leaves limit - 1, whatever other keys did
    expect(a1.remaining).toBe(a1.limit - 1);
    expect(b1.remaining).toBe(b1.limit - 1);
    expect([a2.reset, a3.reset]).toEqual([a1.reset, a1.reset]);
    expect([a2.remaining, a3.remaining]).toEqual([a1.remaining - 1, a1.remaining - 2]);
  });
});

describe('429 once over the plan limit, then recovery after the window', () => {
  let fast: Awaited<ReturnType<typeof startContractSandbox>>;
  /** This sandbox's clock: moved by the test alone, so the burst sits in one window and the reset is a step. */
  let fastClock = Date.now();

  beforeAll(async () => {
    fast = await startContractSandbox({
      keys: [{ key: 'k_free_fast', plan: 'free' }],
      windowMs: 1000,
      now: () => fastClock,
    });
  });

  afterEach(() => {
    expect(fast.takeFailures()).toEqual([]);
  });

  afterAll(async () => {
    await fast?.sb.close();
  });

  const hit = () =>
    fetch(`${fast.sb.url}/domains`, {
      headers: { authorization: 'Bearer k_free_fast', [CLIENT_HEADER]: 'k_free_fast' },
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }));

  it('free key: 60 ok, the 61st is 429 with Retry-After; ok again once the window resets', async () => {
    fastClock = Date.now();
    const burst = await Promise.all(Array.from({ length: 60 }, hit));
    burst.push(await hit());
    const resets = new Set(burst.map((r) => r.headers.get('x-ratelimit-reset')));
    expect(resets.size).toBe(1);
    const ok = burst.slice(0, 60);
    expect(ok.map((r) => r.status)).toEqual(Array(60).fill(200));
    expect(ok.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    const limited = burst[60]!;
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limit_exceeded', message: expect.any(String) } });
    expect(limited.headers.get('x-ratelimit-limit')).toBe('60');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    // the window is one second, so the wait is one whole second at most and never zero
    expect(limited.headers.get('retry-after')).toBe('1');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(fastClock);
    expect(reset * 1000).toBeLessThanOrEqual(fastClock + 1000);

    // still limited until the reset: the last millisecond of the window too
    fastClock = reset * 1000 - 1;
    expect((await hit()).status).toBe(429);
    fastClock = reset * 1000;
    const recovered = await hit();
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get('x-ratelimit-remaining')).toBe('59');
    expect(Number(recovered.headers.get('x-ratelimit-reset'))).toBe(reset + 1);
  });
});

describe('plan gates', () => {
  it("/events needs Business: free answers 403 forbidden, in the words of Dub's requiredPlan check", async () => {
    const res = await ctx.call('k_free')('GET', '/events?event=scans');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden', message: 'Unauthorized: Need higher plan.' } });
    expect((await ctx.call('k_starter')('GET', '/events?event=scans')).status).toBe(403);
    expect((await ctx.call('k_business')('GET', '/events?event=scans')).status).toBe(200);
  });

  it('analytics on free: 30d ok, 90d 403', async () => {
    const free = ctx.call('k_free');
    expect((await free('GET', '/analytics?event=scans&groupBy=count&interval=30d')).status).toBe(200);
    const res = await free('GET', '/analytics?event=scans&groupBy=count&interval=90d');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(/30 days/) } });
    const old = new Date(Date.now() - 45 * 86_400_000).toISOString();
    expect((await free('GET', `/analytics?event=scans&groupBy=count&start=${old}`)).status).toBe(403);
  });

  it('analytics on starter: 90d ok, 1y 403', async () => {
    const starter = ctx.call('k_starter');
    expect((await starter('GET', '/analytics?event=scans&groupBy=timeseries&interval=90d')).status).toBe(200);
    const res = await starter('GET', '/analytics?event=scans&groupBy=count&interval=1y');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('analytics on pro: 1y ok, all 403; business: all ok', async () => {
    expect((await ctx.call('k_pro')('GET', '/analytics?event=scans&groupBy=count&interval=1y')).status).toBe(200);
    expect((await ctx.call('k_pro')('GET', '/analytics?event=scans&groupBy=count&interval=all')).status).toBe(403);
    expect((await ctx.call('k_business')('GET', '/analytics?event=scans&groupBy=count&interval=all')).status).toBe(200);
  });
});
