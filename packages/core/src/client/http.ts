import type * as z from 'zod/v4';
import { CodeQrError, type CodeQrErrorCode, type FieldIssue, isCodeQrError } from '../errors.ts';
import { API_ERROR_STATUS } from '../schemas/errors.ts';
import { pacerFor, type RateLimitEvent, RateLimitPacer, type WaitCheck } from './pacer.ts';
import { planAdvice } from './plan-errors.ts';
import { formatDuration, retryAt } from './rate-limit-headers.ts';
import { type HttpMethod, type Transport, transportError } from './transport.ts';
import { schemaIssues } from './validate.ts';

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

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestSpec<T> {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema?: z.ZodType<T>;
  /** A POST that is safe to repeat (it carries its own idempotency handle, e.g. an externalId). */
  idempotent?: boolean;
  timeoutMs?: number;
  /**
   * The end of the time budget this request belongs to (epoch ms), from `http.deadline()` taken once at the start
   * of a multi-request operation; without it, the client's scope (`withBudget`) or a fresh `timeBudgetMs` applies.
   */
  deadline?: number;
  /** Called before each attempt with its number (1, 2, …): lets a caller tell a retried request from a first one. */
  onAttempt?: (attempt: number) => void;
  /**
   * Called when an attempt failed and the request is tried again, with whether that attempt may have been applied
   * (false for a 429, a connection that never reached CodeQR, or a 4xx): lets a caller tell its own earlier write
   * from someone else's.
   */
  onRetry?: (failure: CodeQrError, mayHaveLanded: boolean) => void;
  /** A slow request (bulk): its timeout defaults to 60 s unless the client was given `timeoutMs`. */
  slow?: boolean;
}

export const DEFAULT_BASE_URL = 'https://api.codeqr.io';
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
/** Less than this left of a budget is not enough to send a request in (it would time out with its fate unknown). */
const MIN_ATTEMPT_MS = 1000;
/** The default timeout of a slow (bulk) request when the client was not given `timeoutMs`. */
const SLOW_TIMEOUT_MS = 60_000;
/**
 * Without a time budget, how long one request keeps waiting out 429s before it reports the rate limit (each wait is
 * still capped by `maxRetryAfterMs`): a safety net against a limiter that never lets anything through, far longer
 * than contention on one key lasts.
 */
const RATE_LIMIT_PATIENCE_MS = 15 * 60_000;

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

function durationOption(value: unknown, name: string, min: number): number | undefined {
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

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const STATUS_CODES: Record<number, CodeQrErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'invite_expired',
  422: 'unprocessable_entity',
  429: 'rate_limit_exceeded',
  503: 'service_unavailable',
};

/** Splits CodeQR's 422 text ("url: must be …; key: …") into field issues. */
function issuesFrom(message: string): FieldIssue[] {
  return message
    .split(/;\s+/)
    .map((part) => /^([A-Za-z_][\w.[\]]*):\s+(.+)$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ field: m[1]!, message: m[2]! }));
}

