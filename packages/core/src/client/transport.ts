import { CodeQrError } from '../errors.ts';
import { formatDuration } from './rate-limit-headers.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP exchange as core hands it to a transport. Headers already carry auth when core was given the key. */
export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL including the query string. */
  url: string;
  headers: Record<string, string>;
  /** JSON text, when the request has a body. */
  body?: string;
  /** Per-attempt timeout; the transport aborts and throws a `timeout` CodeQrError past it. */
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The raw body text (may be empty or malformed: core validates it). */
  body: string;
}

/**
 * The only thing a host must provide to talk to CodeQR: send one request, return the status, headers and body, and
 * never throw for HTTP error statuses. Network failures and timeouts are thrown with `transportError` so core can
 * tell retryable failures apart. Retries, pacing, error mapping and validation live in core, above this.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Walks an error's cause chain for a Node system error code such as `ECONNREFUSED`. */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The error a transport throws when no HTTP response arrived. */
export function transportError(kind: 'network_error' | 'timeout', cause: unknown, timeoutMs?: number): CodeQrError {
  if (kind === 'timeout') {
    const within =
      timeoutMs !== undefined && Number.isFinite(timeoutMs) ? ` within ${formatDuration(timeoutMs)}` : ' in time';
    return new CodeQrError({
      code: 'timeout',
      message: `CodeQR did not answer${within}.`,
      cause,
      requestSent: true,
    });
  }
  const code = systemErrorCode(cause);
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new CodeQrError({
    code: 'network_error',
    message: `Could not reach CodeQR (${detail}). Check the base URL and your network.`,
    advice: 'Check the base URL and your network.',
    cause,
    requestSent: code ? !NOT_SENT.has(code) : true,
  });
}

/** Lower-cases a Headers-like object into a plain record. */
export function headersToRecord(headers: Iterable<[string, string]> | Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries =
    Symbol.iterator in headers
      ? (headers as Iterable<[string, string]>)
      : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
