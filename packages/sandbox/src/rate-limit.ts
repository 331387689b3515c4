import { PLAN_RATE_LIMITS, type Plan } from '@codeqr-integrations/core/schemas';

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

  headers(state: RateLimitState): Record<string, string> {
    return {
      'X-RateLimit-Limit': String(state.limit),
      'X-RateLimit-Remaining': String(state.remaining),
      'X-RateLimit-Reset': String(Math.ceil(state.resetAt / 1000)),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
