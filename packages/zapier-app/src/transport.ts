/**
 * The HTTP adapter: CodeQR's client over `z.request`. Zapier logs every request and adds the API key in
 * `beforeRequest`; core sees every status (`skipThrowForStatus`, and no early 429 throw) and does retries, pacing and
 * error mapping itself, inside a budget that fits Zapier's 30-second step.
 */
import {
  type CodeQrClient,
  type CodeQrClientOptions,
  CodeQrError,
  createCodeQrClient,
  headersToRecord,
  isCodeQrError,
  type Transport,
  transportError,
} from '@codeqr-integrations/core/base';
import { timerSleep } from '@codeqr-integrations/core/fetch';
import type { Bundle, HttpRequestOptions, ZObject } from 'zapier-platform-core';

/** CodeQR's API; the only base URL the definitions use. */
export const API_BASE_URL = 'https://api.codeqr.io';

/**
 * Test-only override of the base URL (the sandbox on 127.0.0.1), read at call time so nothing local is baked into
 * the build. Core refuses plain `http:` for anything but loopback hosts.
 */
export const BASE_URL_ENV = 'CODEQR_API_BASE_URL';

/** Zapier stops a step after 30 s: every call, its retries and waits included, must end well before. */
export const STEP_BUDGET_MS = 25_000;
/** One attempt may take this long. */
export const ATTEMPT_TIMEOUT_MS = 20_000;
/** Longest server-asked wait (Retry-After) worth sitting through inside a step; past it Zapier retries later. */
export const MAX_RETRY_AFTER_MS = 10_000;

export function apiBaseUrl(): string {
  return process.env[BASE_URL_ENV]?.trim() || API_BASE_URL;
}

const isTimeout = (error: unknown) => {
  const e = error as { type?: unknown; name?: unknown; code?: unknown } | undefined;
  return e?.type === 'request-timeout' || e?.name === 'AbortError' || e?.code === 'ETIMEDOUT';
};

/** The `Transport` core talks through: one `z.request` per attempt, every HTTP status returned as data. */
export function zapierTransport(z: ZObject): Transport {
  return async ({ method, url, headers, body, timeoutMs }) => {
    const options: HttpRequestOptions & { url: string; throwForThrottlingEarly: boolean } = {
      url,
      method,
      headers,
      timeout: timeoutMs,
      skipThrowForStatus: true,
      // core decides what a 429 means (wait within the budget, or fail with CodeQR's delay)
      throwForThrottlingEarly: false,
      ...(body === undefined ? {} : { body }),
    };
    let response: Awaited<ReturnType<ZObject['request']>>;
    try {
      response = await z.request(options);
    } catch (error) {
      // this app's own refusal (`addApiKey`): as it is, nothing was sent
      if (isCodeQrError(error)) throw error;
      throw transportError(isTimeout(error) ? 'timeout' : 'network_error', redacted(error), timeoutMs);
    }
    return {
      status: response.status,
      headers: headersToRecord(response.headers as unknown as Iterable<[string, string]>),
      body: response.content ?? '',
    };
  };
}

/** A client for one step. The key is not given to core: `beforeRequest` adds it, so core never holds it. */
export function clientFor(z: ZObject): CodeQrClient {
  // `timeBudgetMs`: every call, its retries and waits included, ends within the step or fails with a retry-after
  const options: CodeQrClientOptions = {
    baseUrl: apiBaseUrl(),
    transport: zapierTransport(z),
    sleep: timerSleep,
    timeoutMs: ATTEMPT_TIMEOUT_MS,
    retry: { maxRetryAfterMs: MAX_RETRY_AFTER_MS },
    timeBudgetMs: STEP_BUDGET_MS,
    userAgent: 'codeqr-zapier/0.1 (+https://zapier.com)',
  };
  return createCodeQrClient(options);
}

/**
 * An error whose message may quote a header (Node's "Bearer … is not a legal HTTP header value"), with any bearer
 * credential cut out: core puts the cause's message into the error the user sees.
 */
function redacted(error: unknown): unknown {
  if (!(error instanceof Error) || !/bearer/i.test(error.message)) return error;
  const safe = new Error(
    error.message.replace(/bearer[\s\S]*?(?=\s+is (?:not a legal|an invalid)\b|$)/gi, 'Bearer [redacted]'),
  );
  safe.name = error.name;
  return Object.assign(safe, { code: (error as { code?: unknown }).code });
}

/** Printable ASCII without spaces: what an API key is made of (anything else is a paste accident). */
const KEY_CHARS = /^[\x21-\x7e]+$/;

/** Whether a URL is on CodeQR's API (same origin as the base URL; `https://api.codeqr.io.example` is not). */
function isApiUrl(url: string): boolean {
  try {
    return new URL(url).origin === new URL(apiBaseUrl()).origin;
  } catch {
    return false;
  }
}

/** `beforeRequest`: CodeQR's bearer auth on requests to CodeQR's API only. */
export function addApiKey(request: HttpRequestOptions, _z: ZObject, bundle: Bundle): HttpRequestOptions {
  const key = String(bundle.authData?.apiKey ?? '').trim();
  if (key && request.url && isApiUrl(request.url)) {
    if (!KEY_CHARS.test(key)) {
      // an HTTP header cannot carry a line break, and Node's error for one would quote the key
      throw new CodeQrError({
        code: 'invalid_configuration',
        message:
          'The CodeQR API key has a space, line break or other invisible character inside it. Reconnect your ' +
          'CodeQR account and paste the key again (it starts with "codeqr_").',
        issues: [{ field: 'apiKey', message: 'has a space, line break or invisible character inside' }],
      });
    }
    request.headers = { ...request.headers, authorization: `Bearer ${key}` };
  }
  return request;
}
