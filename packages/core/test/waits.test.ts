// Waiting that fits a host, rate-limit headers read tolerantly, plans as users meet them, and the smaller failures
// that must read right. Every wait goes through an injected sleep that advances an injected clock, so nothing here
// really waits.
import type { RateLimitHeaderStyle, Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodeQrClient as createBaseClient } from '../src/base.ts';
import { parseResetHeader, parseRetryAfter, retryAt } from '../src/client/rate-limit-headers.ts';
import {
  type CodeQrClient,
  CodeQrError,
  createCodeQrClient,
  createFetchTransport,
  isCodeQrError,
  listOptions,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../src/index.ts';

const STYLES: RateLimitHeaderStyle[] = ['docs', 'dub'];
/** 9 s into a minute, so a 60-second window aligned to the minute resets 51 s later (the issue's example). */
const T0 = Date.UTC(2026, 11, 1, 12, 0, 9);
const KEY = 'codeqr_waits_business';

/** The rate-limit headers of one answer, the way each style sends them. */
function rateHeaders(
  style: RateLimitHeaderStyle,
  now: number,
  {
    limit = 60,
    remaining = 59,
    resetAt,
    retryAt,
  }: { limit?: number; remaining?: number; resetAt: number; retryAt?: number },
): Record<string, string> {
  const common = { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining) };
  if (style === 'dub') {
    // Dub's rateLimitRequest: both headers are Upstash's reset, epoch ms, on every answer
    return { ...common, 'x-ratelimit-reset': String(resetAt), 'retry-after': String(retryAt ?? resetAt) };
  }
  const headers: Record<string, string> = { ...common, 'x-ratelimit-reset': String(Math.ceil(resetAt / 1000)) };
  if (retryAt !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil((retryAt - now) / 1000)));
  return headers;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse => ({
  status,
  headers,
  body: JSON.stringify(body),
});
const tooMany = (headers: Record<string, string>) =>
  json(429, { error: { code: 'rate_limit_exceeded', message: 'Too many requests.' } }, headers);

/** A client over a scripted transport, with a fake clock that only sleeps move. */
function scripted(
  answer: (request: TransportRequest, n: number, now: number) => TransportResponse | Promise<TransportResponse>,
  options: Record<string, unknown> = {},
) {
  const state = { now: T0, sleeps: [] as number[], requests: [] as TransportRequest[] };
  const client = createCodeQrClient({
    apiKey: KEY,
    transport: async (request) => {
      state.requests.push(request);
      return answer(request, state.requests.length, state.now);
    },
    // concurrent sleeps overlap: each one ends at its own start plus ms, and the clock shows the latest end
    sleep: async (ms) => {
      state.sleeps.push(ms);
      const until = state.now + ms;
      await Promise.resolve();
      state.now = Math.max(state.now, until);
    },
    now: () => state.now,
    random: () => 0.5,
    ...options,
  });
  return { client, state, slept: () => state.sleeps.reduce((a, b) => a + b, 0) };
}

async function failure(promise: Promise<unknown>): Promise<CodeQrError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isCodeQrError(error), String(error)).toBe(true);
  return error as CodeQrError;
}

