/**
 * What every mode works with: the command the step runs, the CodeQR client, and how a field maps back to the input
 * the user wrote (for error messages). Built once by `main.ts`; modes import it, never `main.ts`.
 */
import * as core from '@actions/core';
import { timerSleep } from '@codeqr-integrations/core';
import { type CodeQrClient, createCodeQrClient, DEFAULT_BASE_URL } from '@codeqr-integrations/core/base';
import type { Command } from './commands.ts';
import type { InputLookup } from './errors.ts';
import { accepts } from './fields.ts';
import { input } from './inputs.ts';
import type { NodeTransport } from './transport.ts';

const USER_AGENT = 'codeqr-github-action/0.1.0';

export interface Context {
  command: Command;
  client: CodeQrClient;
  apiBaseUrl: string;
  lookup: InputLookup;
}

/** How a failure's field keys map back to the step's inputs; a read (get, list, poll) is told apart for 403s. */
export function lookupFor(command: Command | undefined): InputLookup {
  return {
    inputFor: (key) =>
      key === 'baseUrl' ? 'api-base-url' : (command?.fields.find((f) => f.spec.key === key)?.name ?? undefined),
    acceptsFor: (key) => {
      const field = command?.fields.find((f) => f.spec.key === key);
      return field ? accepts(field.spec) : undefined;
    },
    reads: command?.op.kind === 'trigger' || ['get', 'list', 'getImage'].includes(command?.op.verb ?? ''),
  };
}

/** The step's context: a CodeQR client over the Action's transport, logging each rate-limit wait. */
export function createContext(command: Command, apiKey: string, http: NodeTransport): Context {
  const client = createCodeQrClient({
    transport: http.transport,
    sleep: timerSleep,
    apiKey,
    baseUrl: input('api-base-url') || DEFAULT_BASE_URL,
    userAgent: USER_AGENT,
    onRateLimit: (event) =>
      core.info(
        `Waiting ${(event.waitMs / 1000).toFixed(1)} s for CodeQR's rate limit` +
          `${event.limit ? ` (${event.limit} requests per window)` : ''}${event.reason === '429' ? ' after a 429' : ''}.`,
      ),
  });
  return { command, client, apiBaseUrl: client.baseUrl, lookup: lookupFor(command) };
}
