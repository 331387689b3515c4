/**
 * The CodeQR node's run: every input item with its own parameters, through core's operation (`execute` validates
 * raw values), one output per result with `pairedItem`, failures per item (continue-on-fail), and many items of a
 * batchable operation sent through its bulk operation in few calls.
 */
import {
  type AnyAction,
  type CodeQrClient,
  CodeQrError,
  describeFields,
  isCodeQrError,
} from '@codeqr-integrations/core/base';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { errorJson, toNodeError } from './errors.ts';
import { readOperationInput } from './fields.ts';
import { BATCH_OPTION, BINARY_PROPERTY, findNodeOperation, type NodeOperation } from './operations.ts';
import { codeQrClient } from './transport.ts';

/** `externalId`: of a bulk item that failed (an unknown outcome is rerun safely with it). */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown; externalId?: string };

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
  value: unknown,
  itemIndex: number,
): Promise<INodeExecutionData[]> {
  const pairedItem = { item: itemIndex };
  if (entry.binary) {
    const { data, ...meta } = value as FileResult;
    const property = ctx.getNodeParameter(BINARY_PROPERTY, itemIndex, 'data') as string;
    const bytes = Buffer.from(data, meta.encoding === 'base64' ? 'base64' : 'utf8');
    const binary = await ctx.helpers.prepareBinaryData(bytes, meta.fileName, meta.mimeType);
    return [{ json: meta as unknown as IDataObject, binary: { [property]: binary }, pairedItem }];
  }
  if (Array.isArray(value)) return value.map((element) => ({ json: toJson(element), pairedItem }));
  return [{ json: toJson(value), pairedItem }];
}

interface BulkItemFailure {
  code: string;
  message: string;
  field?: string;
  externalId?: string | null;
}

/** A bulk result's failure as the error core would have thrown for that item alone, with the item's External ID. */
function bulkItemFailure(error: BulkItemFailure): Outcome {
  return {
    ok: false,
    error: new CodeQrError({
      code: error.code as CodeQrError['code'],
      message: error.message,
      issues: error.field ? [{ field: error.field, message: error.message }] : [],
    }),
    ...(typeof error.externalId === 'string' && error.externalId ? { externalId: error.externalId } : {}),
  };
}

/** The output value of a bulk result, in the shape the single operation answers. */
function bulkValue(single: AnyAction, result: Record<string, unknown>): unknown {
  const rest = { ...result };
  delete rest.index;
  delete rest.ok;
  if (single.output.safeParse(rest).success) return rest;
  const values = Object.values(rest);
  return values.length === 1 ? values[0] : rest;
}

/** The most items one bulk call of `batch` takes (its `items` field's max), and the batch's own shared fields. */
function batchShape(batch: AnyAction): { max: number; shared: string[] } {
  const specs = describeFields(batch.input);
  const items = specs.find((spec) => spec.key === 'items');
  return { max: items?.max ?? 100, shared: specs.filter((spec) => spec.key !== 'items').map((spec) => spec.key) };
}

async function runBatched(
  client: CodeQrClient,
  entry: NodeOperation & { batch: AnyAction },
  raws: Outcome[],
  continueOnFail: boolean,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [...raws];
  const { max, shared } = batchShape(entry.batch);
  // validate every item first (its own error, named by label), then group by the batch-level fields (e.g. Match By)
  const groups = new Map<
    string,
    { indexes: number[]; items: Record<string, unknown>[]; shared: Record<string, unknown> }
  >();
  for (const [index, outcome] of raws.entries()) {
    if (!outcome.ok) continue;
    const raw = outcome.value as Record<string, unknown>;
    try {
      entry.op.parseInput(raw);
    } catch (error) {
      outcomes[index] = { ok: false, error };
      continue;
    }
    const item: Record<string, unknown> = { ...raw };
    const sharedValues: Record<string, unknown> = {};
    for (const key of shared) {
      if (key in item) {
        sharedValues[key] = item[key];
        delete item[key];
      }
    }
    const groupKey = JSON.stringify(sharedValues);
    const group = groups.get(groupKey) ?? { indexes: [], items: [], shared: sharedValues };
    group.indexes.push(index);
    group.items.push(item);
    groups.set(groupKey, group);
  }
  // without continue-on-fail the node fails on the first bad item: before anything is sent, so nothing is half done
  if (!continueOnFail && outcomes.some((outcome) => !outcome.ok)) return outcomes;
  for (const group of groups.values()) {
    for (let start = 0; start < group.items.length; start += max) {
      const indexes = group.indexes.slice(start, start + max);
      const items = group.items.slice(start, start + max);
      let results: Record<string, unknown>[];
      try {
        results = (await entry.batch.execute(client, { ...group.shared, items })) as Record<string, unknown>[];
      } catch (error) {
        for (const index of indexes) outcomes[index] = { ok: false, error };
        continue;
      }
      for (const [position, index] of indexes.entries()) {
        const result = results.find((r) => r.index === position) ?? results[position];
        if (!result) {
          outcomes[index] = {
            ok: false,
            error: new CodeQrError({ code: 'invalid_response', message: 'CodeQR answered no result for this item.' }),
          };
        } else if (result.ok === true) {
          outcomes[index] = { ok: true, value: bulkValue(entry.op, result) };
        } else {
          outcomes[index] = bulkItemFailure(result.error as BulkItemFailure);
        }
      }
    }
  }
  return outcomes;
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

  const timeZone = ctx.getTimezone();
  const raws: Outcome[] = items.map((_, i) => {
    try {
      return {
        ok: true,
        value: readOperationInput(entry.op, (name, fallback) => ctx.getNodeParameter(name, i, fallback), timeZone),
      };
    } catch (error) {
      return { ok: false, error };
    }
  });

  const batching =
    entry.batch !== undefined &&
    items.length > 1 &&
    (ctx.getNodeParameter(`options.${BATCH_OPTION}`, 0, true) as boolean) !== false;

  let outcomes: Outcome[];
  if (batching) {
    outcomes = await runBatched(client, entry as NodeOperation & { batch: AnyAction }, raws, ctx.continueOnFail());
  } else {
    outcomes = [];
    for (const raw of raws) {
      if (!raw.ok) {
        outcomes.push(raw);
        continue;
      }
      try {
        outcomes.push({ ok: true, value: await entry.op.execute(client, raw.value) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
      // without continue-on-fail the node stops at the first failure, like any n8n node
      if (!outcomes[outcomes.length - 1]?.ok && !ctx.continueOnFail()) break;
    }
  }

  const output: INodeExecutionData[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.ok) {
      output.push(...(await outputItems(ctx, entry, outcome.value, i)));
      continue;
    }
    const error = toNodeError(node, outcome.error, i, outcome.externalId);
    if (!ctx.continueOnFail()) {
      if (batching) {
        const done = outcomes.filter((o) => o.ok).length;
        if (done > 0) {
          error.description = [
            error.description,
            `${done} of ${outcomes.length} items succeeded before the node stopped; turn on "Continue On Fail" to keep them.`,
          ]
            .filter(Boolean)
            .join('\n');
        }
      }
      throw error;
    }
    output.push({
      json: errorJson(error, isCodeQrError(outcome.error) ? outcome.error : undefined, outcome.externalId),
      pairedItem: { item: i },
    });
  }
  return [output];
}
