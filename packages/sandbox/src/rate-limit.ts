import type { RateLimitHeaderStyle } from './behaviour.ts';
import { PLAN_RATE_LIMITS, type Plan } from './plans.ts';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** epoch ms at which the current window ends */
  resetAt: number;
  limited: boolean;
}

/**
 * Fixed windows per API key, aligned to multiples of `windowMs` since the epoch (so with whole-second windows the
 * `X-RateLimit-Reset` epoch second is exact). One minute on the real API; benchmarks scale it down.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  readonly windowMs: number;
  private readonly now: () => number;

  constructor(windowMs: number, now: () => number) {
    this.windowMs = windowMs;
    this.now = now;
  }

  hit(apiKey: string, plan: Plan): RateLimitState {
    const now = this.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    let window = this.windows.get(apiKey);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(apiKey, window);
    }
    const limit = PLAN_RATE_LIMITS[plan];
    const limited = window.count >= limit;
    if (!limited) window.count += 1;
    return { limit, remaining: Math.max(0, limit - window.count), resetAt: start + this.windowMs, limited };
  }

  /**
   * The headers of every answer. `docs`: reset in epoch seconds, and on a 429 `Retry-After` as a delay in seconds.
   * `dub`: reset in epoch milliseconds, and `Retry-After` set to that same value on every answer (as Dub's
   * `rateLimitRequest` does with Upstash's `reset`).
   */
  headers(state: RateLimitState, style: RateLimitHeaderStyle = 'docs'): Record<string, string> {
    const common = { 'X-RateLimit-Limit': String(state.limit), 'X-RateLimit-Remaining': String(state.remaining) };
    if (style === 'dub') {
      const reset = String(state.resetAt);
      return { 'Retry-After': reset, ...common, 'X-RateLimit-Reset': reset };
    }
    const headers: Record<string, string> = { ...common, 'X-RateLimit-Reset': String(Math.ceil(state.resetAt / 1000)) };
    if (state.limited) headers['Retry-After'] = String(Math.max(1, Math.ceil((state.resetAt - this.now()) / 1000)));
    return headers;
  }

  reset(): void {
    this.windows.clear();
  }
}
