import ky, { isNetworkError, isTimeoutError } from 'ky';
import { isCodeQrError } from '../errors.ts';
import { headersToRecord, type Transport, transportError } from './transport.ts';

export interface KyTransportOptions {
  /** A custom fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/**
 * The default transport, over ky with its own retries off (core retries) and errors as data. Kept out of the
 * n8n-facing entry: n8n's scanner rejects ky's bundled globals and timers.
 */
export function createKyTransport(options: KyTransportOptions = {}): Transport {
  const client = ky.create({ retry: 0, throwHttpErrors: false, fetch: options.fetch });
  return async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const response = await client(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeout: false,
        signal: controller.signal,
      });
      // the body read is covered by the same deadline as the headers
      const body = await response.text();
      return { status: response.status, headers: headersToRecord(response.headers), body };
    } catch (error) {
      if (isCodeQrError(error)) throw error;
      if (controller.signal.aborted || isTimeoutError(error)) throw transportError('timeout', error, request.timeoutMs);
      throw transportError('network_error', isNetworkError(error) ? (error.cause ?? error) : error);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The default `sleep` for hosts that may use timers (everything but n8n, which injects its own). */
export const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
