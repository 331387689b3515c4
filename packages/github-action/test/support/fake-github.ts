/**
 * A fake GitHub REST API on 127.0.0.1 for the end-to-end tests: issue comments (list with pagination, create,
 * update) and repository_dispatch, recording every request with its headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Comments per issue number. */
  comments: Map<number, Comment[]>;
  dispatches: { owner: string; repo: string; event_type: string; client_payload: Record<string, unknown> }[];
  /** Answer the next dispatches with this status (e.g. 404, or 502 as GitHub's front end does now and then), then normally. */
  failDispatches(status: number, times: number): void;
  /** Decides per dispatch request: a status to fail it with (not recorded as delivered), or undefined to accept it. */
  dispatchFault?: () => number | undefined;
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, Comment[]>();
  const dispatches: FakeGitHub['dispatches'] = [];
  let nextId = 1000;
  let failing: { status: number; times: number } | undefined;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const body = text ? JSON.parse(text) : undefined;
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    if (!String(req.headers.authorization ?? '').startsWith('token '))
      return send(res, 401, { message: 'Bad credentials' });

    if (url.pathname === '/user' && req.method === 'GET') {
      // what GitHub answers an installation token (GITHUB_TOKEN); a PAT would get its user
      if (req.headers.authorization === 'token ghp_personal') return send(res, 200, { login: 'octo-dev' });
      return send(res, 403, { message: 'Resource not accessible by integration' });
    }
    let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (m) {
      const list = comments.get(Number(m[3])) ?? [];
      comments.set(Number(m[3]), list);
      if (req.method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        return send(res, 200, list.slice((page - 1) * perPage, page * perPage));
      }
      if (req.method === 'POST') {
        const personal = req.headers.authorization === 'token ghp_personal';
        const user = personal
          ? { login: 'octo-dev', type: 'User' as const }
          : { login: 'github-actions[bot]', type: 'Bot' as const };
        const comment: Comment = { id: nextId++, body: body.body, user };
        list.push(comment);
        return send(res, 201, comment);
      }
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (m && req.method === 'PATCH') {
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === Number(m?.[3]));
        if (comment) {
          comment.body = body.body;
          return send(res, 200, comment);
        }
      }
      return send(res, 404, { message: 'Not Found' });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/dispatches$/.exec(url.pathname);
    if (m && req.method === 'POST') {
      const fault = failing && failing.times > 0 ? failing.status : fake.dispatchFault?.();
      if (fault !== undefined) {
        if (failing && failing.times > 0) failing.times--;
        return send(res, fault, { message: fault >= 500 ? 'Server Error' : 'Not Found' });
      }
      const payload = body.client_payload ?? {};
      if (typeof body.event_type !== 'string' || body.event_type.length > 100)
        return send(res, 422, { message: 'event_type' });
      if (Object.keys(payload).length > 10) return send(res, 422, { message: 'client_payload: too many properties' });
      if (Buffer.byteLength(text) > 65_536) return send(res, 422, { message: 'payload too large' });
      dispatches.push({
        owner: m[1] as string,
        repo: m[2] as string,
        event_type: body.event_type,
        client_payload: payload,
      });
      return send(res, 204);
    }
    send(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const fake: FakeGitHub = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    comments,
    dispatches,
    failDispatches(status, times) {
      failing = { status, times };
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
  return fake;
}
