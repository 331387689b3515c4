/**
 * The Action's own HTTP transport: bodies with Content-Length (an intermediary that forwards or validates bodies
 * refuses chunked writes), and self-hosted runners' proxies (HTTP(S)_PROXY / NO_PROXY) honoured.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport, proxyEnvOf } from '../src/transport.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that answers what it received: the headers and the body as it arrived. */
async function echo(): Promise<{ url: string; seen: { headers: IncomingHttpHeaders; body: string }[] }> {
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
  const url = await listen((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  return { url, seen };
}

const send = (transport: ReturnType<typeof createNodeTransport>['transport'], url: string, body?: string) =>
  transport({
    method: body === undefined ? 'GET' : 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body,
    timeoutMs: 5_000,
  });

describe('the Action transport', () => {
  it('sends a JSON body with Content-Length (its UTF-8 byte length), never chunked', async () => {
    const target = await echo();
    const http = createNodeTransport();
    const body = JSON.stringify({ title: 'Café ☕ – menu', url: 'https://example.com' });
    const answer = await send(http.transport, `${target.url}/qrcodes`, body);
    http.close();
    expect(answer.status).toBe(200);
    const [received] = target.seen;
    expect(received?.body).toBe(body);
    expect(received?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(received?.headers['transfer-encoding']).toBeUndefined();
  });

  it('goes through HTTP_PROXY when one is set, and straight to hosts NO_PROXY names', async () => {
    const target = await echo();
    const proxied: string[] = [];
    const proxy = await listen((req, res) => {
      proxied.push(req.url ?? '');
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    const port = new URL(target.url).port;
    const viaProxy = createNodeTransport({ proxyEnv: proxyEnvOf({ HTTP_PROXY: proxy }) });
    expect((await send(viaProxy.transport, `http://localhost:${port}/qrcodes`, '{"a":1}')).status).toBe(200);
    viaProxy.close();
    expect(proxied).toEqual([`http://localhost:${port}/qrcodes`]);
    expect(target.seen[0]?.headers['content-length']).toBe('7');

    const bypass = createNodeTransport({ proxyEnv: proxyEnvOf({ http_proxy: proxy, no_proxy: 'localhost' }) });
    expect((await send(bypass.transport, `http://localhost:${port}/qrcodes`)).status).toBe(200);
    bypass.close();
    expect(proxied).toHaveLength(1);
    expect(target.seen).toHaveLength(2);
  });

  it('reads only the proxy variables, and none when no proxy is set', () => {
    expect(proxyEnvOf({ PATH: '/bin', NO_PROXY: 'example.com' })).toBeUndefined();
    expect(proxyEnvOf({ PATH: '/bin', HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.internal' })).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      NO_PROXY: '.internal',
    });
  });
});
