/**
 * Many inputs of one action, the way a host with many items at once runs them (n8n's input items, a Zapier line-item
 * list, the Action's catalogue rows): each item validated once, on its own; valid items of a batchable action sent
 * through its bulk action in as few calls as CodeQR allows; one outcome per item, in input order, a failure carrying
 * the `CodeQrError` the item would have thrown alone (structured issues, status, the External ID to rerun it with).
 * This is the one copy of that logic; hosts only map outcomes to their own success and failure paths.
 */
import type { CodeQrClient } from '../create-client.ts';
import { CodeQrError, type CodeQrErrorCode, isCodeQrError } from '../errors.ts';
import { bounds, objectShape } from '../fields/describe.ts';
import { identityDifferences } from '../qrcodes/compare.ts';
import type { Operation } from './define.ts';
import { getOperation } from './index.ts';

/** What happened to one input item: the action's answer for it, or the error it failed with. */
export type ItemOutcome =
  | { ok: true; value: unknown }
  | {
      ok: false;
      error: CodeQrError;
      /** The External ID the item was sent with: running it again with it never creates it twice. */
      externalId?: string;
      /** Not run, because another item failed first (`stopAtFirstFailure`). */
      skipped?: true;
    };

export interface RunItemsOptions {
  /** Send the items of a batchable action (`op.batch`) through its bulk action, when there are several (default true). */
  batch?: boolean;
  /**
   * Stop at the first failure (a host without "continue on fail"): one at a time, nothing after it runs; batched, an
   * invalid item stops the run before anything is sent. Items not run answer `skipped` errors.
   */
  stopAtFirstFailure?: boolean;
}

interface BulkFailure {
  code: string;
  message: string;
  field?: string;
  externalId?: string | null;
  issues?: CodeQrError['issues'];
  status?: number;
  retryAfter?: number;
}

/** A bulk result's failure as the error the single action would have thrown for that item. */
function itemError(failure: BulkFailure): ItemOutcome {
  const issues = failure.issues ?? (failure.field ? [{ field: failure.field, message: failure.message }] : []);
  return {
    ok: false,
    error: new CodeQrError({
      code: failure.code as CodeQrErrorCode,
      message: failure.message,
      issues,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}),
    }),
    ...(typeof failure.externalId === 'string' && failure.externalId ? { externalId: failure.externalId } : {}),
  };
}

const skipped = (): ItemOutcome => ({
  ok: false,
  skipped: true,
  error: new CodeQrError({ code: 'validation_error', message: 'Not run: another item failed first.' }),
});

/** A bulk result in the shape the single action answers: its QR code (`qrCode`), or `{ action, qrCode }` (`upsert`). */
function singleValue(op: Operation, result: Record<string, unknown>): unknown {
  const { index: _index, ok: _ok, ...rest } = result;
  return op.answers === 'qrCode' ? rest.qrCode : rest;
}

const asCodeQrError = (error: unknown): CodeQrError =>
  isCodeQrError(error)
    ? error
    : new CodeQrError({
        code: 'network_error',
        message: error instanceof Error ? error.message : String(error),
        cause: error,
      });

/** The bulk action of `op`, when it has one that takes `items`. */
function bulkOf(op: Operation): Operation | undefined {
  const bulk = op.batch ? getOperation(op.batch) : undefined;
  return bulk && bulk.kind === 'action' && bulk.answers === 'items' ? bulk : undefined;
}

