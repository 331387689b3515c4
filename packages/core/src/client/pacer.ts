import { parseResetHeader } from './rate-limit-headers.ts';

/** What `onRateLimit` hears: a wait the client chose (pacing) or was told (429). */
export interface RateLimitEvent {
  reason: 'paced' | '429';
  /** How long the client waits before the next attempt. */
  waitMs: number;
  /** When CodeQR's current window resets (epoch ms), if known. */
  resetAt?: number;
  limit?: number;
}

/**
 * Called before every wait the pacer would make, with its length and end (epoch ms) and, when the pacer sleeps past
 * that end (its safety margin), when it wakes; it throws to refuse the wait (the wait is longer than the cap, or does
 * not fit the call's time budget). The request then fails unsent.
 */
export type WaitCheck = (waitMs: number, until: number, wakesAt?: number) => void;

/**
 * Proactive pacing from `X-RateLimit-Limit/Remaining/Reset`: requests are admitted while the window has budget
 * left (counting the ones in flight), and otherwise wait for the reset, so a long run on a plan's limit sees no 429.
 * After a 429 every request waits for its `Retry-After` (not for the whole window), then one probes the budget.
 */
export class RateLimitPacer {
  private limit: number | undefined;
  private remaining: number | undefined;
  private resetAt: number | undefined;
  /** Set by a 429's `Retry-After`: nothing is sent before this time (epoch ms). */
  private blockedUntil: number | undefined;
  private inFlight = 0;
  private probeWaiters: (() => void)[] = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly marginMs: number;
  private readonly onWait: ((event: RateLimitEvent) => void) | undefined;

  constructor(options: {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    marginMs?: number;
    onWait?: (event: RateLimitEvent) => void;
  }) {
    this.now = options.now;
    this.sleep = options.sleep;
    this.marginMs = options.marginMs ?? 50;
    this.onWait = options.onWait;
  }

  /** Budget left in the current window, or undefined before the first answer. */
  available(): number | undefined {
    this.roll();
    return this.remaining === undefined ? undefined : Math.max(0, this.remaining);
  }

  private roll(): void {
    if (this.resetAt !== undefined && this.now() >= this.resetAt + this.marginMs) {
      // requests still in flight may land in the new window: count them there until its first answer says
      this.remaining = this.limit === undefined ? undefined : this.limit - this.inFlight;
      this.resetAt = undefined;
    }
    if (this.blockedUntil !== undefined && this.now() >= this.blockedUntil) this.blockedUntil = undefined;
  }

  /** Waits until the window has budget, then takes one unit of it; `check` may refuse a wait by throwing. */
  async acquire(check?: WaitCheck): Promise<void> {
    for (;;) {
      this.roll();
      const now = this.now();
      if (this.blockedUntil !== undefined) {
        const waitMs = this.blockedUntil - now;
        check?.(waitMs, this.blockedUntil);
        await this.sleep(Math.max(1, waitMs));
        continue;
      }
      if (this.remaining !== undefined && this.remaining > 0) {
        this.remaining -= 1;
        this.inFlight += 1;
        return;
      }
      if (this.remaining !== undefined && this.resetAt !== undefined) {
        const waitMs = Math.max(1, this.resetAt + this.marginMs - now);
        // the cap applies to what CodeQR asked for, not to the pacer's own safety margin; the budget to all of it
        check?.(Math.max(0, this.resetAt - now), this.resetAt, this.resetAt + this.marginMs);
        this.onWait?.({ reason: 'paced', waitMs, resetAt: this.resetAt, limit: this.limit });
        await this.sleep(waitMs);
        continue;
      }
      // Budget unknown (first request, after a 429's wait, or used up in a window whose end we have not heard
      // yet): one request probes, the others wait for its answer's headers.
      if (this.inFlight > 0) {
        await new Promise<void>((resolve) => this.probeWaiters.push(resolve));
        continue;
      }
      if (this.remaining !== undefined) this.remaining -= 1;
      this.inFlight += 1;
      return;
    }
  }

  /** Records one answer's rate-limit headers (lower-case names). */
  release(headers: Record<string, string> | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.update(headers);
    const waiters = this.probeWaiters;
    this.probeWaiters = [];
    for (const wake of waiters) wake();
  }

  private update(headers: Record<string, string> | undefined): void {
    if (!headers) return;
    const now = this.now();
    const limit = Number(headers['x-ratelimit-limit']);
    const remaining = Number(headers['x-ratelimit-remaining']);
    const resetAt = parseResetHeader(headers['x-ratelimit-reset'], now);
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || resetAt === undefined) return;
    // a late answer from a window that is already over says nothing about the current one
    if (resetAt + this.marginMs <= now) return;
    this.limit = limit;
    // requests still in flight may not be counted by the server yet
    const serverView = remaining - this.inFlight;
    if (this.resetAt === undefined || resetAt > this.resetAt) {
      this.resetAt = resetAt;
      this.remaining = serverView;
    } else if (resetAt === this.resetAt) {
      this.remaining = Math.min(this.remaining ?? serverView, serverView);
    }
  }

  /**
   * After a 429: nothing is sent before `until` (its `Retry-After`, or the window's reset without one); then one
   * request probes the budget and its answer's headers pace the rest.
   */
  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil ?? 0, until);
    this.remaining = undefined;
    this.resetAt = undefined;
  }
}
