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
 * Proactive pacing from `X-RateLimit-Limit/Remaining/Reset`: requests are admitted while the window has budget
 * left (counting the ones in flight), and otherwise wait for the reset, so a long run on a plan's limit sees no 429.
 */
export class RateLimitPacer {
  private limit: number | undefined;
  private remaining: number | undefined;
  private resetAt: number | undefined;
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
      this.remaining = this.limit;
      this.resetAt = undefined;
    }
  }

  /** Waits until the window has budget, then takes one unit of it. */
  async acquire(): Promise<void> {
    for (;;) {
      this.roll();
      if (this.remaining !== undefined && this.remaining > 0) {
        this.remaining -= 1;
        this.inFlight += 1;
        return;
      }
      if (this.remaining !== undefined && this.resetAt !== undefined) {
        const waitMs = Math.max(1, this.resetAt + this.marginMs - this.now());
        this.onWait?.({ reason: 'paced', waitMs, resetAt: this.resetAt, limit: this.limit });
        await this.sleep(waitMs);
        continue;
      }
      // Budget unknown (first request, or used up in a window whose end we have not heard yet): one request
      // probes, the others wait for its answer's headers.
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
    const limit = Number(headers['x-ratelimit-limit']);
    const remaining = Number(headers['x-ratelimit-remaining']);
    const reset = Number(headers['x-ratelimit-reset']);
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const resetAt = reset * 1000;
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

  /** After a 429: nothing is left until the reset. */
  exhausted(resetAt: number): void {
    this.remaining = 0;
    this.resetAt = Math.max(this.resetAt ?? 0, resetAt);
  }
}
