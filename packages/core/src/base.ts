/**
 * The host-neutral entry without ky or timers: the n8n node bundles this one and passes its own transport and sleep.
 * Everything else is the same as the main entry.
 */
import { type CodeQrClient, type CodeQrClientOptions, createClientWith } from './client/create.ts';

export * from './analytics/index.ts';
export * from './client/create.ts';
export { DEFAULT_BASE_URL, errorFromResponse, normaliseBaseUrl, type RetryOptions } from './client/http.ts';
export type { RateLimitEvent } from './client/pacer.ts';
export { PageParams, Paginated } from './client/paginate.ts';
export * from './client/transport.ts';
export * from './domains/index.ts';
export * from './errors.ts';
export * from './events/index.ts';
export * from './folders/index.ts';
export * from './image/index.ts';
export * from './polling/index.ts';
export * from './qrcodes/index.ts';
export * from './schemas/index.ts';
export * from './tags/index.ts';
export * from './webhooks/index.ts';

/** Creates a client over the given transport and sleep (both required in this entry). */
export function createCodeQrClient(options: CodeQrClientOptions): CodeQrClient {
  return createClientWith(options);
}
export * from './fields/index.ts';
export * from './operations/index.ts';
