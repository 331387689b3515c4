import {
  type Exchange,
  type RateLimitHeaderStyle,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '@codeqr-integrations/sandbox';
import { loadSpec, type SpecValidator } from './spec.ts';

/**
 * How a test marks its own request as a known exception to the contract check (sent as the `x-contract-skip` request
 * header, which the sandbox's exchange hook records). Every mark is itself checked, so exceptions cannot go stale:
 * - `spec`: the route is not in the spec at all (docs-only, e.g. PATCH /qrcodes/{id}); asserted to be absent.
 * - `request`: the request deviates from the spec on purpose (brief: docs allow it); asserted to fail validation.
 * - `response`: the answer is an injected transport fault (502/503/504, reset, truncate, drop), not an API response.
 * - `ratelimit`: the answer was produced before the API's auth/rate-limit layer (injected faults).
 */
export type SkipMark = 'spec' | 'request' | 'response' | 'ratelimit';

export const SKIP_HEADER = 'x-contract-skip';
/** Which key sent a request (the exchange hook never records the Authorization header). */
export const CLIENT_HEADER = 'x-contract-client';

let specPromise: Promise<SpecValidator> | undefined;
/** The validator over the official spec, built once per test file. */
export function spec(): Promise<SpecValidator> {
  specPromise ??= loadSpec();
  return specPromise;
}

export interface CallOptions {
  body?: unknown;
  /** Send this text as the body verbatim (e.g. malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
  skip?: SkipMark[];
  /** Send no Authorization header. */
  noAuth?: boolean;
  /** Override the bearer key (e.g. an invalid one). */
  bearer?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON answer (undefined when the body is empty or not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

export type Call = (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

/** A fetch-based client for one key of a sandbox; JSON in, JSON out (body is undefined if not JSON). */
export function client(baseUrl: string, key: string): Call {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { [CLIENT_HEADER]: key, ...options.headers };
    if (!options.noAuth) headers.authorization = `Bearer ${options.bearer ?? key}`;
    if (options.skip?.length) headers[SKIP_HEADER] = options.skip.join(',');
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
}

export interface ContractSandbox {
  sb: Sandbox;
  exchanges: Exchange[];
  spec: SpecValidator;
  call(key: string): Call;
  /** Contract problems in the exchanges captured since the last call (see `checkExchanges`). */
  takeFailures(): string[];
  /** Control API (`/__sandbox/...`) with the given key; never rate-limited and never recorded as an exchange. */
  control(key: string, method: string, path: string, body?: unknown): Promise<CallResult>;
}

/** Starts a sandbox whose every API exchange is recorded for contract checks. */
export async function startContractSandbox(options: SandboxOptions): Promise<ContractSandbox> {
  const exchanges: Exchange[] = [];
  const userHook = options.onExchange;
  const sb = await startSandbox({
    seed: 1,
    webhookRetryDelaysMs: [30, 60],
    ...options,
    onExchange: (x) => {
      exchanges.push(x);
      userHook?.(x);
    },
  });
  const validator = await spec();
  let checked = 0;
  return {
    sb,
    exchanges,
    spec: validator,
    call: (key) => client(sb.url, key),
    takeFailures() {
      const fresh = exchanges.slice(checked);
      checked = exchanges.length;
      return checkExchanges(validator, fresh, sb.limiter.windowMs, sb.behaviour.rateLimitHeaders);
    },
    control: (key, method, path, body) => client(sb.url, key)(method, `/__sandbox${path}`, { body }),
  };
}

const marksOf = (x: Exchange): Set<SkipMark> =>
  new Set(
    (x.headers[SKIP_HEADER] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean) as SkipMark[],
  );

/**
 * The contract check applied to every captured exchange:
 * - every response (2xx and errors) matches the spec's schema for its operation and status (undocumented statuses
 *   fail), unless marked `response`;
 * - every request the sandbox accepted (2xx) matches the spec, unless marked `request` (and then it must NOT match);
 * - every answer of an authenticated request carries X-RateLimit-Limit/Remaining/Reset (Reset in epoch seconds,
 *   within one window from now; with `style: 'dub'` in epoch milliseconds, and `Retry-After` equal to it on every
 *   answer), unless marked `ratelimit`.
 * - a 403 whose code is `exceeded_limit` is checked as the spec's 403 with that one value allowed: the brief documents
 *   `exceeded_limit` (403, quotas), the spec's 403 schema only lists `forbidden`.
 */
export function checkExchanges(
  validator: SpecValidator,
  exchanges: Exchange[],
  windowMs: number,
  style: RateLimitHeaderStyle = 'docs',
): string[] {
  const failures: string[] = [];
  const nowSec = Date.now() / 1000;
  for (const x of exchanges) {
    const marks = marksOf(x);
    const pairs = Object.entries(x.query).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]));
    const label = `${x.method} ${x.path}${pairs.length ? `?${new URLSearchParams(pairs)}` : ''} → ${x.status}`;
    if (marks.has('spec')) {
      if (validator.operation(x.method, x.path))
        failures.push(`${label}: marked "not in spec" but the spec defines it`);
    } else {
      if (!marks.has('response')) {
        failures.push(...validator.checkResponse(x.method, x.path, x.status, asSpecError(x.status, x.responseBody)));
      }
      const requestProblems = validator.checkRequest(x);
      if (marks.has('request')) {
        if (requestProblems.length === 0)
          failures.push(`${label}: marked "request deviates from spec" but it validates`);
      } else if (x.status >= 200 && x.status < 300) {
        failures.push(...requestProblems);
      }
    }
    if (x.status !== 401 && !marks.has('ratelimit')) {
      const limit = Number(x.responseHeaders['x-ratelimit-limit']);
      const remaining = Number(x.responseHeaders['x-ratelimit-remaining']);
      const reset = Number(x.responseHeaders['x-ratelimit-reset']);
      if (!Number.isInteger(limit) || limit <= 0) failures.push(`${label}: bad X-RateLimit-Limit`);
      if (!Number.isInteger(remaining) || remaining < 0 || remaining > limit) {
        failures.push(`${label}: bad X-RateLimit-Remaining`);
      }
      if (style === 'dub') {
        // Dub: Upstash's reset in epoch milliseconds, and Retry-After the very same value, on every answer
        const nowMs = Date.now();
        if (!Number.isInteger(reset) || reset > nowMs + windowMs + 1000 || reset < nowMs - 120_000) {
          failures.push(`${label}: X-RateLimit-Reset ${x.responseHeaders['x-ratelimit-reset']} is not epoch ms`);
        }
        if (x.responseHeaders['retry-after'] !== x.responseHeaders['x-ratelimit-reset']) {
          failures.push(`${label}: Retry-After ${x.responseHeaders['retry-after']} is not the reset (Dub style)`);
        }
      } else if (!Number.isInteger(reset) || reset > nowSec + windowMs / 1000 + 1 || reset < nowSec - 120) {
        // epoch seconds: an integer, at most one window (+1 s of rounding) ahead; allow the test's own runtime behind
        failures.push(`${label}: X-RateLimit-Reset ${x.responseHeaders['x-ratelimit-reset']} is not epoch seconds`);
      }
    }
  }
  return failures;
}

/** `exceeded_limit` is a documented 403 code (brief) the spec's 403 enum lacks: check the rest of the body as is. */
function asSpecError(status: number, body: unknown): unknown {
  const error = (body as { error?: { code?: unknown } } | undefined)?.error;
  if (status !== 403 || error?.code !== 'exceeded_limit') return body;
  return { ...(body as object), error: { ...error, code: 'forbidden' } };
}
