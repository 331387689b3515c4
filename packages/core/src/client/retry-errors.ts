import { CodeQrError } from '../errors.ts';
import type { Engine } from './config.ts';
import { formatDuration } from './rate-limit-headers.ts';

/**
 * Why a request stopped trying: a wait it was not allowed to make (`WaitRefused` → `refusedError`), a budget spent
 * before the next attempt (`outOfTimeError`), or a failure it will not (or may no longer) retry (`finalError`). Each
 * error says how many attempts were made and whether anything was sent, so a caller knows whether it is safe to repeat.
 */

/**
 * Without a time budget, how long one request keeps waiting out 429s before it reports the rate limit (each wait is
 * still capped by `maxRetryAfterMs`): a safety net against a limiter that never lets anything through, far longer
 * than contention on one key lasts.
 */
export const RATE_LIMIT_PATIENCE_MS = 15 * 60_000;

/** Thrown when a wait is refused; the request loop turns it into the caller's error. */
export class WaitRefused extends Error {
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

/** The error for a refused wait: `rate_limit_exceeded` (or the failure that asked for it) with `retryAfter`. */
export function refusedError(
  engine: Engine,
  refusal: WaitRefused,
  failure: CodeQrError | undefined,
  attempts: number,
  deadline: number | undefined,
): CodeQrError {
  const { retry, now } = engine;
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

/** The error when the budget is spent before an attempt could start: nothing was sent for it. */
export function outOfTimeError(
  engine: Engine,
  deadline: number,
  attempt: number,
  failure: CodeQrError | undefined,
): CodeQrError {
  const budget = engine.timeBudgetMs;
  const over = formatDuration(Math.max(0, engine.now() - deadline));
  return new CodeQrError({
    code: failure?.code === 'rate_limit_exceeded' ? 'rate_limit_exceeded' : 'timeout',
    message: `This call's time budget${budget === undefined ? '' : ` (${formatDuration(budget)})`} ran out${
      deadline < engine.now() ? ` ${over} ago` : ''
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
export function finalError(error: CodeQrError, attempts: number, exhausted: boolean, deadline?: number): CodeQrError {
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
