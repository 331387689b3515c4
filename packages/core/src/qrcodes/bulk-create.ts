import { CodeQrError, isCodeQrError } from '../errors.ts';
import { type BulkItemResult, type ChunkItem, generatedExternalId, itemError, unknownOutcome } from './bulk-items.ts';
import { sendInChunks } from './bulk-send.ts';
import { type QrCodeRequests, validateCreate } from './requests.ts';

/**
 * Bulk create: chunks of 100 sent to `POST /qrcodes/bulk`, each answer matched to its items by identity, and every
 * item whose fate the answer did not settle looked up by its externalId. It never rejects once anything was sent:
 * every item gets one result, and one that could not be settled says `outcome_unknown` with the externalId that
 * makes a rerun safe.
 */

export interface BulkCreateOptions {
  /** Give every item without an externalId a generated one, so lost answers can be reconciled (default true). */
  assignExternalIds?: boolean;
  /** Parallel bulk requests at most (default 4); fewer when the plan's remaining budget is low. */
  concurrency?: number;
}

/** An item that passed the cheap first pass, with the externalId it will be sent with. */
type Pending = { index: number; raw: unknown; externalId?: string };

/** `client.qrcodes.bulkCreate`: one result per input item, in input order. */
export async function bulkCreate(
  api: QrCodeRequests,
  items: readonly unknown[],
  options: BulkCreateOptions = {},
): Promise<BulkItemResult[]> {
  if (!Array.isArray(items)) {
    throw new CodeQrError({
      code: 'validation_error',
      message: 'bulkCreate needs an array of QR codes.',
      issues: [{ field: 'items', message: 'must be an array' }],
    });
  }
  const results: (BulkItemResult | undefined)[] = new Array(items.length);
  // A cheap first pass (no schema work) assigns externalIds and catches in-batch duplicates; the full validation
  // runs chunk by chunk in the workers, so it overlaps with requests and rate-limit waits instead of delaying them.
  const pending = firstPass(items, options.assignExternalIds ?? true, results);
  await sendInChunks(
    api,
    pending,
    (chunk) => validateChunk(chunk, results),
    (result) => {
      const { adopted: _adopted, existed, ...plain } = result;
      results[result.index] = plain.ok ? { ...plain, action: existed ? 'unchanged' : 'created' } : plain;
    },
    options.concurrency,
  );
  return results.map(
    (r, index) =>
      r ?? unknownOutcome(index, pending.find((p) => p.index === index)?.externalId, 'No result came back.'),
  );
}

/** Gives items their externalIds (generated when `assign`) and reports in-batch repeats; the rest are to send. */
function firstPass(items: readonly unknown[], assign: boolean, results: (BulkItemResult | undefined)[]): Pending[] {
  const pending: Pending[] = [];
  const externalIds = new Map<string, number>();
  const links = new Map<string, number>();
  items.forEach((raw, index) => {
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    let ext = typeof item.externalId === 'string' && item.externalId ? item.externalId : undefined;
    if (!ext && assign && item.externalId == null) ext = generatedExternalId();
    const duplicate = duplicateOf(index, ext, item, externalIds, links);
    if (duplicate) {
      results[index] = duplicate;
      return;
    }
    pending.push({ index, raw, externalId: ext });
  });
  return pending;
}

/** The chunk's valid items, ready to send; an invalid one is reported in `results` with its field. */
function validateChunk(chunk: Pending[], results: (BulkItemResult | undefined)[]): ChunkItem[] {
  const valid: ChunkItem[] = [];
  for (const { index, raw, externalId } of chunk) {
    try {
      const body = validateCreate(raw, `items.${index}`) as ChunkItem['body'];
      if (externalId) body.externalId = externalId;
      valid.push({ index, body });
    } catch (error) {
      if (!isCodeQrError(error)) throw error;
      results[index] = itemError(index, 'validation_error', error.message, { field: error.issues[0]?.field });
    }
  }
  return valid;
}

/** A conflict result when this item repeats an earlier item's externalId or short link. */
function duplicateOf(
  index: number,
  ext: string | undefined,
  item: Record<string, unknown>,
  externalIds: Map<string, number>,
  links: Map<string, number>,
): BulkItemResult | undefined {
  if (ext && externalIds.has(ext)) {
    return itemError(
      index,
      'conflict',
      `externalId "${ext}" repeats an earlier item of this batch; externalIds must be unique.`,
      { field: 'externalId' },
    );
  }
  const link = typeof item.key === 'string' && item.key ? `${String(item.domain ?? '')}/${item.key}` : undefined;
  if (link && links.has(link)) {
    return itemError(
      index,
      'conflict',
      `key "${String(item.key)}" repeats an earlier item of this batch; short links must be unique.`,
      { field: 'key' },
    );
  }
  if (ext) externalIds.set(ext, index);
  if (link) links.set(link, index);
  return undefined;
}