/** Runs many inputs of `op` (each as a host's form gave it) and answers one outcome per input, in order. */
export async function runItems(
  client: CodeQrClient,
  op: Operation,
  raws: readonly unknown[],
  options: RunItemsOptions = {},
): Promise<ItemOutcome[]> {
  const stop = options.stopAtFirstFailure ?? false;
  const bulk = options.batch === false || raws.length < 2 ? undefined : bulkOf(op);
  if (!bulk) {
    const outcomes: ItemOutcome[] = [];
    for (const raw of raws) {
      if (stop && outcomes.some((o) => !o.ok)) {
        outcomes.push(skipped());
        continue;
      }
      try {
        // `execute`: an `items` action checks each of its items on its own and answers a bad one in its place
        outcomes.push({ ok: true, value: await op.execute(client, raw) });
      } catch (error) {
        outcomes.push({ ok: false, error: asCodeQrError(error) });
      }
    }
    return outcomes;
  }

  // each item validated once, by the single action (its own labels); the bulk action's shared fields group them
  const outcomes: (ItemOutcome | undefined)[] = new Array(raws.length);
  const shape = objectShape(bulk.input) ?? {};
  const shared = Object.keys(shape).filter((key) => key !== 'items');
  const max = (shape.items ? bounds(shape.items).max : undefined) ?? 100;
  const groups = new Map<string, { indexes: number[]; items: Record<string, unknown>[]; shared: object }>();
  const firstOf = new Map<string, { index: number; item: Record<string, unknown> }>();
  const replays: { index: number; of: number }[] = [];
  for (const [index, raw] of raws.entries()) {
    let parsed: Record<string, unknown>;
    try {
      parsed = op.parseInput(raw) as Record<string, unknown>;
    } catch (error) {
      outcomes[index] = { ok: false, error: asCodeQrError(error) };
      continue;
    }
    const item = { ...parsed };
    const sharedValues: Record<string, unknown> = {};
    for (const key of shared) {
      if (key in item) sharedValues[key] = item[key];
      delete item[key];
    }
    const groupKey = JSON.stringify(sharedValues);
    // the same QR code again under the same External ID (a replayed row): it answers what the first one gets, by
    // the replay rule, instead of being sent twice (CodeQR refuses a repeated External ID within one bulk call)
    const externalId = typeof item.externalId === 'string' && item.externalId ? item.externalId : undefined;
    const replayKey = externalId ? `${groupKey}\u0000${externalId}` : undefined;
    const first = replayKey ? firstOf.get(replayKey) : undefined;
    if (first && sameIdentity(first.item, item)) {
      replays.push({ index, of: first.index });
      continue;
    }
    if (replayKey && !first) firstOf.set(replayKey, { index, item });
    const group = groups.get(groupKey) ?? { indexes: [], items: [], shared: sharedValues };
    group.indexes.push(index);
    group.items.push(item);
    groups.set(groupKey, group);
  }
  if (stop && outcomes.some((o) => o && !o.ok)) return raws.map((_, i) => outcomes[i] ?? skipped());
  for (const group of groups.values()) {
    for (let start = 0; start < group.items.length; start += max) {
      const indexes = group.indexes.slice(start, start + max);
      let results: unknown;
      try {
        // the items are parsed already: the bulk action's `run`, not `execute`, so nothing is validated twice
        results = await bulk.run(client, { ...group.shared, items: group.items.slice(start, start + max) });
      } catch (error) {
        for (const index of indexes) outcomes[index] = { ok: false, error: asCodeQrError(error) };
        continue;
      }
      const byPosition = new Map<number, Record<string, unknown>>();
      for (const result of Array.isArray(results) ? (results as Record<string, unknown>[]) : []) {
        byPosition.set(Number(result.index), result);
      }
      for (const [position, index] of indexes.entries()) {
        const result = byPosition.get(position);
        outcomes[index] = !result
          ? {
              ok: false,
              error: new CodeQrError({ code: 'invalid_response', message: 'CodeQR answered no result for this item.' }),
            }
          : result.ok === true
            ? { ok: true, value: singleValue(op, result) }
            : itemError(result.error as BulkFailure);
      }
    }
  }
  for (const { index, of } of replays) outcomes[index] = replayOf(op, outcomes[of]);
  return raws.map((_, i) => outcomes[i] ?? skipped());
}

/** Two items are the same QR code by the replay rule's own comparison (`ownCode`), each way. */
const sameIdentity = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  identityDifferences(a, b).length === 0 && identityDifferences(b, a).length === 0;

/** A replayed item's outcome: the first one's QR code, `unchanged` where the answer says what was done. */
function replayOf(op: Operation, first: ItemOutcome | undefined): ItemOutcome {
  if (!first) return skipped();
  if (!first.ok) return first;
  if (op.answers === 'upsert') return { ok: true, value: { ...(first.value as object), action: 'unchanged' } };
  return first;
}
