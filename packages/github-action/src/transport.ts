/**
 * The Action's transport: core's `Transport` over `node:http` / `node:https` (loaded for the protocol in use) with
 * keep-alive. Not core's fetch transport: touching fetch makes Node load its bundled undici, which alone costs more
 * than the whole cold-start budget of a step. Retries, pacing and error mapping stay in core, above this.
 *
 * Bodies are sent whole with `Content-Length` (never chunked: proxies and gateways that forward or validate bodies
 * refuse chunked writes), and self-hosted runners behind a proxy work: `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (either
 * case) go to Node's own proxy support in its agents (`proxyEnv`, Node 24.5 and later).
 */
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { type Transport, type TransportResponse, transportError } from '@codeqr-integrations/core/base';

interface Protocol {
  request: typeof import('node:http').request;
  agent: HttpAgent;
}

export interface NodeTransport {
  transport: Transport;
  /** Closes the kept-alive sockets, so the process can exit at once. */
  close(): void;
}

const nodeRequire = createRequire(import.meta.url);

function flatten(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The proxy variables of an environment, as Node's agents read them (`proxyEnv`); none when no proxy is set. */
export function proxyEnvOf(env: Record<string, string | undefined>): Record<string, string> | undefined {
  const names = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];
  const picked = Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])));
  return Object.keys(picked).some((name) => /_proxy$/i.test(name) && !/^no_/i.test(name)) ? picked : undefined;
}

export function createNodeTransport(options: { proxyEnv?: Record<string, string> } = {}): NodeTransport {
  const protocols = new Map<string, Promise<Protocol>>();
  const load = (scheme: string): Promise<Protocol> => {
    let loaded = protocols.get(scheme);
    if (!loaded) {
      // require, not import(): an ESM namespace of node:http reads every export, and one lazy getter (WebSocket)
      // loads undici
      const m = nodeRequire(scheme === 'https:' ? 'node:https' : 'node:http') as typeof import('node:http');
      const agentOptions = {
        keepAlive: true,
        maxSockets: 8,
        ...(options.proxyEnv ? { proxyEnv: options.proxyEnv } : {}),
      };
      loaded = Promise.resolve({ request: m.request, agent: new m.Agent(agentOptions) });
      protocols.set(scheme, loaded);
    }
    return loaded;
  };

  const transport: Transport = async (req) => {
    const url = new URL(req.url);
    const { request, agent } = await load(url.protocol);
    return new Promise<TransportResponse>((resolvePromise, reject) => {
      let timedOut = false;
      const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
      const headers = body === undefined ? req.headers : { ...req.headers, 'content-length': String(body.length) };
      const r = request(url, { method: req.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: flatten(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) => reject(transportError(timedOut ? 'timeout' : 'network_error', error)));
      });
      r.setTimeout(req.timeoutMs, () => {
        timedOut = true;
        r.destroy(new Error(`no answer within ${req.timeoutMs} ms`));
      });
      r.on('error', (error) => {
        if (timedOut) reject(transportError('timeout', error, req.timeoutMs));
        else reject(transportError('network_error', error));
      });
      r.end(body);
    });
  };

  return {
    transport,
    close() {
      for (const loaded of protocols.values()) void loaded.then((p) => p.agent.destroy());
    },
  };
}