describe('rate-limit headers, read tolerantly', () => {
  const now = T0;
  it.each([
    ['delay seconds', '1', now + 1000],
    ['fractional delay', '0.5', now + 500],
    ['zero', '0', now],
    ['HTTP date', new Date(now + 30_000).toUTCString(), now + 30_000],
    ['epoch seconds', String(Math.round(now / 1000) + 20), Math.round(now / 1000) * 1000 + 20_000],
    ['epoch milliseconds (Dub)', String(now + 5_000), now + 5_000],
    ['a date in the past', new Date(now - 60_000).toUTCString(), now],
    ['epoch ms in the past', String(now - 1), now],
  ])('Retry-After as %s', (_name, value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each(['', 'soon', '-5', 'NaN', 'Infinity'])('an unreadable Retry-After %j is ignored', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it.each([
    ['epoch seconds (docs)', String(Math.ceil((now + 51_000) / 1000)), Math.ceil((now + 51_000) / 1000) * 1000],
    ['epoch milliseconds (Dub/Upstash)', String(now + 51_000), now + 51_000],
    ['seconds from now (RateLimit draft)', '51', now + 51_000],
  ])('X-RateLimit-Reset as %s', (_name, value, expected) => {
    expect(parseResetHeader(value, now)).toBe(expected);
  });

  it('whatever a 429 carries, every wait is finite, non-negative and under the cap, or the call fails at once', async () => {
    const value = fc.oneof(
      fc.integer({ min: -10, max: 10_000 }).map(String),
      fc.double({ min: 0, max: 5000, noNaN: true }).map(String),
      fc.integer({ min: 0, max: 4_000_000 }).map((s) => String(Math.round(T0 / 1000) + s - 100)),
      fc.integer({ min: -100_000, max: 4_000_000_000 }).map((ms) => String(T0 + ms)),
      fc.integer({ min: -100_000, max: 400_000_000 }).map((ms) => new Date(T0 + ms).toUTCString()),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.option(value), fc.option(value), async (retryAfter, reset) => {
        const headers: Record<string, string> = {};
        if (retryAfter !== null) headers['retry-after'] = retryAfter;
        if (reset !== null) headers['x-ratelimit-reset'] = reset;
        const { client, state } = scripted((_r, n) => (n === 1 ? tooMany(headers) : json(200, 3)), {
          maxRetryAfterMs: 20_000,
        });
        const outcome = await client.qrcodes.count().then(
          (count) => count,
          (error: unknown) => error,
        );
        // what the headers ask for decides the case: a wait within the cap is made, a longer one refused at once,
        // saying in seconds from now (never an epoch read as a delay) when to retry
        const at = retryAt(headers, T0, true);
        const refusedFor = at !== undefined && at - T0 > 20_000 ? Math.ceil((at - T0) / 1000) : undefined;
        const error = isCodeQrError(outcome) ? outcome : undefined;
        expect({
          count: outcome === 3 ? 3 : undefined,
          code: error?.code,
          retryAfter: error?.retryAfter,
          slept: state.sleeps.length > 0,
          sleepsInRange: state.sleeps.every((ms) => Number.isFinite(ms) && ms >= 0 && ms <= 20_000),
        }).toEqual(
          refusedFor === undefined
            ? { count: 3, code: undefined, retryAfter: undefined, slept: true, sleepsInRange: true }
            : {
                count: undefined,
                code: 'rate_limit_exceeded',
                retryAfter: refusedFor,
                slept: false,
                sleepsInRange: true,
              },
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(STYLES)('waits that fit a host, %s-style headers (scripted transport)', (style) => {
  it('a 429 with a 1 s Retry-After waits about a second, not for the whole window', async () => {
    const resetAt = T0 + 51_000; // the window resets 51 s from now
    const { client, state, slept } = scripted((_r, n, now) =>
      n === 1
        ? json(200, 1, rateHeaders(style, now, { remaining: 40, resetAt }))
        : n === 2
          ? tooMany(rateHeaders(style, now, { remaining: 0, resetAt, retryAt: now + 1000 }))
          : json(200, 2, rateHeaders(style, now, { remaining: 39, resetAt })),
    );
    expect(await client.qrcodes.count()).toBe(1);
    // Dub's Retry-After on a 429 is the window reset itself; the docs' is a delay: both say 1 s here
    expect(await client.qrcodes.count()).toBe(2);
    expect(state.requests).toHaveLength(3);
    expect(slept()).toBeGreaterThanOrEqual(1000);
    expect(slept()).toBeLessThan(1200);
  });

  it('a window reset 600 s away fails at once with rate_limit_exceeded saying when, instead of sleeping 600 s', async () => {
    const resetAt = T0 + 600_000;
    const { client, state } = scripted((_r, _n, now) =>
      json(200, 1, rateHeaders(style, now, { remaining: 0, resetAt })),
    );
    expect(await client.qrcodes.count()).toBe(1);
    const error = await failure(client.qrcodes.count());
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.retryAfter).toBe(600);
    expect(error.requestSent).toBe(false);
    expect(error.message).toContain(new Date(resetAt).toISOString());
    expect(error.message).toMatch(/longer than the 60 s this client may wait/);
    expect(state.sleeps).toEqual([]);
    expect(state.requests).toHaveLength(1);
  });

  it('a 429 whose Retry-After is past maxRetryAfterMs fails at once with retryAfter in seconds', async () => {
    const { client, state } = scripted((_r, _n, now) =>
      tooMany(rateHeaders(style, now, { remaining: 0, resetAt: now + 120_000, retryAt: now + 120_000 })),
    );
    const error = await failure(client.qrcodes.count());
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', status: 429, retryAfter: 120 });
    expect(error.message).toMatch(/asks to wait 2 min \(until .+\), longer than the 60 s this client may wait/);
    expect(state.sleeps).toEqual([]);
  });

  it('pacing waits are bounded too: a paced wait never exceeds maxRetryAfterMs', async () => {
    const windowMs = 60_000;
    let used = 0;
    let windowStart = Math.floor(T0 / windowMs) * windowMs;
    const { client, state } = scripted((_r, _n, now) => {
      if (now >= windowStart + windowMs) {
        windowStart = Math.floor(now / windowMs) * windowMs;
        used = 0;
      }
      used += 1;
      if (used > 60)
        return tooMany(
          rateHeaders(style, now, { remaining: 0, resetAt: windowStart + windowMs, retryAt: windowStart + windowMs }),
        );
      return json(200, used, rateHeaders(style, now, { remaining: 60 - used, resetAt: windowStart + windowMs }));
    });
    await Promise.all(Array.from({ length: 150 }, () => client.qrcodes.count()));
    expect(state.requests).toHaveLength(150); // no 429, no retry
    expect(Math.max(...state.sleeps)).toBeLessThanOrEqual(60_000);
    expect(state.now - T0).toBeGreaterThanOrEqual(2 * windowMs - 9_000);
  });

  it('a 503 whose Retry-After only repeats the window reset backs off briefly instead', async () => {
    const resetAt = T0 + 55_000;
    const { client, state } = scripted((_r, n, now) =>
      n === 1
        ? json(
            503,
            { error: { code: 'service_unavailable', message: 'down' } },
            rateHeaders(style, now, { resetAt, ...(style === 'dub' ? {} : {}) }),
          )
        : json(200, 7, rateHeaders(style, now, { resetAt })),
    );
    expect(await client.qrcodes.count()).toBe(7);
    expect(state.sleeps).toHaveLength(1);
    expect(state.sleeps[0]).toBeLessThanOrEqual(300);
  });
});

describe('time budgets (timeBudgetMs, withBudget)', () => {
  const retryIn = (seconds: number) => (_r: TransportRequest, n: number, now: number) =>
    n % 2 === 1
      ? tooMany(
          rateHeaders('docs', now, { remaining: 0, resetAt: now + seconds * 1000, retryAt: now + seconds * 1000 }),
        )
      : json(200, n, rateHeaders('docs', now, { resetAt: now + 60_000 }));

  it('a wait that does not fit the budget fails at once with rate_limit_exceeded and retryAfter', async () => {
    const { client, state } = scripted(retryIn(20), { timeBudgetMs: 10_000 });
    const error = await failure(client.qrcodes.count());
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', retryAfter: 20, status: 429 });
    expect(error.message).toMatch(/too long to still send the request within this call's time budget/);
    expect(state.sleeps).toEqual([]);
    expect(state.requests).toHaveLength(1);
  });

  it('a wait that fits is made, and each top-level call gets its own budget', async () => {
    const { client, slept } = scripted(retryIn(6), { timeBudgetMs: 10_000 });
    expect(await client.qrcodes.count()).toBe(2);
    expect(await client.qrcodes.count()).toBe(4);
    expect(slept()).toBe(12_000);
  });

  it('withBudget(ms) shares one budget across several calls (a whole host step)', async () => {
    const { client, slept } = scripted(retryIn(6));
    const step = client.withBudget(10_000);
    expect(await step.qrcodes.count()).toBe(2);
    const error = await failure(step.qrcodes.count());
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', retryAfter: 6 });
    expect(slept()).toBe(6_000);
    // the client itself is unaffected
    expect(await client.qrcodes.count()).toBe(4);
  });

  it('every page of one toArray shares one budget', async () => {
    // each page is first refused for 4 s; a 10 s budget fits two such waits, not three
    const tags = (page: number) =>
      Array.from({ length: 100 }, (_, i) => ({ id: `tag_${page}_${i}`, name: `t${page}-${i}`, color: 'blue' }));
    const { client, state } = scripted(
      (request, n, now) =>
        n % 2 === 1
          ? tooMany(rateHeaders('docs', now, { remaining: 0, resetAt: now + 4000, retryAt: now + 4000 }))
          : json(
              200,
              tags(Number(new URL(request.url).searchParams.get('page'))),
              rateHeaders('docs', now, { resetAt: now + 60_000 }),
            ),
      { timeBudgetMs: 10_000 },
    );
    const error = await failure(client.tags.list().toArray({ limit: 1000 }));
    expect(error.code).toBe('rate_limit_exceeded');
    expect(state.sleeps).toEqual([4000, 4000]);
  });

  it('an attempt never runs past the budget: its timeout is cut to what is left', async () => {
    const { client, state } = scripted(() => json(200, 1), { timeBudgetMs: 5_000, timeoutMs: 30_000 });
    await client.qrcodes.count();
    expect(state.requests[0]!.timeoutMs).toBeLessThanOrEqual(5_000);
  });

  it('a 5xx whose backoff does not fit fails with its own error, saying no time was left', async () => {
    let clock = T0;
    const { client } = scripted(
      () => {
        clock += 9_500; // a slow failing answer eats the budget
        return json(500, { error: { code: 'internal_server_error', message: 'boom' } });
      },
      { timeBudgetMs: 10_000, now: () => clock, sleep: async () => {} },
    );
    const error = await failure(client.qrcodes.count());
    expect(error.code).toBe('internal_server_error');
    expect(error.message).toMatch(/no time left in this call's time budget to retry/);
  });

  it('refuses a non-positive or non-numeric budget as a configuration error', () => {
    expect(() => scripted(() => json(200, 1), { timeBudgetMs: 0 })).toThrow(CodeQrError);
    expect(() => scripted(() => json(200, 1), { timeBudgetMs: '30s' })).toThrow(/timeBudgetMs must be a number/);
    expect(() => scripted(() => json(200, 1), { maxRetryAfterMs: -1 })).toThrow(/maxRetryAfterMs/);
  });
});

describe('failures that read right', () => {
  it.each([
    ['a line feed', 'codeqr_abc\ndef123'],
    ['a carriage return', 'codeqr_abc\rdef123'],
    ['a NUL', 'codeqr_abc\u0000def123'],
    ['a non-breaking space', 'codeqr_abc\u00a0def123'],
  ])('a key containing %s fails before any request, without the key in the message', (_what, apiKey) => {
    let sent = 0;
    const transport = async () => {
      sent++;
      return json(200, 1);
    };
    let error: unknown;
    try {
      createCodeQrClient({ apiKey, transport, sleep: async () => {} });
    } catch (e) {
      error = e;
    }
    expect(isCodeQrError(error)).toBe(true);
    const e = error as CodeQrError;
    expect(e.code).toBe('invalid_configuration');
    expect(e.issues).toEqual([
      {
        field: 'apiKey',
        message: expect.stringMatching(/contains/),
        rule: expect.stringMatching(/^contains .* paste it/),
      },
    ]);
    expect(e.message).toMatch(/apiKey contains .* paste it/);
    for (const part of ['abc', 'def123', 'codeqr_']) expect(JSON.stringify(e)).not.toContain(part);
    expect(e.message).not.toContain('codeqr_abc');
    expect(sent).toBe(0);
  });

  it('the base entry without a transport or sleep fails with a CodeQrError that says what to pass', () => {
    let error: unknown;
    try {
      createBaseClient({ apiKey: KEY } as never);
    } catch (e) {
      error = e;
    }
    expect(isCodeQrError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_configuration' });
    expect((error as Error).message).toMatch(
      /@codeqr-integrations\/core\/base needs a `transport` function and a `sleep` function/,
    );
    expect((error as CodeQrError).issues.map((i) => i.field)).toEqual(['transport', 'sleep']);
  });

  it('a transport that answers nothing is a CodeQrError about the transport, not a TypeError', async () => {
    const { client, state } = scripted(() => undefined as unknown as TransportResponse);
    const error = await failure(client.qrcodes.count());
    expect(error.code).toBe('invalid_configuration');
    expect(error.message).toMatch(
      /^The transport answered GET \/qrcodes\/count with nothing; a Transport must resolve/,
    );
    expect(state.requests).toHaveLength(1);
  });

  it('an unknown dropdown source is a CodeQrError naming the known ones', async () => {
    const { client } = scripted(() => json(200, []));
    const error = await failure(listOptions(client, 'colours' as never));
    expect(error.code).toBe('invalid_configuration');
    expect(error.message).toBe(
      'listOptions has no dropdown source "colours"; use one of domains, tags, folders, qrCodes.',
    );
  });

  it('timeoutMs: 100 reports 100 ms, not "0 s"', async () => {
    let sb: Sandbox | undefined;
    try {
      sb = await startSpecCheckedSandbox({ keys: [{ key: KEY, plan: 'business' }] });
      await fetch(`${sb.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ route: 'GET /qrcodes/count', mode: 'delay', delayMs: 600, count: 10 }),
      });
      const client = createCodeQrClient({ apiKey: KEY, baseUrl: sb.url, timeoutMs: 100, retry: { limit: 0 } });
      const error = await failure(client.qrcodes.count());
      expect(error.code).toBe('timeout');
      expect(error.message).toBe('CodeQR did not answer within 100 ms.');
    } finally {
      await sb?.close();
    }
  }, 30_000);
});

describe('plans as users meet them', () => {
  const forbidden = (code: string, message: string) => () => json(403, { error: { code, message } });
  it.each([
    [
      'the monthly QR-code quota (CodeQR)',
      forbidden(
        'exceeded_limit',
        'You have reached the monthly limit of 10 qrcodes on the Free plan. Please upgrade to add more QR Codes.',
      ),
      'exceeded_limit',
      /^Your CodeQR plan's limit is reached \(403\): You have reached the monthly limit of 10 qrcodes on the Free plan\. Please upgrade to add more QR Codes\. To go on, upgrade to Starter or higher in CodeQR's billing settings, or wait for next month's allowance\.$/,
    ],
    [
      "Dub's links quota, sent as forbidden",
      forbidden(
        'forbidden',
        "You've reached your limit of 25 links on the Pro plan. Please upgrade for higher limits.",
      ),
      'exceeded_limit',
      /upgrade to Business or higher in CodeQR's billing settings, or delete QR codes you no longer need\.$/,
    ],
    [
      'the tag quota',
      forbidden(
        'exceeded_limit',
        'You have reached the  limit of 5 tags on the Free plan. Please upgrade to add more tags.',
      ),
      'exceeded_limit',
      /limit of 5 tags on the Free plan.*upgrade to Starter or higher.*or delete tags you no longer need\.$/,
    ],
    [
      'a feature gate',
      forbidden(
        'forbidden',
        'You can only use password protection on a Starter plan. Upgrade to Starter to use these features.',
      ),
      'forbidden',
      /^Your CodeQR plan does not include this \(403\): You can only use password protection on a Starter plan\..* Link Password needs the Starter plan or higher: upgrade in CodeQR's billing settings, or leave Link Password out of this step\.$/,
    ],
    [
      'smart rules',
      forbidden(
        'forbidden',
        'Smart rules are available on the Business plan and above. Upgrade to Business to use this feature.',
      ),
      'forbidden',
      /Smart rules are available on the Business plan and above\..*Smart Rules needs the Business plan or higher/,
    ],
    [
      'a feature gate that names no plan',
      forbidden('forbidden', 'Link cloaking is not available on your current plan.'),
      'forbidden',
      /Link cloaking is not available on your current plan\. Link Cloaking needs the Pro plan or higher: .*leave Link Cloaking out of this step\.$/,
    ],
    [
      'an analytics window',
      forbidden(
        'forbidden',
        'You can only get analytics for up to 30 days on a free plan. Upgrade to Starter, Pro, or Business to get analytics for longer periods.',
      ),
      'forbidden',
      /does not include this much history \(403\): You can only get analytics for up to 30 days on a free plan\..*Pick a shorter interval \(at most 30 days\)/,
    ],
  ])('%s: names the plan or limit and the fix, in CodeQR’s words', async (_name, answer, code, message) => {
    const { client } = scripted(answer);
    const error = await failure(client.qrcodes.count());
    expect(error.code).toBe(code);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(message);
  });

  it('/events below Business says which plan lists scans and what to use instead', async () => {
    const { client } = scripted(forbidden('forbidden', 'Unauthorized: Need higher plan.'));
    const error = await failure(client.events.list({}).toArray({ limit: 1 }));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/Need higher plan\. Listing individual scans needs the Business plan or higher/);
  });

  it('a 403 that is not about plans keeps the plain wording', async () => {
    const { client } = scripted(
      forbidden('forbidden', 'This API key is read-only; the "qrcodes.write" permission is required.'),
    );
    const error = await failure(client.qrcodes.count());
    expect(error.message).toBe(
      'CodeQR refused this request (403): This API key is read-only; the "qrcodes.write" permission is required.',
    );
  });
});

describe.each(STYLES)('against the sandbox, %s-style rate-limit headers', (style) => {
  let sb: Sandbox;
  const clock = { now: T0 };
  const sleeps: number[] = [];
  /**
   * The sandbox shares the fake clock, so time may only pass while the network is idle: otherwise a request sent in
   * one window would reach the sandbox in the next. Each sleep waits for every request in flight to be answered.
   */
  let inFlight = 0;
  const http = createFetchTransport();
  const transport: Transport = async (request) => {
    inFlight++;
    try {
      return await http(request);
    } finally {
      inFlight--;
    }
  };
  const idle = async () => {
    // first let every admitted request reach the transport, then wait for their answers
    do await new Promise((resolve) => setTimeout(resolve, 1));
    while (inFlight > 0);
  };
  const make = (key: string, options: Record<string, unknown> = {}): CodeQrClient =>
    createCodeQrClient({
      apiKey: key,
      baseUrl: sb.url,
      transport,
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
        const until = clock.now + ms;
        await idle();
        clock.now = Math.max(clock.now, until);
      },
      random: () => 0.5,
      ...options,
    });
  const fault = (body: object) =>
    fetch(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({
      keys: [
        { key: KEY, plan: 'business' },
        { key: 'codeqr_waits_free', plan: 'free' },
      ],
      rateLimitHeaders: style,
      now: () => clock.now,
      seed: 7,
    });
  }, 30_000);
  afterAll(() => sb.close(), 30_000);

  it('one 429 with Retry-After: 1 on a GET costs about a second', async () => {
    clock.now = T0 + 10 * 60_000;
    sleeps.length = 0;
    const c = make(KEY);
    await c.qrcodes.count(); // the pacer learns the window (resets 51 s from now)
    await fault({ route: 'GET /qrcodes/count', mode: 'status', status: 429, retryAfter: 1 });
    expect(await c.qrcodes.count()).toBe(0);
    const waited = sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(1200);
  });

  it('a run over the Free limit is paced through the windows with no 429 and every wait under the cap', async () => {
    clock.now = T0 + 20 * 60_000;
    sleeps.length = 0;
    const limited: number[] = [];
    const c = make('codeqr_waits_free', {
      onRateLimit: (e: { reason: string }) => e.reason === '429' && limited.push(1),
    });
    await Promise.all(Array.from({ length: 150 }, () => c.qrcodes.count()));
    expect(limited).toEqual([]);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(60_050);
    expect(clock.now - (T0 + 20 * 60_000)).toBeGreaterThanOrEqual(60_000); // 150 requests need 3 windows of 60
  });

  it('with a budget, a run over the limit fails fast with retryAfter instead of waiting for the window', async () => {
    clock.now = T0 + 30 * 60_000;
    sleeps.length = 0;
    const c = make('codeqr_waits_free', { timeBudgetMs: 20_000 });
    const results = await Promise.allSettled(Array.from({ length: 80 }, () => c.qrcodes.count()));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(60);
    expect(failed).toHaveLength(20);
    for (const error of failed) {
      expect(error).toMatchObject({ code: 'rate_limit_exceeded', requestSent: false });
      expect(error.retryAfter).toBeGreaterThan(20);
      expect(error.retryAfter).toBeLessThanOrEqual(60);
    }
    expect(sleeps).toEqual([]);
  });

  it('`await list({ limit: 5 })` answers at most 5 rows, as do for await and toArray', async () => {
    const c = make(KEY);
    await c.qrcodes.bulkCreate(
      Array.from({ length: 12 }, (_, i) => ({ url: `https://example.com/limit-${style}-${i}` })),
    );
    expect(await c.qrcodes.list({ limit: 5 })).toHaveLength(5);
    const walked = [];
    for await (const qr of c.qrcodes.list({ limit: 5 })) walked.push(qr);
    expect(walked).toHaveLength(5);
    expect(await c.qrcodes.list({ limit: 5 }).toArray({ limit: 100 })).toHaveLength(5);
    expect(await c.qrcodes.list({ limit: 7, pageSize: 3 }).toArray({ limit: 100 })).toHaveLength(7);
    expect(await c.qrcodes.list({ limit: 7 }).toArray({ limit: 4 })).toHaveLength(4);
  });
});

describe('found in review: retry options, budget margins, past retry times, wording', () => {
  it('retry options given as undefined keep their defaults instead of retrying forever', async () => {
    const sleeps: number[] = [];
    const { client, state } = scripted(() => json(500, { error: { code: 'internal_server_error', message: 'boom' } }), {
      retry: { limit: undefined, baseDelayMs: undefined, maxDelayMs: undefined },
      // a guard, so the old code (which retried forever with NaN waits) fails instead of hanging
      sleep: async (ms: number) => {
        sleeps.push(ms);
        if (sleeps.length > 20) throw new Error('still retrying after 20 waits');
      },
    });
    const error = await failure(client.qrcodes.count());
    expect(error.code).toBe('internal_server_error');
    expect(state.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    for (const ms of sleeps) expect(Number.isFinite(ms)).toBe(true);
  });

  it("a paced wait whose end (with the pacer's margin) leaves under a second of the budget fails at once", async () => {
    const resetAt = T0 + 10_000;
    const { client, state } = scripted((_r, n, now) =>
      json(200, n, rateHeaders('docs', now, { remaining: 0, resetAt })),
    );
    await client.qrcodes.count();
    // the window resets in 10 s and the pacer waits 50 ms past it: a budget ending 1,020 ms after the reset leaves
    // 970 ms for the request, less than an attempt needs, so the wait must be refused up front, not made and wasted
    const error = await failure(client.withBudget(11_020).qrcodes.count());
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', requestSent: false, retryAfter: 10 });
    expect(error.message).toMatch(
      /used up for 10 s .*, too long to still send the request within this call's time budget/,
    );
    expect(state.sleeps).toEqual([]);
    expect(state.requests).toHaveLength(1);
  });

  it.each(STYLES)(
    'a 429 whose %s-style Retry-After is already past (clock skew) backs off instead of retrying at once',
    async (style) => {
      const { client, state } = scripted((_r, n, now) =>
        n < 3
          ? tooMany(rateHeaders(style, now, { remaining: 0, resetAt: now - 2_000, retryAt: now - 2_000 }))
          : json(200, 9),
      );
      expect(await client.qrcodes.count()).toBe(9);
      expect(state.requests).toHaveLength(3);
      expect(state.sleeps).toHaveLength(2);
      for (const ms of state.sleeps) {
        expect(ms).toBeGreaterThan(0);
        expect(ms).toBeLessThanOrEqual(1_000);
      }
    },
  );

  it.each(STYLES)(
    'a %s-style 429 whose retry time is already past reports retryAfter of at least 1 s (never a 0 s throttle)',
    async (style) => {
      const { client } = scripted((_r, _n, now) =>
        tooMany(rateHeaders(style, now, { remaining: 0, resetAt: now - 2_000, retryAt: now - 2_000 })),
      );
      const error = await failure(client.qrcodes.count());
      expect(error.code).toBe('rate_limit_exceeded');
      expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    },
  );

  it('a quota message with a singular resource still reads right ("delete folders …")', async () => {
    const { client } = scripted(() =>
      json(403, {
        error: {
          code: 'exceeded_limit',
          message:
            'You have reached the monthly limit of 1 folder on the Free plan. Please upgrade to add more folders.',
        },
      }),
    );
    const error = await failure(client.qrcodes.count());
    expect(error.message).toMatch(/, or delete folders you no longer need\.$/);
  });
});

describe('contention on one key: a 429 is a wait, budgets and timeouts hold, clocks may differ', () => {
  let sb: Sandbox;
  const key = 'codeqr_waits_contention';
  beforeAll(async () => {
    sb = await startSpecCheckedSandbox({ keys: [{ key, plan: 'business' }], seed: 15 });
  }, 30_000);
  afterAll(() => sb.close(), 30_000);
  /** A client on the sandbox whose waits are recorded and skipped (its clock jumps instead). */
  const skipping = (options: Record<string, unknown> = {}) => {
    let skew = 0;
    const waits: number[] = [];
    const limited: number[] = [];
    const client = createCodeQrClient({
      apiKey: key,
      baseUrl: sb.url,
      now: () => Date.now() + skew,
      sleep: async (ms) => {
        waits.push(ms);
        skew += ms;
      },
      onRateLimit: (e) => e.reason === '429' && limited.push(e.waitMs),
      ...options,
    });
    return { client, waits, limited };
  };
  const fault = (body: object) =>
    fetch(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const reset = () =>
    fetch(`${sb.url}/__sandbox/reset`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });

  it('five 429s in a row with Retry-After: 1 on GET /qrcodes* are waited out: upsertMany fails nothing (no budget)', async () => {
    await reset();
    const { client, waits, limited } = skipping();
    await fault({ route: 'GET /qrcodes*', mode: 'status', status: 429, retryAfter: 1, count: 5 });
    const items = Array.from({ length: 3 }, (_, i) => ({ url: `https://example.com/c/${i}`, externalId: `c-${i}` }));
    const results = await client.qrcodes.upsertMany(items);
    console.log(
      `[figure] 5 × 429 (Retry-After: 1) → ${limited.length} waits of ${limited.join('/')} ms, results: ${results.map((r) => (r.ok ? r.action : r.error.message)).join(', ')}`,
    );
    expect(results.map((r) => (r.ok ? r.action : r.error.message))).toEqual(['created', 'created', 'created']);
    expect(limited).toHaveLength(5);
    for (const ms of waits) expect(ms).toBeLessThanOrEqual(1_100);
  });

  it('the time budget, not an attempt count, bounds them: with timeBudgetMs 3000 the lookup fails as rate_limit_exceeded', async () => {
    await reset();
    const { client } = skipping({ timeBudgetMs: 3_000 });
    await fault({ route: 'GET /qrcodes*', mode: 'status', status: 429, retryAfter: 1, count: 5 });
    const items = Array.from({ length: 3 }, (_, i) => ({ url: `https://example.com/d/${i}`, externalId: `d-${i}` }));
    const results = await client.qrcodes.upsertMany(items);
    for (const r of results) {
      expect(r).toMatchObject({ ok: false, error: { code: 'rate_limit_exceeded' } });
      expect(r.ok ? '' : r.error.message).not.toMatch(/gave up after/);
    }
    await reset();
    await fault({ route: 'GET /qrcodes*', mode: 'status', status: 500, count: 5 });
    const error = await failure(skipping().client.qrcodes.count());
    expect(error.message).toMatch(/gave up after 4 attempts/); // other errors keep their attempt limit
  });

  it('without a budget, a limiter that never lets anything through is still reported, after a long patience', async () => {
    const { client, state } = scripted((_r, _n, now) =>
      tooMany(rateHeaders('docs', now, { remaining: 0, resetAt: now + 1_000, retryAt: now + 1_000 })),
    );
    const error = await failure(client.qrcodes.count());
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toMatch(/waiting out the rate limit/);
    expect(state.now - T0).toBeGreaterThanOrEqual(15 * 60_000);
    expect(state.now - T0).toBeLessThan(16 * 60_000);
  });

  it('timeoutMs applies to bulk requests (60 s is only the default when no timeoutMs is given)', async () => {
    const seen: number[] = [];
    const answer = (request: TransportRequest) => {
      if (request.method === 'POST') seen.push(request.timeoutMs);
      const items = JSON.parse(request.body ?? '[]') as { url: string; externalId: string }[];
      return json(
        200,
        items.map((item, i) => ({
          id: `qr_${i}`,
          domain: 'codeqr.link',
          key: `k${i}`,
          shortLink: `https://codeqr.link/k${i}`,
          url: item.url,
          externalId: item.externalId,
          type: 'url',
          static: false,
          createdAt: new Date(T0).toISOString(),
          updatedAt: new Date(T0).toISOString(),
        })),
      );
    };
    const items = [{ url: 'https://example.com/t', externalId: 't-1' }];
    await scripted(answer, { timeoutMs: 1_500 }).client.qrcodes.bulkCreate(items);
    await scripted(answer).client.qrcodes.bulkCreate(items);
    expect(seen).toEqual([1_500, 60_000]);
  });

  it('withBudget holds while another call’s probe request hangs: the budgeted call sends its own', async () => {
    let release: (() => void) | undefined;
    const { client, state } = scripted(async (_r, n, now) => {
      if (n === 1) await new Promise<void>((resolve) => (release = resolve));
      return json(200, n, rateHeaders('docs', now, { resetAt: now + 60_000 }));
    });
    const hanging = client.qrcodes.count(); // no budget: the first request probes, and hangs
    await new Promise((resolve) => setTimeout(resolve, 10));
    const budgeted = client.withBudget(1_500).qrcodes.count();
    const outcome = await Promise.race([
      budgeted,
      new Promise((resolve) => setTimeout(() => resolve('still waiting for the other call'), 500)),
    ]);
    expect(outcome).toBe(2);
    expect(state.sleeps).toEqual([]);
    release?.();
    expect(await hanging).toBe(1);
  });

  describe.each(STYLES)('a client clock 2 minutes off, %s-style headers', (style) => {
    it.each([
      ['behind', -120_000],
      ['ahead', 120_000],
    ])('%s: a 4-second window wait stays about 4 s and nothing fails', async (_name, skew) => {
      // the server's clock is T0 + elapsed; the client's is 2 minutes off; windows of 4 s hold 2 requests
      const server = { used: 0, window: 0 };
      const serverNow = (clientNow: number) => clientNow - skew;
      const { client, state } = scripted((_r, _n, clientNow) => {
        const now = serverNow(clientNow);
        const window = Math.floor(now / 4_000);
        if (window !== server.window) Object.assign(server, { window, used: 0 });
        const resetAt = (window + 1) * 4_000;
        const date = { date: new Date(now).toUTCString() };
        if (server.used >= 2) {
          return tooMany({
            ...rateHeaders(style, now, { limit: 2, remaining: 0, resetAt, retryAt: resetAt }),
            ...date,
          });
        }
        server.used++;
        return json(200, server.used, {
          ...rateHeaders(style, now, { limit: 2, remaining: 2 - server.used, resetAt }),
          ...date,
        });
      });
      state.now = T0 + skew; // the client's clock
      const counts = [];
      for (let i = 0; i < 6; i++) counts.push(await client.qrcodes.count());
      console.log(`[figure] clock ${_name} by 2 min (${style}): 6 calls, sleeps ${state.sleeps.join('/')} ms`);
      expect(counts).toHaveLength(6);
      expect(state.sleeps.length).toBeGreaterThan(0);
      for (const ms of state.sleeps) expect(ms).toBeLessThanOrEqual(5_100);
    });
  });

  it('sharedPacing: two clients on one key (n8n builds one per execution) pace together', async () => {
    const sends: string[] = [];
    const make = (name: string, sharedPacing: boolean, apiKey: string) =>
      scripted(
        (_r, _n, now) => {
          sends.push(name);
          return json(200, 1, rateHeaders('docs', now, { remaining: 0, resetAt: now + 30_000 }));
        },
        { sharedPacing, apiKey },
      );
    // the shared pacer keeps the clock and sleep of the client that made it (one process has one of each)
    const first = make('a', true, 'codeqr_shared_pacing');
    await first.client.qrcodes.count();
    await make('b', true, 'codeqr_shared_pacing').client.qrcodes.count();
    // it knew the window was used up, from the first client's answer, and waited for the reset before sending
    expect(first.state.sleeps).toEqual([30_050]);
    const third = make('c', false, 'codeqr_private_pacing');
    await third.client.qrcodes.count();
    const fourth = make('d', false, 'codeqr_private_pacing');
    await fourth.client.qrcodes.count();
    expect([...third.state.sleeps, ...fourth.state.sleeps]).toEqual([]);
    expect(sends).toEqual(['a', 'b', 'c', 'd']);
  });
});
