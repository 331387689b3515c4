import { CodeQrError, isCodeQrError } from '../errors.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { type ChunkItem, generatedExternalId, itemError, mapLimit } from './bulk-items.ts';
import { sendInChunks } from './bulk-send.ts';
import { type CreateBody, type QrCodeRequests, type UpdateQrCodeInput, validateCreate } from './requests.ts';
import { lookup } from './upsert-lookup.ts';
import {
  type Entry,
  failure,
  findByExternalId,
  type MatchBy,
  matchByOf,
  patchFor,
  type UpsertManyOptions,
  type UpsertManyResult,
} from './upsert-match.ts';

/**
 * Upsert for many items: (1) find the existing codes, (2) settle the unchanged ones and create the missing ones in
 * bulk (exactly once, like bulk create), (3) update the changed ones with one PUT each (CodeQR has no bulk update).
 */

type Results = (UpsertManyResult | undefined)[];
/** A QR code to update: the entry, the code found for it and the fields that differ. */
type Update = { entry: Entry; existing: QrCode; patch: Record<string, unknown> };

/** `client.qrcodes.upsertMany`: one result per input item, in input order. */
export async function upsertMany(
  api: QrCodeRequests,
  items: readonly unknown[],
  options: UpsertManyOptions = {},
): Promise<UpsertManyResult[]> {
  if (!Array.isArray(items)) {
    throw new CodeQrError({
      code: 'validation_error',
      message: 'upsertMany needs an array of QR codes.',
      issues: [{ field: 'items', message: 'must be an array' }],
    });
  }
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 16));
  const results: Results = new Array(items.length);
  const entries = prepare(items, options.matchBy, results);

  // 1. find the existing codes: one read of the whole project when that is cheaper than a lookup per item
  const found = await lookup(api, entries, concurrency, results);

  // 2. unchanged ones are done; changed ones are updated; missing ones are created in bulk
  const toUpdate: Update[] = [];
  const toCreate: Entry[] = [];
  for (const entry of entries) {
    if (results[entry.index]) continue;
    const existing = found.get(entry.index);
    if (existing) settleExisting(entry, existing, results, toUpdate);
    else toCreate.push(entry);
  }
  await createMissing(api, toCreate, concurrency, results, toUpdate);

  // 3. updates: CodeQR has no bulk update, so one PUT each (idempotent, retried), a few at a time
  await mapLimit(toUpdate, concurrency, async ({ entry, existing, patch }) => {
    try {
      const qrCode = await api.update(existing.id, patch as UpdateQrCodeInput);
      results[entry.index] = { index: entry.index, ok: true, action: 'updated', qrCode };
    } catch (error) {
      results[entry.index] = failure(entry, error, 'update it');
    }
  });
  return results.map(
    (r, index) =>
      r ?? itemError(index, 'outcome_unknown', 'No result came back for this item; run it again (it is safe).'),
  );
}

/** An entry whose code exists: `unchanged` when nothing differs, else queued in `toUpdate`. */
function settleExisting(entry: Entry, existing: QrCode, results: Results, toUpdate: Update[]): void {
  const patch = patchFor(existing, entry.body);
  if (Object.keys(patch).length === 0) {
    results[entry.index] = { index: entry.index, ok: true, action: 'unchanged', qrCode: existing };
  } else toUpdate.push({ entry, existing, patch });
}

/**
 * Creates the entries no code was found for, in bulk. A code found by its externalId after a lost answer or a
 * conflict that differs is queued in `toUpdate`; a conflict on an externalId match means another code took it since
 * the lookup: that one is found again and settled like an existing one.
 */
async function createMissing(
  api: QrCodeRequests,
  toCreate: Entry[],
  concurrency: number,
  results: Results,
  toUpdate: Update[],
): Promise<void> {
  const raced: { entry: Entry; result: UpsertManyResult }[] = [];
  const byIndex = new Map(toCreate.map((entry) => [entry.index, entry]));
  await sendInChunks(
    api,
    toCreate.map((entry) => {
      // a generated externalId lets a lost answer be reconciled: nothing lost, nothing created twice
      if (!entry.body.externalId) entry.body.externalId = generatedExternalId();
      return { index: entry.index, externalId: entry.body.externalId };
    }),
    (chunk) => chunk.map(({ index }) => ({ index, body: byIndex.get(index)!.body }) satisfies ChunkItem),
    (result) => {
      const entry = byIndex.get(result.index)!;
      if (result.ok) {
        // found by its externalId after a lost answer or a conflict: ours, or one created meanwhile
        const patch = result.adopted ? patchFor(result.qrCode, entry.body) : {};
        if (Object.keys(patch).length > 0) toUpdate.push({ entry, existing: result.qrCode, patch });
        else {
          // a code that was there before our create (a concurrent run created it first) was not created by us
          const action = result.existed ? 'unchanged' : 'created';
          results[result.index] = { index: result.index, ok: true, action, qrCode: result.qrCode };
        }
      } else if (result.error.code === 'conflict' && entry.matchBy === 'externalId') {
        raced.push({ entry, result }); // another code took this externalId since the lookup: update that one
      } else results[result.index] = result;
    },
    concurrency,
  );
  await mapLimit(raced, concurrency, async ({ entry, result }) => {
    try {
      const existing = await findByExternalId(api, entry.body.externalId as string);
      if (!existing) {
        results[entry.index] = result; // the conflict was about something else (a short link taken)
        return;
      }
      settleExisting(entry, existing, results, toUpdate);
    } catch (error) {
      results[entry.index] = failure(entry, error, 'look it up');
    }
  });
}

/** Validates every item and rejects in-batch repeats; the rest are the entries to upsert. */
function prepare(items: readonly unknown[], matchBy: MatchBy | undefined, results: Results): Entry[] {
  const entries: Entry[] = [];
  const seen = new Map<string, number>();
  items.forEach((raw, index) => {
    let body: CreateBody;
    let by: MatchBy;
    try {
      body = validateCreate(raw, `items.${index}`);
      by = matchByOf(body, matchBy, `items.${index}`);
    } catch (error) {
      if (!isCodeQrError(error)) throw error;
      results[index] = itemError(index, 'validation_error', error.message, { field: error.issues[0]?.field });
      return;
    }
    const keys: [string, string, string][] = [];
    if (body.externalId) keys.push([`e:${body.externalId}`, 'externalId', `externalId "${body.externalId}"`]);
    if (by === 'url') keys.push([`u:${body.url}`, 'url', `url "${body.url}"`]);
    if (typeof body.key === 'string') {
      keys.push([`k:${String(body.domain ?? '')}/${body.key}`, 'key', `key "${body.key}"`]);
    }
    const repeat = keys.find(([key]) => seen.has(key));
    if (repeat) {
      const [, field, what] = repeat;
      results[index] = itemError(
        index,
        'conflict',
        `${what} repeats an earlier item of this batch; each QR code may appear once.`,
        { field },
      );
      return;
    }
    for (const [key] of keys) seen.set(key, index);
    entries.push({ index, body, matchBy: by });
  });
  return entries;
}
