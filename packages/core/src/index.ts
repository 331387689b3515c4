/**
 * `@codeqr-integrations/core`: the CodeQR client, schemas, operation registry and helpers every host is built from.
 * This entry defaults the transport to ky and `sleep` to a timer; `@codeqr-integrations/core/base` has neither.
 */
import type { CodeQrClient, CodeQrClientOptions } from './client/create.ts';
import { createClientWith } from './client/create.ts';
import { createKyTransport, timerSleep } from './client/ky-transport.ts';

export * from './base.ts';
export { createKyTransport, timerSleep } from './client/ky-transport.ts';

export type CreateCodeQrClientOptions = Omit<CodeQrClientOptions, 'transport' | 'sleep'> &
  Partial<Pick<CodeQrClientOptions, 'transport' | 'sleep'>>;

/** Creates a CodeQR client; `transport` defaults to ky over fetch and `sleep` to a timer. */
export function createCodeQrClient(options: CreateCodeQrClientOptions): CodeQrClient {
  return createClientWith({
    ...options,
    transport: options.transport ?? createKyTransport(),
    sleep: options.sleep ?? timerSleep,
  });
}
