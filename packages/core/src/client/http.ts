import type * as z from 'zod/v4';
import { CodeQrError, type CodeQrErrorCode, type FieldIssue, isCodeQrError } from '../errors.ts';
import { API_ERROR_STATUS } from '../schemas/errors.ts';
import { type RateLimitEvent, RateLimitPacer } from './pacer.ts';
import { type HttpMethod, type Transport, transportError } from './transport.ts';

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  limit: number;
  /** First backoff step; doubles each retry, with jitter (default 300 ms). */
  baseDelayMs: number;
  /** Longest computed backoff (default 10 s). */
  maxDelayMs: number;
  /** Longest wait the client accepts from `Retry-After`/`X-RateLimit-Reset`; past it, it fails (default 60 s). */
  maxRetryAfterMs: number;
}

export interface HttpOptions {
  apiKey?: string;
  baseUrl?: string;
  transport: Transport;
  sleep: (ms: number) => Promise<void>;
  retry?: Partial<RetryOptions>;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  userAgent?: string;
  /** Called whenever the client waits for CodeQR's rate limit (paced ahead of time, or after a 429). */
  onRateLimit?: (event: RateLimitEvent) => void;
  /** Pace requests from `X-RateLimit-*` headers (default true). */
  pacing?: boolean;
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
}

export const DEFAULT_BASE_URL = 'https://api.codeqr.io';
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Validates the base URL: `https:` only, except loopback hosts (the sandbox). */
export function normaliseBaseUrl(raw: string | undefined): string {
  const value = (raw ?? DEFAULT_BASE_URL).trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CodeQrError({
      code: 'validation_error',
      message: `baseUrl "${value}" is not a URL; use https://api.codeqr.io or a sandbox URL such as http://127.0.0.1:8787.`,
      issues: [{ field: 'baseUrl', message: 'must be a URL' }],
    });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `baseUrl must use https:// (plain http is only allowed for a local sandbox such as http://127.0.0.1:8787); got "${url.origin}".`,
      issues: [{ field: 'baseUrl', message: 'must use https://' }],
    });
  }
  return url.href.replace(/\/+$/, '');
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

/**
 * Seconds or HTTP-date in `Retry-After`; for a 429 without it, the epoch-seconds `X-RateLimit-Reset` (every answer
 * carries that header, so only a rate-limit refusal may wait for it). Returns epoch ms.
 */
export function retryAt(headers: Record<string, string>, now: number, rateLimited: boolean): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return now + seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(now, date);
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (rateLimited && Number.isFinite(reset) && reset > 0) return Math.max(now, reset * 1000);
  return undefined;
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
export function errorFromResponse(status: number, body: string, headers: Record<string, string>): CodeQrError {
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
  const code: CodeQrErrorCode =
    serverCode && serverCode in API_ERROR_STATUS
      ? (serverCode as CodeQrErrorCode)
      : (STATUS_CODES[status] ?? (status >= 500 ? 'internal_server_error' : 'bad_request'));
  const detail = serverMessage ? `: ${serverMessage.replace(/\.?$/, '.')}` : '.';
  const messages: Partial<Record<CodeQrErrorCode, string>> = {
    unauthorized: `CodeQR rejected the API key (401). Check the key in your credentials.`,
    forbidden: `CodeQR refused this request (403)${detail}`,
    exceeded_limit: `Your CodeQR plan's limit is reached (403)${detail}`,
    not_found: `CodeQR could not find it (404)${detail}`,
    conflict: `It already exists in CodeQR (409)${detail}`,
    unprocessable_entity: `CodeQR rejected the input (422)${detail}`,
    bad_request: `CodeQR could not read the request (${status})${detail}`,
    rate_limit_exceeded: `CodeQR's rate limit was reached (429)${detail}`,
  };
  const retryAfterHeader = Number(headers['retry-after']);
  return new CodeQrError({
    code,
    status,
    message: messages[code] ?? `CodeQR had a server error (${status})${detail} Try again later.`,
    requestId: headers['x-request-id'],
    docUrl,
    retryAfter: Number.isFinite(retryAfterHeader) ? retryAfterHeader : undefined,
    issues: code === 'unprocessable_entity' && serverMessage ? issuesFrom(serverMessage) : [],
  });
}

