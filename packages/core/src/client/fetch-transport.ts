import { isCodeQrError } from '../errors.ts';
import { type Transport, type TransportResponse, transportError } from './transport.ts';

export interface FetchTransportOptions {
  /** A custom fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/** A fetch `Headers` as the transport contract's plain record (fetch already lower-cases the names). */
function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * The default transport: one `fetch` per attempt, every HTTP status answered as data, its own timeout covering the
 * headers and the body read. Core does the retries, pacing and error mapping itself; the ky wrapper this replaced
 * had all of those turned off and still cost about 15% of a loopback call building a request object per call
 * (`npm run bench -w @codeqr-integrations/core`). Kept out of the n8n-facing entry: n8n's scanner rejects timers.
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const send = options.fetch ?? fetch;
  return async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const response = await send(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      // the body read is covered by the same deadline as the headers
      const body = await response.text();
      const answer: TransportResponse = { status: response.status, headers: headerRecord(response.headers), body };
      return answer;
    } catch (error) {
      if (isCodeQrError(error)) throw error;
      if (controller.signal.aborted) throw transportError('timeout', error, request.timeoutMs);
      // fetch's `TypeError: fetch failed` carries the system error (ECONNREFUSED, …) as its cause
      throw transportError('network_error', error instanceof TypeError && error.cause ? error.cause : error);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The default `sleep` for hosts that may use timers (everything but n8n, which injects its own). */
export const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
