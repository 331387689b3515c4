import { CodeQrError, isCodeQrError } from '../errors.ts';
import type { Engine } from './config.ts';
import type { WaitCheck } from './pacer.ts';
import { retryAt } from './rate-limit-headers.ts';
import { errorFromResponse } from './response-errors.ts';
import { finalError, outOfTimeError, RATE_LIMIT_PATIENCE_MS, refusedError, WaitRefused } from './retry-errors.ts';
import { type HttpMethod, type TransportResponse, transportError } from './transport.ts';

/**
 * The retry loop: one request tried until it succeeds or a rule stops it. Each attempt takes its turn from the
 * pacer, gets what is left of the time budget as its timeout, and is sent once; a failed one is retried when that is
 * safe (`retryable`), after a wait CodeQR asked for (`Retry-After`, `X-RateLimit-Reset`) or a jittered backoff, as long
 * as the wait is allowed (`maxRetryAfterMs`, the budget, the patience for 429s). 429s are waits, not failures: only
 * the other failures count against `retry.limit`.
 */

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Less than this left of a budget is not enough to send a request in (it would time out with its fate unknown). */
const MIN_ATTEMPT_MS = 1000;

/** One request, prepared once by the client, as every attempt sends it. */
export interface PreparedRequest<T> {
  method: HttpMethod;
  path: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Safe to send again after an attempt that may have been applied (not a POST/PATCH, or an idempotent one). */
  safe: boolean;
  deadline: number | undefined;
  /** The per-attempt timeout, before what is left of the budget cuts it. */
  timeoutMs: number;
  onAttempt?: ((attempt: number) => void) | undefined;
  onRetry?: ((failure: CodeQrError, mayHaveLanded: boolean) => void) | undefined;
  /** The value of a 2xx answer; throws `invalid_response` (without a status when it may be retried). */
  parse(text: string, headers: Record<string, string>, attempt: number): T;
}

/** A failed attempt: the error, whether it may be tried again, and when CodeQR said to (client clock, epoch ms). */
interface Failed {
  failure: CodeQrError;
  retryable: boolean;
  waitUntil?: number | undefined;
}

/** Sends `request` until it succeeds, or throws the error that stopped it. */
export async function sendWithRetries<T>(engine: Engine, request: PreparedRequest<T>): Promise<T> {
  const startedAt = engine.now();
  let lastFailure: CodeQrError | undefined;
  /** Failures other than 429s: these, not the 429s, count against `retry.limit`. */
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    const ticket = await takeTurn(engine, request, attempt, lastFailure);
    const timeoutMs = attemptTimeout(engine, request, attempt, lastFailure, ticket);
    request.onAttempt?.(attempt);
    const outcome = await attemptOnce(engine, request, attempt, ticket, timeoutMs);
    if ('value' in outcome) return outcome.value;
    const { failure, retryable } = outcome;
    lastFailure = failure;
    const rateLimited = failure.status === 429;
    if (!retryable) throw finalError(failure, attempt, false);
    // A 429 is a wait, not a failure: it is bounded by the budget and maxRetryAfterMs (below), not by a count.
    if (!rateLimited && ++failures > engine.retry.limit) throw finalError(failure, attempt, true);
    const { wait, until } = allowedWait(engine, request, outcome, attempt, failures, startedAt);
    request.onRetry?.(failure, mayHaveLanded(failure));
    await pause(engine, wait, until, rateLimited);
  }
}

/** The pacer's go-ahead for this attempt (a ticket to release), when pacing; a refused pacing wait ends the request. */
async function takeTurn<T>(
  engine: Engine,
  request: PreparedRequest<T>,
  attempt: number,
  lastFailure: CodeQrError | undefined,
): Promise<number | undefined> {
  if (!engine.pacing) return undefined;
  try {
    return await engine.pacer.acquire({
      check: waitCheck(engine, request.deadline, true),
      deadline: request.deadline,
      timeoutMs: request.timeoutMs,
      onWait: engine.onRateLimit,
    });
  } catch (error) {
    if (error instanceof WaitRefused) throw refusedError(engine, error, lastFailure, attempt - 1, request.deadline);
    throw error;
  }
}

