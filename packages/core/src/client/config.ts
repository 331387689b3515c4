import { CodeQrError } from '../errors.ts';
import { pacerFor, type RateLimitEvent, RateLimitPacer } from './pacer.ts';
import type { Transport } from './transport.ts';

/**
 * A client's configuration: the options a host passes, their defaults, and their validation (a wrong setting fails
 * with `invalid_configuration` before any request, without quoting a key). `engineFrom` turns them into the `Engine`
 * every request of the client shares.
 */

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  limit: number;
  /** First backoff step; doubles each retry, with jitter (default 300 ms). */
  baseDelayMs: number;
  /** Longest computed backoff (default 10 s). */
  maxDelayMs: number;
  /** Same as the client option `maxRetryAfterMs` (which wins when both are set). */
  maxRetryAfterMs: number;
}

export interface HttpOptions {
  apiKey?: string;
  baseUrl?: string;
  transport: Transport;
  sleep: (ms: number) => Promise<void>;
  retry?: Partial<RetryOptions>;
  /**
   * The longest single wait the client accepts, whether CodeQR asked for it (`Retry-After`, `X-RateLimit-Reset`)
   * or the pacer chose it (default 60 s). A longer one fails at once with `rate_limit_exceeded` and `retryAfter`.
   */
  maxRetryAfterMs?: number;
  /**
   * Time budget of each top-level call, waits and retries included (default: none). When the next wait would not
   * fit in what is left, the call fails at once with `rate_limit_exceeded` and `retryAfter` (seconds) instead of
   * waiting: set it below the host's own limit (Zapier's 30 s step). `client.withBudget(ms)` shares one budget
   * across several calls.
   */
  timeBudgetMs?: number;
  /**
   * Per-attempt timeout (default 30 s, and 60 s for a bulk request); never longer than what is left of the time
   * budget. When given, it applies to every request, bulk ones included.
   */
  timeoutMs?: number;
  userAgent?: string;
  /** Called whenever the client waits for CodeQR's rate limit (paced ahead of time, or after a 429). */
  onRateLimit?: (event: RateLimitEvent) => void;
  /** Pace requests from `X-RateLimit-*` headers (default true). */
  pacing?: boolean;
  /**
   * Share the rate-limit pacing with every other client of this process that sets it on the same base URL and key
   * (default false): for hosts that build a client per execution (n8n), so concurrent executions on one key pace
   * together instead of each spending the same window. Across processes, 429s are waits (see `timeBudgetMs`).
   */
  sharedPacing?: boolean;
  now?: () => number;
  random?: () => number;
}

export const DEFAULT_BASE_URL = 'https://api.codeqr.io';
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** A setting that is wrong: the sentence, and the issue with its rule (what is wrong and the fix, without the name). */
const configError = (field: string, message: string, rule: string) =>
  new CodeQrError({ code: 'invalid_configuration', message, issues: [{ field, message: `${field} ${rule}`, rule }] });

