/**
 * Tolerant reading of rate-limit headers. CodeQR's docs say `X-RateLimit-Reset` is epoch seconds and `Retry-After`
 * a delay in seconds on 429s; Dub's code (which CodeQR's server descends from) sets BOTH headers on every answer to
 * Upstash's reset, which is epoch milliseconds. Each header is read the way it must have been meant.
 */

/** Numbers at or above this are epoch milliseconds (1e12 ms is September 2001). */
const EPOCH_MS_FLOOR = 1e12;
/** Numbers at or above this (and below the ms floor) are epoch seconds (1e9 s is September 2001). */
const EPOCH_S_FLOOR = 1e9;

/** A numeric header as epoch ms: epoch milliseconds, epoch seconds, or (smaller numbers) seconds from `now`. */
function fromNumber(value: number, now: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  if (value >= EPOCH_MS_FLOOR) return value;
  if (value >= EPOCH_S_FLOOR) return value * 1000;
  return now + value * 1000;
}

/**
 * When the current rate-limit window resets, as epoch ms: `X-RateLimit-Reset` in epoch seconds (the docs), epoch
 * milliseconds (Dub/Upstash) or seconds from now (the IETF RateLimit draft); undefined when absent or unreadable.
 */
export function parseResetHeader(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  if (Number.isNaN(n)) return undefined;
  return fromNumber(n, now);
}

/**
 * When `Retry-After` allows the next attempt, as epoch ms (never before `now`): a delay in seconds (the HTTP
 * standard and the docs), an HTTP date, or an absolute epoch time in seconds or milliseconds (Dub sets the
 * Upstash reset there). Undefined when absent or unreadable (the caller falls back to its own backoff).
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  const at = Number.isNaN(n) ? Date.parse(text) : fromNumber(n, now);
  if (at === undefined || Number.isNaN(at)) return undefined;
  return Math.max(now, at);
}

/**
 * When a refused request may be tried again (epoch ms), from a 429's or 503's headers: `Retry-After` first, then,
 * for a 429 only, `X-RateLimit-Reset` (every answer carries that one, so only a rate-limit refusal may wait for it).
 * A 503 whose `Retry-After` merely repeats `X-RateLimit-Reset` (Dub's every-answer headers) says nothing about the
 * outage, so it is ignored there and the caller backs off instead.
 */
export function retryAt(headers: Record<string, string>, now: number, rateLimited: boolean): number | undefined {
  const retryAfter = headers['retry-after'];
  const reset = headers['x-ratelimit-reset'];
  const echoesReset = retryAfter !== undefined && reset !== undefined && retryAfter.trim() === reset.trim();
  if (rateLimited || !echoesReset) {
    const at = parseRetryAfter(retryAfter, now);
    if (at !== undefined) return at;
  }
  if (!rateLimited) return undefined;
  const resetAt = parseResetHeader(reset, now);
  return resetAt === undefined ? undefined : Math.max(now, resetAt);
}

/** `1.5 s`, `100 ms`, `2 min 5 s`: a duration as a user reads it. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const value = Math.max(0, ms);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 10_000) return `${Number((value / 1000).toFixed(1))} s`;
  const seconds = Math.ceil(value / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
