import { CodeQrError } from '../errors.ts';

export interface WebhookDeduper {
  /** True if `id` was seen before (and marks it recent again); otherwise records it and answers false. */
  seen(id: string): boolean;
  /** How many ids are remembered (at most `max`). */
  readonly size: number;
}

/**
 * Remembers recent webhook event ids (`evt_…`) so repeated deliveries can be skipped. Bounded: past `max` ids the
 * least recently seen one is forgotten. In memory and per process: it catches retries that reach the same instance.
 */
export function createWebhookDeduper(options: { max?: number } = {}): WebhookDeduper {
  const max = options.max ?? 10_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `Deduper max must be a positive integer, got ${JSON.stringify(max)}`,
      issues: [{ field: 'max', message: 'must be a positive integer' }],
    });
  }
  const ids = new Map<string, true>();
  return {
    seen(id: string): boolean {
      if (ids.has(id)) {
        ids.delete(id);
        ids.set(id, true);
        return true;
      }
      ids.set(id, true);
      if (ids.size > max) {
        const oldest = ids.keys().next();
        if (!oldest.done) ids.delete(oldest.value);
      }
      return false;
    },
    get size() {
      return ids.size;
    },
  };
}
