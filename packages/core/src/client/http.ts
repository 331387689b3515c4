import type * as z from 'zod/v4';
import { CodeQrError } from '../errors.ts';
import { durationOption, type Engine, engineFrom, type HttpOptions } from './config.ts';
import type { RateLimitPacer } from './pacer.ts';
import { sendWithRetries } from './retry.ts';
import type { HttpMethod } from './transport.ts';
import { schemaIssues } from './validate.ts';

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
  /**
   * Called with the raw answer and what `schema` made of it (only when valid): lets a schema that strips the fields
   * it does not name (cheaper than a loose catch-all walking each) put them back as they came.
   */
  finish?: (raw: unknown, valid: T) => T;
}

/** The default timeout of a slow (bulk) request when the client was not given `timeoutMs`. */
const SLOW_TIMEOUT_MS = 60_000;

/** Characters that form encoding leaves as they are: a query made only of them needs no `URLSearchParams`. */
const PLAIN = /^[A-Za-z0-9_.*-]*$/;

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  let text = '';
  let params: URLSearchParams | undefined;
  for (const name in query) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    const shown = Array.isArray(value) ? value.join(',') : String(value);
    if (!params && PLAIN.test(name) && PLAIN.test(shown)) {
      // the common case (an id, a page number): the same text URLSearchParams writes, without building one
      text += `${text ? '&' : ''}${name}=${shown}`;
      continue;
    }
    params ??= new URLSearchParams(text);
    params.set(name, shown);
  }
  if (params) text = params.toString();
  return text ? `?${text}` : '';
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
      this.#engine = engineFrom(options);
      this.scopeDeadline = undefined;
    }
    this.baseUrl = this.#engine.baseUrl;
    this.pacer = this.#engine.pacer;
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

  /** Sends one request (retried by the rules of `retry.ts`) and answers its validated value. */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const engine = this.#engine;
    const headers = { ...engine.headers };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    return sendWithRetries(engine, {
      method: spec.method,
      path: spec.path,
      url: `${engine.baseUrl}${spec.path}${buildQuery(spec.query)}`,
      headers,
      body,
      safe: spec.method !== 'POST' && spec.method !== 'PATCH' ? true : spec.idempotent === true,
      deadline: spec.deadline ?? this.deadline(),
      timeoutMs:
        spec.timeoutMs ??
        (spec.slow && !engine.timeoutGiven ? Math.max(engine.timeoutMs, SLOW_TIMEOUT_MS) : engine.timeoutMs),
      onAttempt: spec.onAttempt,
      onRetry: spec.onRetry,
      parse: (text, answerHeaders, attempt) => this.parse(spec, text, answerHeaders, attempt),
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
    if (issues.length === 0) return spec.finish ? spec.finish(data, valid as T) : (valid as T);
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
