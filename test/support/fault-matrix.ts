/**
 * The fault matrix every host's resilience suite runs (core, the n8n node, the Zapier app, the Action's dist): each
 * sandbox fault mode on each route that a bulk write touches, and how many uses of an armed fault were taken.
 */
import { sandboxControl } from './sandbox-control.ts';

/**
 * The sandbox fault modes (`POST /__sandbox/faults`). `delayName` names the 1.5 s delay as the host meets it: a
 * `timeout` where the client's attempt timeout is shorter, a `slow answer` where it is not.
 */
export function faultModes(delayName: 'timeout' | 'slow answer') {
  return [
    { name: '429 with Retry-After', rule: { mode: 'status', status: 429, retryAfter: 1 } },
    { name: '429 without a retry time', rule: { mode: 'status', status: 429, retryAfter: 0 } },
    { name: '500', rule: { mode: 'status', status: 500 } },
    { name: '502', rule: { mode: 'status', status: 502 } },
    { name: '503', rule: { mode: 'status', status: 503 } },
    { name: 'connection reset', rule: { mode: 'reset' } },
    { name: delayName, rule: { mode: 'delay', delayMs: 1_500 } },
    { name: 'truncated answer', rule: { mode: 'truncate' } },
    { name: 'dropped answer', rule: { mode: 'drop' } },
  ] as const;
}

/** The routes a bulk create or upsert goes through: its lookups, its bulk creates and its updates. */
export const FAULT_ROUTES = ['GET /qrcodes*', 'POST /qrcodes/bulk', 'PUT /qrcodes/*'] as const;

/** How many uses of each armed fault were taken (a fault that never fired would make its case vacuous). */
export async function firedOf(
  baseUrl: string,
  apiKey: string,
  faults: readonly { route: string; count: number }[],
): Promise<number[]> {
  const answer = await sandboxControl(baseUrl, apiKey, '/faults', undefined, 'GET');
  const left = (await answer.json()) as { route: string; remaining: number }[];
  return faults.map((f) => f.count - (left.find((l) => l.route === f.route)?.remaining ?? 0));
}
