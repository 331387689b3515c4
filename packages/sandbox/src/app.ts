import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { ApiError, errorBody } from './api-error.ts';
import type { SandboxBehaviour } from './behaviour.ts';
import type { FaultInjector } from './faults.ts';
import type { Env } from './http.ts';
import { ids, type Random } from './random.ts';
import type { RateLimiter } from './rate-limit.ts';
import { controlRoutes } from './routes/control.ts';
import { insightRoutes } from './routes/insights.ts';
import { qrCodeRoutes } from './routes/qrcodes.ts';
import type { Project, Store } from './store/index.ts';
import type { WebhookDispatcher } from './webhooks.ts';

/** What a test-level hook sees of each API request and its answer (the key is never included). */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
  /** `truncate`/`drop`: the request was processed but the client got a cut body or no answer. */
  fault?: 'truncate' | 'drop';
}

export interface AppDeps {
  store: Store;
  projectsByKey: Map<string, Project>;
  limiter: RateLimiter;
  faults: FaultInjector;
  webhooks: WebhookDispatcher;
  random: Random;
  /** Read on every request, so a test may switch styles on a running sandbox. */
  behaviour: SandboxBehaviour;
  onExchange?: (exchange: Exchange) => void;
}

const WRITE_PERMISSION: Record<string, string> = {
  qrcodes: 'qrcodes.write',
  tags: 'tags.write',
  folders: 'folders.write',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createApp(deps: AppDeps) {
  const { store, projectsByKey, limiter, faults, webhooks, random, behaviour, onExchange } = deps;
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    c.header('X-Request-Id', ids.request(random));
    // the sandbox's own clock (a test may run it on a fake one), as the rate limiter and X-RateLimit-Reset see it
    c.header('Date', new Date(store.now()).toUTCString());
    if (!onExchange || c.req.path.startsWith('/__sandbox')) return next();
    const requestText = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.raw.clone().text();
    await next();
    const faulted = c.get('faulted');
    if (faulted?.mode === 'reset') return; // never processed, never answered: nothing to report
    // for truncate/drop, report what the sandbox did (the client saw a cut body or nothing; `fault` says which)
    let responseBody: unknown;
    try {
      responseBody = JSON.parse(faulted ? (faulted.text ?? '') : await c.res.clone().text());
    } catch {
      responseBody = undefined;
    }
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      if (name !== 'authorization') headers[name] = value;
    });
    const responseHeaders: Record<string, string> = {};
    (faulted?.headers ?? c.res.headers).forEach((value, name) => {
      if (name !== 'x-hono-already-sent') responseHeaders[name] = value;
    });
    let body: unknown;
    try {
      body = requestText ? JSON.parse(requestText) : undefined;
    } catch {
      body = requestText;
    }
    onExchange({
      method: c.req.method,
      path: c.req.path,
      query: c.req.queries(),
      headers,
      body,
      status: faulted?.status ?? c.res.status,
      responseHeaders,
      responseBody,
      ...(faulted ? { fault: faulted.mode } : {}),
    });
  });

  // Fault injection: the control API's rules apply to every non-control route.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/__sandbox')) return next();
    const fault = faults.take(c.req.method, c.req.path);
    if (!fault) return next();
    const socket = c.env.incoming.socket;
    switch (fault.mode) {
      case 'reset':
        c.set('faulted', { mode: 'reset' });
        socket.destroy();
        return RESPONSE_ALREADY_SENT;
      case 'delay':
        await sleep(fault.delayMs);
        return next();
      case 'status': {
        const status = fault.status ?? 500;
        if (status === 502) return c.html('<html><body><h1>502 Bad Gateway</h1></body></html>', 502);
        if (status === 429) {
          // Dub style: Retry-After and X-RateLimit-Reset are the same absolute epoch-ms instant
          const headers: Record<string, string> =
            behaviour.rateLimitHeaders === 'dub'
              ? {
                  'Retry-After': String(store.now() + fault.retryAfter * 1000),
                  'X-RateLimit-Reset': String(store.now() + fault.retryAfter * 1000),
                }
              : { 'Retry-After': String(fault.retryAfter) };
          throw new ApiError('rate_limit_exceeded', 'Too many requests. Please try again later.', headers);
        }
        const message = `The sandbox injected a ${status} fault for this request.`;
        return c.json(errorBody('internal_server_error', message), status as 500);
      }
      case 'truncate':
      case 'drop': {
        await next();
        const text = await c.res.text();
        c.set('faulted', { mode: fault.mode, status: c.res.status, headers: c.res.headers, text });
        if (fault.mode === 'drop') {
          socket.destroy();
        } else {
          const bytes = Buffer.from(text);
          const out = c.env.outgoing;
          out.writeHead(c.res.status, {
            'content-type': 'application/json',
            'content-length': String(bytes.length),
          });
          out.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => socket.destroy());
        }
        // clear first: assigning over an existing response would copy it (and node-server would then send it)
        c.res = undefined as unknown as Response;
        c.res = RESPONSE_ALREADY_SENT;
        return;
      }
    }
  });

  app.get('/', (c) =>
    c.json({ name: 'CodeQR sandbox', docs: 'https://docs.codeqr.io/api-reference', control: '/__sandbox' }),
  );
  app.get('/__sandbox/health', (c) => c.json({ ok: true }));

  // Auth (API and control routes alike), then rate limits and permissions for the API.
  app.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) {
      throw new ApiError(
        'unauthorized',
        'Missing API key: send it as "Authorization: Bearer codeqr_..." (create one in your CodeQR project settings).',
      );
    }
    const project = projectsByKey.get(match[1]!);
    if (!project) throw new ApiError('unauthorized', 'Unauthorized: the API key is invalid or was revoked.');
    c.set('project', project);
    c.set('apiKey', match[1]!);
    if (c.req.path.startsWith('/__sandbox')) return next();

    const state = limiter.hit(match[1]!, project.plan);
    const headers = limiter.headers(state, behaviour.rateLimitHeaders);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    if (state.limited) throw new ApiError('rate_limit_exceeded', 'Too many requests. Please try again later.', headers);
    if (project.readOnly && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const noun = c.req.path.split('/')[1] ?? '';
      const permission = WRITE_PERMISSION[noun] ?? `${noun}.write`;
      throw new ApiError('forbidden', `This API key is read-only; the "${permission}" permission is required.`);
    }
    return next();
  });

  app.route('/qrcodes', qrCodeRoutes(store, webhooks, behaviour));
  app.route('/', insightRoutes(store, behaviour));
  app.route('/__sandbox', controlRoutes({ store, webhooks, faults, limiter, random }));

  app.notFound((c) => {
    const error = new ApiError(
      'not_found',
      `No route ${c.req.method} ${c.req.path}; see https://docs.codeqr.io/api-reference.`,
    );
    return c.json(error.body(), 404);
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(error.body(), error.status as 400);
    }
    console.error('[codeqr-sandbox] unexpected error:', error);
    const body = new ApiError('internal_server_error', 'The sandbox hit an unexpected error.').body();
    return c.json(body, 500);
  });

  return app;
}