/** The attempt's timeout: its own, cut to what is left of the budget; too little left ends the request unsent. */
function attemptTimeout<T>(
  engine: Engine,
  request: PreparedRequest<T>,
  attempt: number,
  lastFailure: CodeQrError | undefined,
  ticket: number | undefined,
): number {
  const { deadline, timeoutMs } = request;
  if (deadline === undefined) return timeoutMs;
  const left = deadline - engine.now();
  if (left < Math.min(MIN_ATTEMPT_MS, timeoutMs)) {
    if (engine.pacing) engine.pacer.release(undefined, ticket);
    throw outOfTimeError(engine, deadline, attempt, lastFailure);
  }
  return Math.min(timeoutMs, left);
}

/** Sends the request once: its value, or how it failed. The pacer's ticket is released whatever happens. */
async function attemptOnce<T>(
  engine: Engine,
  request: PreparedRequest<T>,
  attempt: number,
  ticket: number | undefined,
  timeoutMs: number,
): Promise<{ value: T } | Failed> {
  const { pacing, pacer, clock, now } = engine;
  const { method, url, headers, body } = request;
  let released = false;
  const sentAt = now();
  try {
    const response = await engine.transport({ method, url, headers, body, timeoutMs });
    released = true;
    if (!response || typeof response.status !== 'number' || typeof response.headers !== 'object') {
      if (pacing) pacer.release(undefined, ticket);
      throw new CodeQrError({
        code: 'invalid_configuration',
        message: `The transport answered ${method} ${request.path} with ${response === undefined ? 'nothing' : 'something that is not { status, headers, body }'}; a Transport must resolve every HTTP answer as { status, headers, body } (see the core README's transport contract).`,
      });
    }
    const at = now();
    // CodeQR's clock, from its Date header: epoch reset times are read on it, so a client clock minutes off
    // neither waits minutes too long nor takes a reset for past
    const offset = serverClockOffset(response.headers.date, sentAt, at);
    if (offset !== undefined) clock.offsetMs = offset;
    if (pacing) pacer.release(response.headers, ticket, clock.offsetMs);
    if (response.status >= 200 && response.status < 300) {
      return { value: request.parse(response.body, response.headers, attempt) };
    }
    return failedAnswer(engine, request, response, attempt, at);
  } catch (error) {
    if (pacing && !released) pacer.release(undefined, ticket);
    return failedAttempt(error, request.safe);
  }
}

/** A non-2xx answer: its error, whether it may be retried, and when CodeQR said to (a 429 without a time: jittered). */
function failedAnswer<T>(
  engine: Engine,
  request: PreparedRequest<T>,
  response: TransportResponse,
  attempt: number,
  at: number,
): Failed {
  const { clock, retry } = engine;
  const serverNow = at + clock.offsetMs;
  const failure = errorFromResponse(response.status, response.body, response.headers, serverNow, request.path);
  // A 429 means CodeQR's limiter turned the request away before doing anything: always safe to repeat.
  const retryable = response.status === 429 || (request.safe && RETRYABLE_STATUS.has(response.status));
  let waitUntil: number | undefined;
  if (response.status === 429 || response.status === 503) {
    const told = retryAt(response.headers, serverNow, response.status === 429);
    waitUntil = told === undefined ? undefined : told - clock.offsetMs;
  }
  if (response.status === 429 && (waitUntil === undefined || waitUntil <= at)) {
    // A 429 told to retry now, at a time already past, or not told when, backs off with full jitter, so clients on
    // one key spread out instead of meeting the limit again together. One told when waits exactly that: the pacer
    // then lets one request of this client probe, so several clients come back one request each.
    const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.min(attempt - 1, 16));
    waitUntil = at + Math.max(1, Math.round(engine.random() * exp));
  }
  return { failure, retryable, waitUntil };
}

/**
 * An attempt that threw: a broken transport contract ends the request; an unreadable answer may be retried when the
 * request is safe; a network failure when the request is safe or never reached CodeQR.
 */
