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

/** What one `acquire` tells the pacer about its request. */
export interface AcquireOptions {
  /** Refuses a wait by throwing (see `WaitCheck`). */
  check?: WaitCheck;
  /** The end of the request's time budget (epoch ms), if it has one. */
  deadline?: number;
  /** The request's own timeout: an admitted request answers (or fails) by then at the latest. */
  timeoutMs?: number;
  /** Hears the paced waits of this request. */
  onWait?: (event: RateLimitEvent) => void;
}

/**
 * Proactive pacing from `X-RateLimit-Limit/Remaining/Reset`: requests are admitted while the window has budget
 * left (counting the ones in flight), and otherwise wait for the reset, so a long run on a plan's limit sees no 429.
 * After a 429 every request waits for its `Retry-After` (not for the whole window), then one probes the budget; a
 * new window starts the same way (one probe first, whose answer says what the window has left: other clients on the
 * same key, in this process or elsewhere, may already have used some of it).
 *
 * One pacer may be shared by several clients of one process on the same key (`sharedPacing`, see `pacerFor`).
 */
export class RateLimitPacer {
  private limit: number | undefined;
  private remaining: number | undefined;
  private resetAt: number | undefined;
  /** Set by a 429's `Retry-After`: nothing is sent before this time (epoch ms). */
  private blockedUntil: number | undefined;
  /** Admitted requests not answered yet: ticket → the latest time it can still be in flight (epoch ms). */
  private readonly flying = new Map<number, number>();
  private tickets = 0;
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

  private get inFlight(): number {
    return this.flying.size;
  }

  /** Budget left in the current window, or undefined before the first answer. */
  available(): number | undefined {
    this.roll();
    return this.remaining === undefined ? undefined : Math.max(0, this.remaining);
  }

  private roll(): void {
    if (this.resetAt !== undefined && this.now() >= this.resetAt + this.marginMs) {
      // A new window: what it has left is not known until an answer from it says (other clients on this key may be
      // using it too), so one request probes first.
      this.remaining = undefined;
      this.resetAt = undefined;
    }
    if (this.blockedUntil !== undefined && this.now() >= this.blockedUntil) this.blockedUntil = undefined;
  }

  private admit(options: AcquireOptions): number {
    const ticket = ++this.tickets;
    const timeout = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    this.flying.set(ticket, Math.min(this.now() + timeout, options.deadline ?? Number.POSITIVE_INFINITY));
    return ticket;
  }

  /**
   * Waits until the window has budget, then takes one unit of it and answers the request's ticket (for `release`);
   * `check` may refuse a wait by throwing.
   */
  async acquire(options: AcquireOptions | WaitCheck = {}): Promise<number> {
    const opts: AcquireOptions = typeof options === 'function' ? { check: options } : options;
    const { check, deadline } = opts;
    const onWait = opts.onWait ?? this.onWait;
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
        return this.admit(opts);
      }
      if (this.remaining !== undefined && this.resetAt !== undefined) {
        const waitMs = Math.max(1, this.resetAt + this.marginMs - now);
        // the cap applies to what CodeQR asked for, not to the pacer's own safety margin; the budget to all of it
        check?.(Math.max(0, this.resetAt - now), this.resetAt, this.resetAt + this.marginMs);
        onWait?.({ reason: 'paced', waitMs, resetAt: this.resetAt, limit: this.limit });
        await this.sleep(waitMs);
        continue;
      }
      // Budget unknown (first request, after a 429's wait, or a new window): one request probes, the others wait for
      // its answer's headers, unless that answer may come after their own budget ends (another call's request,
      // hanging, must not eat this call's budget): such a request goes ahead as a probe of its own.
      if (this.inFlight > 0) {
        const firstAnswerBy = Math.min(...this.flying.values());
        if (deadline === undefined || firstAnswerBy <= deadline) {
          await new Promise<void>((resolve) => this.probeWaiters.push(resolve));
          continue;
        }
      }
      if (this.remaining !== undefined) this.remaining -= 1;
      return this.admit(opts);
    }
  }

  /**
   * Records one answer's rate-limit headers (lower-case names); `serverOffsetMs` is how far CodeQR's clock is ahead
   * of this client's (from its `Date` header), so epoch reset times are read on CodeQR's clock.
   */
  release(headers: Record<string, string> | undefined, ticket?: number, serverOffsetMs = 0): void {
    if (ticket !== undefined) this.flying.delete(ticket);
    else {
      const first = this.flying.keys().next();
      if (!first.done) this.flying.delete(first.value);
    }
    this.update(headers, serverOffsetMs);
    const waiters = this.probeWaiters;
    this.probeWaiters = [];
    for (const wake of waiters) wake();
  }

  private update(headers: Record<string, string> | undefined, serverOffsetMs: number): void {
    if (!headers) return;
    const now = this.now();
    const limit = Number(headers['x-ratelimit-limit']);
    const remaining = Number(headers['x-ratelimit-remaining']);
    const serverReset = parseResetHeader(headers['x-ratelimit-reset'], now + serverOffsetMs);
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || serverReset === undefined) return;
    const resetAt = serverReset - serverOffsetMs;
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

/** The pacers of this process by base URL and key: `sharedPacing` clients on one key pace together. */
const shared = new Map<string, RateLimitPacer>();

/**
 * The one pacer of this process for `baseUrl` and `apiKey` (made on first use with that client's clock and sleep):
 * concurrent executions of a host (n8n runs each in its own client) then share what they learn from CodeQR's
 * headers instead of each spending the same window's budget. The key is only a map key here, never shown.
 */
export function pacerFor(baseUrl: string, apiKey: string, make: () => RateLimitPacer): RateLimitPacer {
  const id = `${baseUrl}\n${apiKey}`;
  let pacer = shared.get(id);
  if (!pacer) {
    pacer = make();
    shared.set(id, pacer);
  }
  return pacer;
}
