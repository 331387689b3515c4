/**
 * The roof: the one place that assembles the API nouns over the request engine in `client/`. Nothing in `client/`
 * imports from here, so the engine stays below the nouns and the nouns below the client.
 */
import { Analytics } from './analytics/analytics.ts';
import type { HttpOptions } from './client/config.ts';
import { HttpClient } from './client/http.ts';
import { Domains } from './domains/domains.ts';
import { CodeQrError } from './errors.ts';
import { Events } from './events/events.ts';
import { Folders } from './folders/folders.ts';
import { QrCodes } from './qrcodes/qrcodes.ts';
import { Tags } from './tags/tags.ts';
import { parseWebhookEvent } from './webhooks/parse.ts';
import { verifyWebhook } from './webhooks/signature.ts';

export type CodeQrClientOptions = HttpOptions;

export interface CodeQrClient {
  readonly baseUrl: string;
  readonly qrcodes: QrCodes;
  readonly analytics: Analytics;
  readonly events: Events;
  readonly domains: Domains;
  readonly tags: Tags;
  readonly folders: Folders;
  /** Verifying and parsing CodeQR's webhook deliveries (CodeQR has no API to register them). */
  readonly webhooks: { verify: typeof verifyWebhook; parse: typeof parseWebhookEvent };
  /**
   * The same client (same key, transport and rate-limit pacing) with every call made through it sharing ONE time
   * budget of `ms` from now: for running a whole host step (a Zapier perform, an n8n item) under the host's limit.
   * When the next wait would not fit, a call fails at once with `rate_limit_exceeded` and `retryAfter`.
   */
  withBudget(ms: number): CodeQrClient;
}

function assemble(http: HttpClient): CodeQrClient {
  return Object.freeze({
    baseUrl: http.baseUrl,
    qrcodes: new QrCodes(http),
    analytics: new Analytics(http),
    events: new Events(http),
    domains: new Domains(http),
    tags: new Tags(http),
    folders: new Folders(http),
    webhooks: Object.freeze({ verify: verifyWebhook, parse: parseWebhookEvent }),
    withBudget: (ms: number) => assemble(http.withBudget(ms)),
    toString: () => `CodeQrClient(${http.baseUrl})`,
    toJSON: () => ({ baseUrl: http.baseUrl }),
  });
}

/**
 * A CodeQR client over an explicit transport and sleep: the host-neutral factory behind both entries' exported
 * `createCodeQrClient` (the n8n build passes a transport over `httpRequestWithAuthentication` and n8n's `sleep`).
 */
export function createClientWith(options: CodeQrClientOptions, entry = '@codeqr-integrations/core/base'): CodeQrClient {
  const missing = (['transport', 'sleep'] as const).filter((name) => typeof options?.[name] !== 'function');
  if (missing.length > 0) {
    throw new CodeQrError({
      code: 'invalid_configuration',
      message: `createCodeQrClient from ${entry} needs ${missing.map((m) => `a \`${m}\` function`).join(' and ')} (this entry has no default HTTP client or timer); pass them, or import createCodeQrClient from @codeqr-integrations/core, which defaults both.`,
      issues: missing.map((field) => ({ field, message: 'must be a function' })),
    });
  }
  return assemble(new HttpClient(options));
}