function failedAttempt(error: unknown, safe: boolean): Failed {
  if (isCodeQrError(error) && error.code === 'invalid_configuration') throw error;
  if (isCodeQrError(error) && error.code === 'invalid_response') {
    return { failure: error, retryable: safe && error.status === undefined };
  }
  const failure = isCodeQrError(error) ? error : transportError('network_error', error);
  return { failure, retryable: safe || failure.requestSent === false };
}

/**
 * How long to wait before the next attempt: until the time CodeQR said, else a jittered backoff. A wait that is not
 * allowed ends the request: a refused backoff (5xx, network) reports the failure itself, a refused `Retry-After`
 * says when to retry.
 */
function allowedWait<T>(
  engine: Engine,
  request: PreparedRequest<T>,
  { failure, waitUntil }: Failed,
  attempt: number,
  failures: number,
  startedAt: number,
): { wait: number; until: number } {
  const { deadline } = request;
  const at = engine.now();
  const told = waitUntil !== undefined;
  const until = waitUntil ?? at + Math.min(backoff(engine, failures), engine.retry.maxRetryAfterMs);
  const wait = Math.max(0, until - at);
  if (failure.status === 429 && deadline === undefined && at + wait - startedAt > RATE_LIMIT_PATIENCE_MS) {
    throw refusedError(engine, new WaitRefused(wait, until, 'patience'), failure, attempt, deadline);
  }
  try {
    waitCheck(engine, deadline, told)(wait, until);
  } catch (error) {
    if (!(error instanceof WaitRefused)) throw error;
    if (!told) throw finalError(failure, attempt, false, deadline);
    throw refusedError(engine, error, failure, attempt, deadline);
  }
  return { wait, until };
}

/**
 * Waits before the next attempt. After a 429 with pacing, every request of this client (this one included) waits
 * for the `Retry-After` in the pacer, then one probes; otherwise this request sleeps.
 */
async function pause(engine: Engine, wait: number, until: number, rateLimited: boolean): Promise<void> {
  if (rateLimited) {
    engine.onRateLimit?.({ reason: '429', waitMs: wait, resetAt: until });
    if (engine.pacing) {
      engine.pacer.block(until);
      return;
    }
  }
  await engine.sleep(wait);
}

/** Whether a failed attempt may have been applied: not a 429, a connection that never reached CodeQR, or a 4xx. */
function mayHaveLanded(failure: CodeQrError): boolean {
  const clientError =
    failure.status !== undefined && failure.status >= 400 && failure.status < 500 && failure.status !== 429;
  return !(failure.status === 429 || failure.requestSent === false || clientError);
}

/** The jittered exponential backoff before retry `attempt` (1-based), capped at `retry.maxDelayMs`. */
function backoff(engine: Engine, attempt: number): number {
  const { retry, random } = engine;
  const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Refuses a wait longer than the cap (when `bounded`), or one that would not leave time for the request. */
function waitCheck(engine: Engine, deadline: number | undefined, bounded: boolean): WaitCheck {
  return (waitMs, until, wakesAt = until) => {
    if (bounded && waitMs > engine.retry.maxRetryAfterMs) throw new WaitRefused(waitMs, until, 'cap');
    if (deadline !== undefined && wakesAt + MIN_ATTEMPT_MS > deadline) {
      throw new WaitRefused(waitMs, until, 'budget');
    }
  };
}

/**
 * How far the server's clock is ahead of ours, from one answer's `Date` header (whole seconds, taken while the
 * answer was made): its true offset lies in [date − receivedAt, date + 1 s − sentAt]. When that range holds 0 the
 * clocks agree as far as can be told (0); otherwise its lower end, so a reset time read through it is never early.
 */
export function serverClockOffset(date: string | undefined, sentAt: number, receivedAt: number): number | undefined {
  if (!date) return undefined;
  const server = parseHttpDate(date);
  if (Number.isNaN(server)) return undefined;
  const low = server - receivedAt;
  const high = server + 1000 - sentAt;
  if (low <= 0 && high >= 0) return 0;
  return low;
}

/** The last `Date` header read and its time: answers within one second carry the same text, parsed once. */
let lastDate = { text: '', ms: Number.NaN };
function parseHttpDate(text: string): number {
  if (text !== lastDate.text) lastDate = { text, ms: Date.parse(text) };
  return lastDate.ms;
}
