/**
 * A poll's `repository_dispatch` events: items split into bodies within GitHub's limits, and the delivery of polled
 * steps, one dispatch each, the state file moving past a step only once its dispatch was accepted.
 */
import type { Octokit } from '@octokit/core';
import { dispatchEvent } from '../github.ts';
import { type PollPlan, tagOf } from './plan.ts';

/** GitHub: `client_payload` has at most 10 top-level properties; the whole body stays well under 64 KB. */
export const MAX_DISPATCH_BYTES = 60_000;

export interface DispatchBatch {
  event_type: string;
  client_payload: Record<string, unknown>;
}

/**
 * Splits items into `repository_dispatch` bodies: at most `batchSize` items and `MAX_DISPATCH_BYTES` per body,
 * `client_payload` with 7 top-level properties (GitHub allows 10): the items (`scans` or `items`), `count`, `batch`,
 * `batches`, the strategy or trigger, `batchId`, `source`.
 */
export function dispatchBatches(
  eventType: string,
  plan: PollPlan,
  items: { id: string }[],
  batchSize: number,
): DispatchBatch[] {
  const groups: { id: string }[][] = [];
  let current: { id: string }[] = [];
  // the body's size, kept as items are added (one stringify per item, not per batch: linear in the items)
  const empty =
    Buffer.byteLength(JSON.stringify({ event_type: eventType, client_payload: { [plan.itemsKey]: [] } })) + 400;
  let size = empty;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (empty + bytes > MAX_DISPATCH_BYTES) {
      throw new Error(`The ${plan.words.one} ${item.id} alone is larger than a repository_dispatch payload allows.`);
    }
    if (current.length > 0 && (current.length + 1 > batchSize || size + 1 + bytes > MAX_DISPATCH_BYTES)) {
      groups.push(current);
      current = [];
      size = empty;
    }
    size += bytes + (current.length > 0 ? 1 : 0);
    current.push(item);
  }
  if (current.length > 0) groups.push(current);
  const tag = tagOf(plan);
  return groups.map((group, i) => ({
    event_type: eventType,
    client_payload: {
      [plan.itemsKey]: group,
      count: group.length,
      batch: i + 1,
      batches: groups.length,
      ...plan.tag,
      batchId: `${tag}:${group[0]?.id}:${group[group.length - 1]?.id}:${group.length}`,
      source: 'codeqr',
    },
  }));
}

/** Where a poll dispatches to: the event type, the repository and the batch size, with a ready client. */
export interface DispatchTarget {
  octokit: Octokit;
  repo: { owner: string; repo: string };
  eventType: string;
  batchSize: number;
}

/** A polled step: its items and the cursor after them. */
interface Delivered {
  items: { id: string }[];
  cursor: unknown;
}

export interface Delivery {
  delivered: { id: string }[];
  dispatched: number;
  /** The dispatch GitHub kept refusing, with where the cursor stopped; nothing after it was delivered. */
  failure?: Error;
}

/**
 * Delivers step by step: each step's items in one dispatch (when dispatching), then the cursor saved after them, so
 * the state file never moves past a step whose dispatch was not accepted.
 */
export async function deliverSteps(
  steps: Delivered[],
  plan: PollPlan,
  target: DispatchTarget | undefined,
  save: (cursor: unknown) => void,
  sleep?: (ms: number) => Promise<void>,
): Promise<Delivery> {
  const batches = steps.filter((s) => s.items.length > 0).length;
  const delivered: { id: string }[] = [];
  let dispatched = 0;
  for (const step of steps) {
    if (target && step.items.length > 0) {
      const [body] = dispatchBatches(target.eventType, plan, step.items, target.batchSize) as [DispatchBatch];
      const payload: Record<string, unknown> = { ...body.client_payload, batch: dispatched + 1, batches };
      try {
        await dispatchEvent(target.octokit, target.repo, body.event_type, payload, { sleep });
      } catch (error) {
        const after = steps.reduce((n, s) => n + s.items.length, 0) - delivered.length - step.items.length;
        const failure = new Error(
          `repository_dispatch ${dispatched + 1} of ${batches} (${target.eventType}, ${step.items.length} ` +
            `${plan.words.counted}, batchId ${String(payload.batchId)}) to ` +
            `${target.repo.owner}/${target.repo.repo} failed: ${(error as Error).message} The cursor was saved after the ` +
            `${delivered.length} item(s) already dispatched, not past these ${step.items.length}` +
            `${after > 0 ? ` (nor the ${after} polled after them)` : ''}: the next run polls them again.`,
        );
        return { delivered, dispatched, failure };
      }
      dispatched++;
    }
    delivered.push(...step.items);
    save(step.cursor);
  }
  return { delivered, dispatched };
}