/**
 * The request engine every API noun goes through: auth, JSON, timeouts (via the transport), pacing, retries with
 * jittered backoff honouring `Retry-After`/`X-RateLimit-Reset`, error mapping and response validation.
 * GET/PUT/DELETE retry on 429/5xx/network errors/timeouts; a POST retries only on 429, on a connection that never
 * reached CodeQR, or when the caller marks it idempotent (it carries an externalId).
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly pacer: RateLimitPacer;
  private readonly transport: Transport;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  /** A private field: the key never shows in JSON, `toString` or `util.inspect` of the client. */
  readonly #headers: Record<string, string>;
  private readonly pacing: boolean;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onRateLimit: ((event: RateLimitEvent) => void) | undefined;

  constructor(options: HttpOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.transport = options.transport;
    this.sleep = options.sleep;
    this.retry = { limit: 3, baseDelayMs: 300, maxDelayMs: 10_000, maxRetryAfterMs: 60_000, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pacing = options.pacing ?? true;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onRateLimit = options.onRateLimit;
    this.pacer = new RateLimitPacer({ now: this.now, sleep: this.sleep, onWait: options.onRateLimit });
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'codeqr-integrations-core/0.1',
    };
    if (options.apiKey !== undefined) {
      if (!options.apiKey.trim()) {
        throw new CodeQrError({
          code: 'validation_error',
          message: 'apiKey is empty; paste your CodeQR API key (it starts with "codeqr_").',
          issues: [{ field: 'apiKey', message: 'is empty' }],
        });
      }
      headers.authorization = `Bearer ${options.apiKey.trim()}`;
    }
    this.#headers = headers;
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }

  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const url = `${this.baseUrl}${spec.path}${buildQuery(spec.query)}`;
    const safe = spec.method !== 'POST' && spec.method !== 'PATCH' ? true : spec.idempotent === true;
    const headers = { ...this.#headers };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers['content-type'] = 'application/json';

    for (let attempt = 1; ; attempt++) {
      if (this.pacing) await this.pacer.acquire();
      let released = false;
      let failure: CodeQrError;
      let retryable: boolean;
      let waitUntil: number | undefined;
      try {
        const response = await this.transport({
          method: spec.method,
          url,
          headers,
          body,
          timeoutMs: spec.timeoutMs ?? this.timeoutMs,
        });
        released = true;
        if (this.pacing) this.pacer.release(response.headers);
        if (response.status >= 200 && response.status < 300) {
          return this.parse(spec, response.body, response.headers, attempt);
        }
        failure = errorFromResponse(response.status, response.body, response.headers);
        // A 429 means CodeQR's limiter turned the request away before doing anything: always safe to repeat.
        retryable = response.status === 429 || (safe && RETRYABLE_STATUS.has(response.status));
        if (response.status === 429 || response.status === 503) {
          waitUntil = retryAt(response.headers, this.now(), response.status === 429);
        }
        if (response.status === 429 && this.pacing) {
          waitUntil ??= this.now() + this.backoff(attempt);
          this.pacer.exhausted(waitUntil);
        }
      } catch (error) {
        if (this.pacing && !released) this.pacer.release(undefined);
        if (isCodeQrError(error) && error.code === 'invalid_response') {
          failure = error;
          retryable = safe && error.status === undefined;
        } else {
          failure = isCodeQrError(error) ? error : transportError('network_error', error);
          retryable = safe || failure.requestSent === false;
        }
      }
      if (!retryable) throw this.final(failure, attempt, false);
      if (attempt > this.retry.limit) throw this.final(failure, attempt, true);

      const now = this.now();
      const wait = waitUntil !== undefined ? Math.max(0, waitUntil - now) : this.backoff(attempt);
      if (waitUntil !== undefined && wait > this.retry.maxRetryAfterMs) {
        throw new CodeQrError({
          code: 'rate_limit_exceeded',
          status: failure.status,
          message: `CodeQR asked to wait ${Math.ceil(wait / 1000)} s (until ${new Date(waitUntil).toISOString()}), longer than the ${Math.round(this.retry.maxRetryAfterMs / 1000)} s this client may wait; retry after that time.`,
          retryAfter: Math.ceil(wait / 1000),
          requestId: failure.requestId,
          attempts: attempt,
          cause: failure,
        });
      }
      if (failure.status === 429) {
        this.onRateLimit?.({ reason: '429', waitMs: wait, resetAt: waitUntil });
        // the pacer now holds every request (this one included) until the window resets
        if (this.pacing) continue;
      }
      await this.sleep(wait);
    }
  }

  /** The error to throw, with the attempt count; "gave up" only when retries ran out on a retryable failure. */
  private final(error: CodeQrError, attempts: number, exhausted: boolean): CodeQrError {
    if (attempts === 1) return error;
    return new CodeQrError({
      code: error.code,
      status: error.status,
      message: exhausted ? `${error.message} (gave up after ${attempts} attempts)` : error.message,
      requestId: error.requestId,
      docUrl: error.docUrl,
      retryAfter: error.retryAfter,
      issues: error.issues,
      attempts,
      requestSent: error.requestSent,
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
    const parsed = spec.schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
    throw new CodeQrError({
      code: 'invalid_response',
      status: 200,
      message: `CodeQR's answer to ${spec.method} ${spec.path} did not have the expected shape (${issues
        .slice(0, 3)
        .map((i) => `${i.field || 'body'}: ${i.message}`)
        .join('; ')}).`,
      requestId: headers['x-request-id'],
      issues,
      attempts: attempt,
    });
  }
}
