import { Analytics } from '../analytics/analytics.ts';
import { Domains } from '../domains/domains.ts';
import { Events } from '../events/events.ts';
import { Folders } from '../folders/folders.ts';
import { QrCodes } from '../qrcodes/qrcodes.ts';
import { Tags } from '../tags/tags.ts';
import { parseWebhookEvent } from '../webhooks/parse.ts';
import { verifyWebhook } from '../webhooks/signature.ts';
import { HttpClient, type HttpOptions } from './http.ts';

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
}

/**
 * A CodeQR client over an explicit transport and sleep: the host-neutral factory (the n8n build uses this one, with
 * a transport over `httpRequestWithAuthentication` and n8n's `sleep`).
 */
export function createClientWith(options: CodeQrClientOptions): CodeQrClient {
  const http = new HttpClient(options);
  return Object.freeze({
    baseUrl: http.baseUrl,
    qrcodes: new QrCodes(http),
    analytics: new Analytics(http),
    events: new Events(http),
    domains: new Domains(http),
    tags: new Tags(http),
    folders: new Folders(http),
    webhooks: { verify: verifyWebhook, parse: parseWebhookEvent },
    toString: () => `CodeQrClient(${http.baseUrl})`,
    toJSON: () => ({ baseUrl: http.baseUrl }),
  });
}
