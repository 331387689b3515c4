/**
 * The CodeQR node's run: every input item with its own parameters through core's `runItems` (each item validated
 * once; many items of a batchable operation sent through its bulk operation in few calls), one output per result
 * with `pairedItem`, and each failure on n8n's own failure path: the node fails, or with "On Error: Continue" the
 * item is `{ error, details }`, which n8n routes to the error output when the node has one.
 */
import { type CodeQrClient, type ItemOutcome, isCodeQrError, runItems } from '@codeqr-integrations/core/base';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { errorJson, toNodeError } from '../adapter/errors.ts';
import { readOperationInput, resolveShortLinks } from '../adapter/input.ts';
import { codeQrClient } from '../adapter/transport.ts';
import { BATCH_OPTION, BINARY_PROPERTY, findNodeOperation, type NodeOperation } from './operations.ts';
import { simplified } from './simplify.ts';

/** An item whose parameters could not even be read, or the outcome core answered for it. */
type Outcome = ItemOutcome | { ok: false; error: unknown; externalId?: string };

function toJson(value: unknown): IDataObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as IDataObject)
    : { value: value as string };
}

interface FileResult {
  mimeType: string;
  fileName: string;
  encoding: 'base64' | 'utf8';
  data: string;
}

async function outputItems(
  ctx: IExecuteFunctions,
  entry: NodeOperation,
  answer: unknown,
  itemIndex: number,
): Promise<INodeExecutionData[]> {
  const pairedItem = { item: itemIndex };
  const value = simplified(ctx, entry, answer, itemIndex);
  if (entry.binary) {
    const { data, ...meta } = value as FileResult;
    const property = ctx.getNodeParameter(BINARY_PROPERTY, itemIndex, 'data') as string;
    const bytes = Buffer.from(data, meta.encoding === 'base64' ? 'base64' : 'utf8');
    const binary = await ctx.helpers.prepareBinaryData(bytes, meta.fileName, meta.mimeType);
    return [{ json: meta as unknown as IDataObject, binary: { [property]: binary }, pairedItem }];
  }
  // a list, per-item results, or a data series: one n8n item each
  if (Array.isArray(value)) return value.map((element) => ({ json: toJson(element), pairedItem }));
  return [{ json: toJson(value), pairedItem }];
}

export async function executeCodeQr(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
  const items = ctx.getInputData();
  const node = ctx.getNode();
  const resource = ctx.getNodeParameter('resource', 0) as string;
  const operation = ctx.getNodeParameter('operation', 0) as string;
  const entry = findNodeOperation(resource, operation);
  if (!entry) {
    throw new NodeOperationError(node, `The operation "${operation}" of "${resource}" is not supported`, {
      description: 'Pick the operation again in the node; this version of the CodeQR node does not know it.',
    });
  }
  let client: CodeQrClient;
  try {
    client = await codeQrClient(ctx);
  } catch (error) {
    throw toNodeError(node, error);
  }
  const continueOnFail = ctx.continueOnFail();

  // each item's parameters as n8n gives them; an item whose parameters cannot be read fails alone
  const timeZone = ctx.getTimezone();
  const outcomes: (Outcome | undefined)[] = new Array(items.length);
  const readable: { index: number; raw: unknown }[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      const read = (name: string, fallback?: unknown) => ctx.getNodeParameter(name, i, fallback);
      readable.push({ index: i, raw: readOperationInput(entry.op, read, timeZone) });
    } catch (error) {
      outcomes[i] = { ok: false, error };
      // without continue-on-fail the node fails on the first bad item, before anything is sent
      if (!continueOnFail) throw toNodeError(node, error, i);
    }
  }

  // By Short Link (Update, Delete): the ID looked up first; a link that finds nothing fails its item alone
  const ready = await resolveShortLinks(client, readable, (index, error) => {
    outcomes[index] = { ok: false, error };
    if (!continueOnFail) throw toNodeError(node, error, index);
  });

  const batching =
    entry.batchable && items.length > 1 && (ctx.getNodeParameter(`options.${BATCH_OPTION}`, 0, true) as boolean);
  const results = await runItems(
    client,
    entry.op as Parameters<typeof runItems>[1],
    ready.map((r) => r.raw),
    { batch: batching, stopAtFirstFailure: !continueOnFail },
  );
  for (const [position, { index }] of ready.entries()) outcomes[index] = results[position];

  // without continue-on-fail the node fails with the first item that failed (not one skipped because of it)
  const failed = continueOnFail ? -1 : outcomes.findIndex((o) => o && !o.ok && !('skipped' in o && o.skipped));
  const first = outcomes[failed];
  if (first && !first.ok) {
    const error = toNodeError(node, first.error, failed, first.externalId);
    const done = results.filter((o) => o.ok).length;
    if (done > 0) {
      error.description = [
        error.description,
        `${done} of ${items.length} items succeeded before the node stopped; turn on "Continue On Fail" to keep them.`,
      ]
        .filter(Boolean)
        .join('\n');
    }
    throw error;
  }

  const output: INodeExecutionData[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (!outcome) continue;
    if (outcome.ok) {
      output.push(...(await outputItems(ctx, entry, outcome.value, i)));
      continue;
    }
    const error = toNodeError(node, outcome.error, i, outcome.externalId);
    // n8n sends an item to the error output ("On Error: Continue (using error output)") when its JSON holds only
    // `error`, `message` and `details` (n8n-core's handleNodeErrorOutput); `item.error` would route it too, but n8n
    // then replaces the JSON with the message alone, so the facts go under `details` instead
    const { error: message, ...details } = errorJson(
      error,
      isCodeQrError(outcome.error) ? outcome.error : undefined,
      outcome.externalId,
    );
    output.push({ json: { error: message, details }, pairedItem: { item: i } });
  }
  return [output];
}