/** Validates the base URL: `https:` only, except loopback hosts (the sandbox). */
export function normaliseBaseUrl(raw: string | undefined): string {
  if (raw !== undefined && typeof raw !== 'string') {
    throw configError(
      'baseUrl',
      'baseUrl must be a string such as https://api.codeqr.io.',
      'must be text such as https://api.codeqr.io',
    );
  }
  const value = (raw ?? DEFAULT_BASE_URL).trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(
      'baseUrl',
      // the value is not quoted: a key pasted into the wrong field must not reach an error message
      'baseUrl is not a URL; use https://api.codeqr.io or a sandbox URL such as http://127.0.0.1:8787.',
      'must be a URL: https://api.codeqr.io, or a sandbox URL such as http://127.0.0.1:8787',
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw configError(
      'baseUrl',
      `baseUrl must use https:// (plain http is only allowed for a local sandbox such as http://127.0.0.1:8787); got "${url.origin}".`,
      'must use https:// (plain http is only allowed for a local sandbox such as http://127.0.0.1:8787)',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The `authorization` header for a key, or a configuration error that never quotes the key: a key is printable
 * ASCII, so a line break, NUL or other control character (a copy-paste accident) fails before any request.
 */
function authorization(apiKey: unknown): string {
  if (typeof apiKey !== 'string') {
    throw configError(
      'apiKey',
      'apiKey must be text: paste your CodeQR API key (it starts with "codeqr_").',
      'must be text: paste your CodeQR API key (it starts with "codeqr_")',
    );
  }
  const key = apiKey.trim();
  if (!key) {
    throw configError(
      'apiKey',
      'apiKey is empty; paste your CodeQR API key (it starts with "codeqr_").',
      'is empty; paste your CodeQR API key (it starts with "codeqr_")',
    );
  }
  const bad = /[^\x20-\x7e]/.exec(key);
  if (bad) {
    const char = bad[0];
    const what =
      char === '\n' || char === '\r'
        ? 'a line break'
        : char === '\0'
          ? 'a NUL character'
          : char < ' ' || char === '\x7f'
            ? 'a control character'
            : 'a character that is not plain ASCII (an invisible space or a curly quote, often from copying)';
    throw configError(
      'apiKey',
      `apiKey contains ${what} at position ${bad.index + 1}, so it cannot be sent; copy the key from CodeQR again and paste it without it.`,
      `contains ${what} at position ${bad.index + 1}; copy the key from CodeQR again and paste it without it`,
    );
  }
  return `Bearer ${key}`;
}

export function durationOption(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const shown = typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
    throw configError(
      name,
      `${name} must be a number${name.endsWith('Ms') ? ' of milliseconds' : ''} ${min > 0 ? `of at least ${min}` : '(0 or more)'}; got ${shown}.`,
      min > 0 ? `must be at least ${min}` : 'must be 0 or more',
    );
  }
  return value;
}

/** Everything one client's requests share: its key, transport, clock, retry policy and rate-limit pacer. */
export interface Engine {
  readonly baseUrl: string;
  readonly transport: Transport;
  readonly sleep: (ms: number) => Promise<void>;
  readonly retry: RetryOptions;
  readonly timeoutMs: number;
  /** Whether `timeoutMs` was given (then it applies to slow requests too). */
  readonly timeoutGiven: boolean;
  readonly timeBudgetMs: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly pacing: boolean;
  readonly now: () => number;
  readonly random: () => number;
  readonly onRateLimit: ((event: RateLimitEvent) => void) | undefined;
  readonly pacer: RateLimitPacer;
  /** How far CodeQR's clock is ahead of `now` (ms), measured from `Date` headers; 0 while they agree. */
  readonly clock: { offsetMs: number };
}

/** The engine of a client built from `options`: validated, defaults filled in, its own pacer (or the shared one). */
export function engineFrom(options: HttpOptions): Engine {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const retryRaw = (options.retry ?? {}) as Record<string, unknown>;
  for (const name of ['limit', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs']) {
    durationOption(retryRaw[name], `retry.${name}`, 0);
  }
  const maxRetryAfterMs =
    durationOption(options.maxRetryAfterMs, 'maxRetryAfterMs', 0) ?? options.retry?.maxRetryAfterMs ?? 60_000;
  // an option given as undefined (`retry: { limit: opts.retries }`) keeps its default
  const given = Object.fromEntries(Object.entries(retryRaw).filter(([, value]) => value !== undefined));
  const retry: RetryOptions = {
    limit: 3,
    baseDelayMs: 300,
    maxDelayMs: 10_000,
    ...(given as Partial<RetryOptions>),
    maxRetryAfterMs,
  };
  const now = options.now ?? Date.now;
  const sleep = options.sleep;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': options.userAgent ?? 'codeqr-integrations-core/0.1',
  };
  if (options.apiKey !== undefined) headers.authorization = authorization(options.apiKey);
  const timeoutMs = durationOption(options.timeoutMs, 'timeoutMs', 1);
  const makePacer = () => new RateLimitPacer({ now, sleep });
  return {
    baseUrl,
    transport: options.transport,
    sleep,
    retry,
    timeoutMs: timeoutMs ?? 30_000,
    timeoutGiven: timeoutMs !== undefined,
    timeBudgetMs: durationOption(options.timeBudgetMs, 'timeBudgetMs', 1),
    headers,
    pacing: options.pacing ?? true,
    now,
    random: options.random ?? Math.random,
    onRateLimit: options.onRateLimit,
    pacer:
      options.sharedPacing === true && headers.authorization
        ? pacerFor(baseUrl, headers.authorization, makePacer)
        : makePacer(),
    clock: { offsetMs: 0 },
  };
}
