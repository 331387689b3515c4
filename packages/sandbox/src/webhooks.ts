import { createHmac } from 'node:crypto';
import type { Project, WebhookRecord } from './store/index.ts';

/** docs: webhooks, "Signature: header `CodeQR-Signature`". */
export const SIGNATURE_HEADER = 'CodeQR-Signature';

/** docs: webhooks, "lowercase hex HMAC-SHA256 of the raw body with the webhook's secret. No timestamp." */
export function signDelivery(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

export interface DeliveryAttempt {
  eventId: string;
  event: string;
  webhookId: string;
  url: string;
  attempt: number;
  status: number | null;
  ok: boolean;
  error: string | null;
  at: string;
}

export interface WebhookDispatcherOptions {
  /** Delay before each retry; the real schedule (12 s, 2.5 min, 30 min, 6 h) scaled down. */
  retryDelaysMs: number[];
  now: () => number;
  newEventId: () => string;
  log?: (line: string) => void;
}

/**
 * Delivers `qrcode.*` events to the project's registered endpoints, signed with `CodeQR-Signature`, retrying non-2xx
 * answers and network errors with the same event id (docs: webhooks, "retries until 2xx … dedupe on the event id").
 */
export class WebhookDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  private readonly options: WebhookDispatcherOptions;
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(options: WebhookDispatcherOptions) {
    this.options = options;
  }

  emit(project: Project, event: string, data: unknown): void {
    const targets = project.data.webhooks.filter((w) => !w.disabled && w.events.includes(event));
    if (targets.length === 0) return;
    const envelope = {
      id: this.options.newEventId(),
      event,
      createdAt: new Date(this.options.now()).toISOString(),
      data,
    };
    const body = JSON.stringify(envelope);
    for (const webhook of targets) this.track(this.deliver(webhook, envelope.id, event, body, 1));
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
  }

  private async deliver(webhook: WebhookRecord, eventId: string, event: string, body: string, attempt: number) {
    if (this.closed) return;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'CodeQR-Webhooks/sandbox',
          [SIGNATURE_HEADER]: signDelivery(body, webhook.secret),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const ok = status !== null && status >= 200 && status < 300;
    this.deliveries.push({
      eventId,
      event,
      webhookId: webhook.id,
      url: webhook.url,
      attempt,
      status,
      ok,
      error,
      at: new Date(this.options.now()).toISOString(),
    });
    if (this.deliveries.length > 1000) this.deliveries.splice(0, this.deliveries.length - 1000);
    if (ok) {
      webhook.consecutiveFailures = 0;
      return;
    }
    webhook.consecutiveFailures += 1;
    if (webhook.consecutiveFailures >= 20) webhook.disabled = true;
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (delay === undefined || this.closed) {
      this.options.log?.(`webhook ${webhook.id}: gave up on ${eventId} after ${attempt} attempts`);
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, delay);
      this.timers.set(timer, resolve);
    });
    await this.deliver(webhook, eventId, event, body, attempt + 1);
  }

  /** Resolves when no delivery is in flight or waiting to retry. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
  }
}
