/**
 * Core's `Transport` over n8n's `httpRequestWithAuthentication`: the credential adds the Bearer header, every HTTP
 * status comes back as data (core maps, retries and paces), and only a missing answer is thrown, as core expects.
 */
import {
  type CodeQrClient,
  createCodeQrClient,
  headersToRecord,
  type Transport,
  transportError,
} from '@codeqr-integrations/core/base';
import type {
  IExecuteFunctions,
  IHookFunctions,
  IHttpRequestMethods,
  ILoadOptionsFunctions,
  IN8nHttpFullResponse,
  IPollFunctions,
  IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/** The credential every CodeQR node authenticates with. */
export const API_CREDENTIAL = 'codeQrApi';

export type RequestContext =
  | IExecuteFunctions
  | ILoadOptionsFunctions
  | IPollFunctions
  | IHookFunctions
  | IWebhookFunctions;

const decoder = new TextDecoder();

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  if (body instanceof ArrayBuffer) return decoder.decode(new Uint8Array(body));
  return JSON.stringify(body);
}

const TIMEOUT = /ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT|timeout/i;

/** Whether a thrown request error (n8n wraps axios errors) was a timeout. */
function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && TIMEOUT.test(code)) return true;
    if (typeof message === 'string' && /timeout of \d+ms exceeded/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The request's headers without core's `authorization`: n8n's credential (`authenticate`) sets that one. */
function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

/** One CodeQR request through n8n's HTTP helper, authenticated with the node's CodeQR API credential. */
export function n8nTransport(ctx: RequestContext): Transport {
  return async (request) => {
    let response: IN8nHttpFullResponse;
    try {
      response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, API_CREDENTIAL, {
        method: request.method as IHttpRequestMethods,
        url: request.url,
        headers: withoutAuthorization(request.headers),
        ...(request.body === undefined ? {} : { body: request.body }),
        json: false,
        encoding: 'text',
        returnFullResponse: true,
        ignoreHttpStatusErrors: true,
        timeout: request.timeoutMs,
      })) as IN8nHttpFullResponse;
    } catch (error) {
      throw transportError(isTimeout(error) ? 'timeout' : 'network_error', error, request.timeoutMs);
    }
    return {
      status: response.statusCode,
      headers: headersToRecord(response.headers as Record<string, unknown>),
      body: bodyText(response.body),
    };
  };
}

interface ApiCredential {
  apiKey?: unknown;
  baseUrl?: string;
}

/**
 * The CodeQR client for this node run: core's retries and pacing (shared by every execution on the same key and base
 * URL in this process), n8n's HTTP and `sleep`. The key goes to core only
 * for its checks (a line break or an invisible character pasted with it fails at once, never quoted); n8n's
 * credential sends it.
 */
export async function codeQrClient(ctx: RequestContext): Promise<CodeQrClient> {
  const credential = (await ctx.getCredentials(API_CREDENTIAL)) as ApiCredential;
  const baseUrl = typeof credential.baseUrl === 'string' && credential.baseUrl.trim() ? credential.baseUrl : undefined;
  return createCodeQrClient({
    ...(credential.apiKey === undefined ? {} : { apiKey: credential.apiKey as string }),
    ...(baseUrl ? { baseUrl } : {}),
    transport: n8nTransport(ctx),
    sleep,
    userAgent: 'n8n-nodes-codeqr',
    // n8n builds a client per execution: executions on one key in this process (or worker) pace together, so they
    // do not each spend the same window; across workers, core waits out 429s instead of failing items
    sharedPacing: true,
  });
}
