/**
 * `@codeqr-integrations/core`: the CodeQR client, operation registry and helpers every host is built from, i.e. the
 * `/base` entry's public surface plus defaults: the transport is `fetch` and `sleep` a timer.
 */
import { createFetchTransport, timerSleep } from './client/fetch-transport.ts';
import { type CodeQrClient, type CodeQrClientOptions, createClientWith } from './create-client.ts';

export * from './base.ts';
export { createFetchTransport, type FetchTransportOptions, timerSleep } from './client/fetch-transport.ts';

export type CreateCodeQrClientOptions = Omit<CodeQrClientOptions, 'transport' | 'sleep'> &
  Partial<Pick<CodeQrClientOptions, 'transport' | 'sleep'>>;

/** Creates a CodeQR client; `transport` defaults to `fetch` and `sleep` to a timer. */
export function createCodeQrClient(options: CreateCodeQrClientOptions): CodeQrClient {
  return createClientWith(
    { ...options, transport: options?.transport ?? createFetchTransport(), sleep: options?.sleep ?? timerSleep },
    '@codeqr-integrations/core',
  );
}