/** Turns a non-2xx answer into a CodeQrError whose message a workflow user can act on. */
export function errorFromResponse(
  status: number,
  body: string,
  headers: Record<string, string>,
  now: number = Date.now(),
  path = '',
): CodeQrError {
  let serverCode: string | undefined;
  let serverMessage: string | undefined;
  let docUrl: string | undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; doc_url?: unknown } };
    if (parsed?.error && typeof parsed.error === 'object') {
      serverCode = typeof parsed.error.code === 'string' ? parsed.error.code : undefined;
      serverMessage = typeof parsed.error.message === 'string' ? parsed.error.message : undefined;
      docUrl = typeof parsed.error.doc_url === 'string' ? parsed.error.doc_url : undefined;
    }
  } catch {
    // not JSON (e.g. a proxy's HTML page): described by status below
  }
  let code: CodeQrErrorCode =
    serverCode && serverCode in API_ERROR_STATUS
      ? (serverCode as CodeQrErrorCode)
      : (STATUS_CODES[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request'));
  const detail = serverMessage ? `: ${serverMessage.replace(/\.?$/, '.')}` : '.';
  const advices: Partial<Record<CodeQrErrorCode, string>> = {
    unauthorized: 'Check the key in your credentials.',
    exceeded_limit: 'Upgrade your plan or free up some of it.',
  };
  const messages: Partial<Record<CodeQrErrorCode, string>> = {
    unauthorized: `CodeQR rejected the API key (401). ${advices.unauthorized}`,
    forbidden: `CodeQR refused this request (403)${detail}`,
    exceeded_limit: `Your CodeQR plan's limit is reached (403)${detail} ${advices.exceeded_limit}`,
    not_found: `CodeQR could not find it (404)${detail}`,
    conflict: `It already exists in CodeQR (409)${detail}`,
    unprocessable_entity: `CodeQR rejected the input (422)${detail}`,
    bad_request: `CodeQR could not read the request (${status})${detail}`,
    rate_limit_exceeded: `CodeQR's rate limit was reached (429)${detail}`,
  };
  let message = messages[code] ?? `CodeQR had a server error (${status})${detail} Try again later.`;
  let advice = messages[code] ? advices[code] : 'Try again later.';
  if (status === 403 && (code === 'forbidden' || code === 'exceeded_limit')) {
    const plan = planAdvice(serverCode, serverMessage, path);
    if (plan) ({ code, message, advice } = plan);
  }
  const at = status === 429 || status === 503 ? retryAt(headers, now, status === 429) : undefined;
  return new CodeQrError({
    code,
    status,
    message,
    requestId: headers['x-request-id'],
    docUrl,
    // at least 1 s: a retry time already past (clock skew, `Retry-After: 0`) must not become a host's 0-second throttle
    retryAfter: at === undefined ? undefined : Math.max(1, Math.ceil((at - now) / 1000)),
    issues: code === 'unprocessable_entity' && serverMessage ? issuesFrom(serverMessage) : [],
    ...(advice ? { advice } : {}),
  });
}

/** Everything one client's requests share: its key, transport, clock, retry policy and rate-limit pacer. */
interface Engine {
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

/**
 * How far the server's clock is ahead of ours, from one answer's `Date` header (whole seconds, taken while the
 * answer was made): its true offset lies in [date − receivedAt, date + 1 s − sentAt]. When that range holds 0 the
 * clocks agree as far as can be told (0); otherwise its lower end, so a reset time read through it is never early.
 */
export function serverClockOffset(date: string | undefined, sentAt: number, receivedAt: number): number | undefined {
  if (!date) return undefined;
  const server = Date.parse(date);
  if (Number.isNaN(server)) return undefined;
  const low = server - receivedAt;
  const high = server + 1000 - sentAt;
  if (low <= 0 && high >= 0) return 0;
  return low;
}

/** A 4xx other than 429: CodeQR refused the request without applying it. */
const isClientError = (error: CodeQrError) =>
  error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429;

/** Thrown when a wait is refused; the request loop turns it into the caller's error. */
class WaitRefused extends Error {
  readonly waitMs: number;
  readonly until: number;
  readonly reason: 'cap' | 'budget' | 'patience';
  constructor(waitMs: number, until: number, reason: 'cap' | 'budget' | 'patience') {
    super('wait refused');
    this.waitMs = waitMs;
    this.until = until;
    this.reason = reason;
  }
}

/** `{ engine, deadline }`: a scope made by `withBudget` (module-private, so only this file can make one). */
const SCOPE = Symbol('scope');
interface Scope {
  [SCOPE]: true;
  engine: Engine;
  deadline: number | undefined;
}

/**
 * The request engine every API noun goes through: auth, JSON, timeouts (via the transport), pacing, retries with
 * jittered backoff honouring `Retry-After`/`X-RateLimit-Reset`, bounded waits and time budgets, error mapping and
 * response validation. GET/PUT/DELETE retry on 429/5xx/network errors/timeouts; a POST retries only on 429, on a
 * connection that never reached CodeQR, or when the caller marks it idempotent (it carries an externalId).
 *
 * Budgets: a multi-request operation (bulk, upsertMany, reading every page) takes `const deadline = http.deadline()`
 * once at its start and passes `deadline` in every RequestSpec, so all of its requests share one budget; or it runs
 * on `http.withBudget()`, a view whose every request shares one. Nested operations inherit the outer deadline.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly pacer: RateLimitPacer;
  /** The end of this view's shared budget (epoch ms), for views made by `withBudget`. */
  readonly scopeDeadline: number | undefined;
  /** A private field: the key never shows in JSON, `toString` or `util.inspect` of the client. */
  readonly #engine: Engine;

  constructor(options: HttpOptions | Scope) {
    if (SCOPE in options) {
      this.#engine = options.engine;
      this.scopeDeadline = options.deadline;
    } else {
      this.#engine = HttpClient.#engineFrom(options);
      this.scopeDeadline = undefined;
    }
    this.baseUrl = this.#engine.baseUrl;
    this.pacer = this.#engine.pacer;
  }

  static #engineFrom(options: HttpOptions): Engine {
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

  /**
   * The deadline (epoch ms) for an operation starting now: this view's shared one (`withBudget`), else now plus the
   * client's `timeBudgetMs`, else undefined (no budget). Take it once per operation and pass it in every spec.
   */
  deadline(): number | undefined {
    if (this.scopeDeadline !== undefined) return this.scopeDeadline;
    const budget = this.#engine.timeBudgetMs;
    return budget === undefined ? undefined : this.#engine.now() + budget;
  }

  /**
   * A view of this client (same key, transport and pacer) whose every request shares ONE budget: `ms` from now, or
   * the client's `timeBudgetMs` when omitted. A view's own deadline is never extended by a nested `withBudget`.
   */
  withBudget(ms?: number): HttpClient {
    if (ms !== undefined) durationOption(ms, 'withBudget(ms)', 1);
    const fresh = ms === undefined ? this.deadline() : this.#engine.now() + ms;
    if (fresh === undefined) return this;
    const deadline = this.scopeDeadline === undefined ? fresh : Math.min(this.scopeDeadline, fresh);
    if (deadline === this.scopeDeadline) return this;
    return new HttpClient({ [SCOPE]: true, engine: this.#engine, deadline });
  }

  /** Now on this client's clock (its injected `now`), epoch ms. */
  now(): number {
    return this.#engine.now();
  }

  /**
   * `at` (a time on this client's clock, default now) on CodeQR's clock: plus the offset last measured from a `Date`
   * header (whole seconds, so good to about a second; 0 until an answer came). Lets a caller compare its own times
   * with CodeQR's timestamps (`createdAt`).
   */
  serverTime(at: number = this.#engine.now()): number {
    return at + this.#engine.clock.offsetMs;
  }

  private backoff(attempt: number): number {
    const { retry, random } = this.#engine;
    const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (random() * exp) / 2);
  }

  /** Refuses a wait longer than the cap, or one that would not leave time for the request within `deadline`. */
  private checkWait(deadline: number | undefined, bounded: boolean): WaitCheck {
    return (waitMs, until, wakesAt = until) => {
      if (bounded && waitMs > this.#engine.retry.maxRetryAfterMs) throw new WaitRefused(waitMs, until, 'cap');
      if (deadline !== undefined && wakesAt + MIN_ATTEMPT_MS > deadline) {
        throw new WaitRefused(waitMs, until, 'budget');
      }
    };
  }

  /** The error for a refused wait: `rate_limit_exceeded` (or the failure that asked for it) with `retryAfter`. */
  private refused(
    refusal: WaitRefused,
    failure: CodeQrError | undefined,
    attempts: number,
    deadline: number | undefined,
  ): CodeQrError {
    const { retry, now } = this.#engine;
    const retryAfter = Math.max(1, Math.ceil(refusal.waitMs / 1000));
    const when = `${formatDuration(refusal.waitMs)} (until ${new Date(refusal.until).toISOString()})`;
    const limit =
      refusal.reason === 'cap'
        ? `longer than the ${formatDuration(retry.maxRetryAfterMs)} this client may wait (maxRetryAfterMs)`
        : refusal.reason === 'patience'
          ? `after ${formatDuration(RATE_LIMIT_PATIENCE_MS)} of waiting out the rate limit for this one request`
          : `too long to still send the request within this call's time budget (${formatDuration(Math.max(0, (deadline ?? now()) - now()))} left)`;
    const rateLimited = failure === undefined || failure.status === 429;
    const what = rateLimited
      ? failure
        ? `CodeQR's rate limit was reached (429) and it asks to wait ${when}`
        : `CodeQR's rate limit for this key is used up for ${when}`
      : `${failure.message.replace(/\.$/, '')}; CodeQR asks to wait ${when}`;
    return new CodeQrError({
      code: rateLimited ? 'rate_limit_exceeded' : failure.code,
      status: failure?.status,
      message: `${what}, ${limit}. Nothing more was sent; retry after ${new Date(refusal.until).toISOString()} (in ${retryAfter} s).`,
      retryAfter,
      requestId: failure?.requestId,
      docUrl: failure?.docUrl,
      attempts: Math.max(1, attempts),
      // a 429 was turned away unprocessed, and a refused pacing wait sent nothing: safe to repeat either way
      requestSent: failure === undefined || failure.status === 429 ? false : failure.requestSent,
      cause: failure,
    });
  }

  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const engine = this.#engine;
    const { now, pacer, pacing, retry, clock } = engine;
    const url = `${engine.baseUrl}${spec.path}${buildQuery(spec.query)}`;
    const safe = spec.method !== 'POST' && spec.method !== 'PATCH' ? true : spec.idempotent === true;
    const headers = { ...engine.headers };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const deadline = spec.deadline ?? this.deadline();
    const ownTimeoutMs =
      spec.timeoutMs ??
      (spec.slow && !engine.timeoutGiven ? Math.max(engine.timeoutMs, SLOW_TIMEOUT_MS) : engine.timeoutMs);
    const startedAt = now();
    let lastFailure: CodeQrError | undefined;
    /** Failures other than 429s: these, not the 429s, count against `retry.limit`. */
    let failures = 0;

    for (let attempt = 1; ; attempt++) {
      let ticket: number | undefined;
      if (pacing) {
        try {
          ticket = await pacer.acquire({
            check: this.checkWait(deadline, true),
            deadline,
            timeoutMs: ownTimeoutMs,
            onWait: engine.onRateLimit,
          });
        } catch (error) {
          if (error instanceof WaitRefused) throw this.refused(error, lastFailure, attempt - 1, deadline);
          throw error;
        }
      }
      let timeoutMs = ownTimeoutMs;
      if (deadline !== undefined) {
        const left = deadline - now();
        if (left < Math.min(MIN_ATTEMPT_MS, timeoutMs)) {
          if (pacing) pacer.release(undefined, ticket);
          throw this.outOfTime(deadline, attempt, lastFailure);
        }
        timeoutMs = Math.min(timeoutMs, left);
      }
      spec.onAttempt?.(attempt);
      let released = false;
      let failure: CodeQrError;
      let retryable: boolean;
      let waitUntil: number | undefined;
      const sentAt = now();
      try {
        const response = await engine.transport({ method: spec.method, url, headers, body, timeoutMs });
        released = true;
        if (!response || typeof response.status !== 'number' || typeof response.headers !== 'object') {
          if (pacing) pacer.release(undefined, ticket);
          throw new CodeQrError({
            code: 'invalid_configuration',
            message: `The transport answered ${spec.method} ${spec.path} with ${response === undefined ? 'nothing' : 'something that is not { status, headers, body }'}; a Transport must resolve every HTTP answer as { status, headers, body } (see the core README's transport contract).`,
          });
        }
        const at = now();
        // CodeQR's clock, from its Date header: epoch reset times are read on it, so a client clock minutes off
        // neither waits minutes too long nor takes a reset for past
        const offset = serverClockOffset(response.headers.date, sentAt, at);
        if (offset !== undefined) clock.offsetMs = offset;
        if (pacing) pacer.release(response.headers, ticket, clock.offsetMs);
        if (response.status >= 200 && response.status < 300) {
          return this.parse(spec, response.body, response.headers, attempt);
        }
        const serverNow = at + clock.offsetMs;
        failure = errorFromResponse(response.status, response.body, response.headers, serverNow, spec.path);
        // A 429 means CodeQR's limiter turned the request away before doing anything: always safe to repeat.
        retryable = response.status === 429 || (safe && RETRYABLE_STATUS.has(response.status));
        if (response.status === 429 || response.status === 503) {
          const told = retryAt(response.headers, serverNow, response.status === 429);
          waitUntil = told === undefined ? undefined : told - clock.offsetMs;
        }
        if (response.status === 429) {
          // A 429 told to retry now, at a time already past, or not told when, backs off with full jitter, so clients
          // on one key spread out instead of meeting the limit again together. One told when waits exactly that: the
          // pacer then lets one request of this client probe, so several clients come back one request each.
          if (waitUntil === undefined || waitUntil <= at) {
            const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(attempt - 1, 16));
            waitUntil = at + Math.max(1, Math.round(engine.random() * exp));
          }
        }
      } catch (error) {
        if (pacing && !released) pacer.release(undefined, ticket);
        if (isCodeQrError(error) && error.code === 'invalid_configuration') throw error;
        if (isCodeQrError(error) && error.code === 'invalid_response') {
          failure = error;
          retryable = safe && error.status === undefined;
        } else {
          failure = isCodeQrError(error) ? error : transportError('network_error', error);
          retryable = safe || failure.requestSent === false;
        }
      }
      lastFailure = failure;
      const rateLimited = failure.status === 429;
      if (!retryable) throw this.final(failure, attempt, false);
      // A 429 is a wait, not a failure: it is bounded by the budget and maxRetryAfterMs (below), not by a count.
      if (!rateLimited && ++failures > retry.limit) throw this.final(failure, attempt, true);

      const at = now();
      const told = waitUntil !== undefined;
      const until = waitUntil ?? at + Math.min(this.backoff(failures), retry.maxRetryAfterMs);
      const wait = Math.max(0, until - at);
      if (rateLimited && deadline === undefined && at + wait - startedAt > RATE_LIMIT_PATIENCE_MS) {
        throw this.refused(new WaitRefused(wait, until, 'patience'), failure, attempt, deadline);
      }
      try {
        this.checkWait(deadline, told)(wait, until);
      } catch (error) {
        if (!(error instanceof WaitRefused)) throw error;
        // a refused backoff (5xx, network) reports the failure itself; a refused Retry-After says when to retry
        if (!told) throw this.final(failure, attempt, false, deadline);
        throw this.refused(error, failure, attempt, deadline);
      }
      spec.onRetry?.(failure, !(rateLimited || failure.requestSent === false || isClientError(failure)));
      if (rateLimited) {
        engine.onRateLimit?.({ reason: '429', waitMs: wait, resetAt: until });
        if (pacing) {
          // every request of this client (this one included) now waits for the Retry-After, then one probes
          pacer.block(until);
          continue;
        }
      }
      await engine.sleep(wait);
    }
  }

  /** The error when the budget is spent before an attempt could start: nothing was sent for it. */
  private outOfTime(deadline: number, attempt: number, failure: CodeQrError | undefined): CodeQrError {
    const budget = this.#engine.timeBudgetMs;
    const over = formatDuration(Math.max(0, this.#engine.now() - deadline));
    return new CodeQrError({
      code: failure?.code === 'rate_limit_exceeded' ? 'rate_limit_exceeded' : 'timeout',
      message: `This call's time budget${budget === undefined ? '' : ` (${formatDuration(budget)})`} ran out${
        deadline < this.#engine.now() ? ` ${over} ago` : ''
      } before ${attempt > 1 ? `retry ${attempt - 1}` : 'the request'} could be sent${
        failure ? ` (last error: ${failure.message.replace(/\.$/, '')})` : ''
      }; nothing more was sent. Run it again, or give the step more time.`,
      retryAfter: failure?.retryAfter ?? 1,
      attempts: Math.max(1, attempt - 1),
      requestSent: false,
      cause: failure,
    });
  }

  /** The error to throw, with the attempt count; "gave up" only when retries ran out on a retryable failure. */
  private final(error: CodeQrError, attempts: number, exhausted: boolean, deadline?: number): CodeQrError {
    if (attempts === 1 && deadline === undefined) return error;
    const reason = exhausted
      ? ` (gave up after ${attempts} attempts)`
      : deadline !== undefined
        ? ` (no time left in this call's time budget to retry${attempts > 1 ? ` after ${attempts} attempts` : ''})`
        : '';
    return new CodeQrError({
      code: error.code,
      status: error.status,
      message: `${error.message}${reason}`,
      requestId: error.requestId,
      docUrl: error.docUrl,
      retryAfter: error.retryAfter,
      issues: error.issues,
      attempts,
      requestSent: error.requestSent,
      ...(error.advice ? { advice: error.advice } : {}),
      cause: error,
    });
  }

  private parse<T>(spec: RequestSpec<T>, text: string, headers: Record<string, string>, attempt: number): T {
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch (cause) {
      // Truncated or garbled bodies are transient: thrown without a status so the loop may retry safe requests.
      throw new CodeQrError({
        code: 'invalid_response',
        message: `CodeQR's answer to ${spec.method} ${spec.path} was not valid JSON (cut off or garbled).`,
        requestId: headers['x-request-id'],
        attempts: attempt,
        cause,
      });
    }
    if (!spec.schema) return data as T;
    // schemaIssues words each problem itself (never zod's default texts, never the value)
    const { issues, data: valid } = schemaIssues(spec.schema, data, '', 'The answer');
    if (issues.length === 0) return valid as T;
    throw new CodeQrError({
      code: 'invalid_response',
      status: 200,
      message: `CodeQR's answer to ${spec.method} ${spec.path} did not have the expected shape (${issues
        .slice(0, 3)
        .map((i) => i.message)
        .join('; ')}).`,
      requestId: headers['x-request-id'],
      issues,
      attempts: attempt,
    });
  }
}
