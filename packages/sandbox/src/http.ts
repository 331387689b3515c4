import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { ApiError } from './api-error.ts';
import type { Project } from './store/index.ts';

export type Env = {
  Bindings: HttpBindings;
  Variables: {
    project: Project;
    apiKey: string;
    requestId: string;
    body: unknown;
    /** Set by fault injection when the real answer never reached the client as sent. */
    faulted: { mode: 'reset' | 'truncate' | 'drop'; status?: number; headers?: Headers; text?: string };
  };
};
export type Ctx = Context<Env>;

/** Reads the JSON body once; an unparsable body is CodeQR's 400 `bad_request`. */
export async function readJson(c: Ctx): Promise<unknown> {
  const cached = c.get('body');
  if (cached !== undefined) return cached;
  const text = await c.req.text();
  if (!text.trim()) return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    c.set('body', body);
    return body;
  } catch (error) {
    throw new ApiError('bad_request', `The request body is not valid JSON (${(error as Error).message}).`);
  }
}

/** Query parameters as a plain object; repeated parameters (`tagIds=a&tagIds=b`) are joined with commas. */
export function queryObject(c: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(c.req.queries())) out[name] = values.join(',');
  return out;
}
