import { CodeQrError, isCodeQrError } from '../errors.ts';
import { QR_LIST_MAX_PAGE_SIZE, type QrCode } from '../schemas/qr-code.ts';
import {
  type BulkCreator,
  type BulkItemFailure,
  type ChunkItem,
  certainlyNotApplied,
  generatedExternalId,
  itemError,
  mapLimit,
} from './bulk-create.ts';
import { changedFields, externalIdForms } from './compare.ts';
import type { CreateQrCodeInput, QrCodes, UpdateQrCodeInput } from './qrcodes.ts';

/**
 * Upsert, one or many: find the QR code (by externalId, exact and unique; else by exact destination URL, the oldest
 * one), then write only what differs, or create it. `unchanged` means nothing was written.
 */

export type UpsertAction = 'created' | 'updated' | 'unchanged';
export interface UpsertResult {
  action: UpsertAction;
  qrCode: QrCode;
}
export type MatchBy = 'externalId' | 'url';
export interface UpsertOptions {
  /** How an existing QR code is found: by `externalId` (exact, unique) or by exact destination `url`. */
  matchBy?: MatchBy;
}

export type UpsertManyResult =
  | { index: number; ok: true; action: UpsertAction; qrCode: QrCode }
  | { index: number; ok: false; error: BulkItemFailure };

export interface UpsertManyOptions extends UpsertOptions {
  /** Parallel requests at most for lookups and updates, and parallel bulk-create chunks (default 4). */
  concurrency?: number;
}

type Body = Record<string, unknown> & { externalId?: string | null; url?: string | null; type: string };
type Entry = { index: number; body: Body; matchBy: MatchBy };

/** Inputs at least this large are always matched against one read of the whole project, never looked up one by one. */
const PER_ITEM_AT_MOST = 2;

export class Upserter {
  readonly #api: QrCodes;
  readonly #bulk: BulkCreator;

  constructor(api: QrCodes, bulk: BulkCreator) {
    this.#api = api;
    this.#bulk = bulk;
  }

  private matchByOf(body: Body, matchBy: MatchBy | undefined, field = ''): MatchBy {
    const by = matchBy ?? (body.externalId ? 'externalId' : 'url');
    const at = field ? `${field}.` : '';
    if (by === 'externalId' && !body.externalId) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Upsert by externalId needs an externalId; set one or match by url.',
        issues: [{ field: `${at}externalId`, message: 'is required to match by externalId' }],
      });
    }
    if (by === 'url' && !body.url) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Upsert by URL needs the destination url.',
        issues: [{ field: `${at}url`, message: 'is required to match by url' }],
      });
    }
    return by;
  }

  /** `client.qrcodes.upsert`. */
  async upsert(input: CreateQrCodeInput, options: UpsertOptions = {}): Promise<UpsertResult> {
    const body = this.#api.validateCreate(input) as Body;
    const matchBy = this.matchByOf(body, options.matchBy);
    const existing = await this.find({ index: 0, body, matchBy });
    if (existing) return this.apply(existing, body);
    try {
      // a conflict is settled below (someone else created it first: update theirs), so it must come back as one
      return { action: 'created', qrCode: await this.#api.create(body as CreateQrCodeInput, { existing: 'fail' }) };
    } catch (error) {
      // someone created it between our lookup and our create: update theirs instead
      if (isCodeQrError(error) && error.code === 'conflict' && body.externalId) {
        const raced = await this.findByExternalId(body.externalId);
        if (raced) return this.apply(raced, body);
      }
      throw error;
    }
  }

  /** Writes what differs between `existing` and `body` (nothing when nothing does). */
  private async apply(existing: QrCode, body: Body): Promise<UpsertResult> {
    const patch = this.patchFor(existing, body);
    if (Object.keys(patch).length === 0) return { action: 'unchanged', qrCode: existing };
    return { action: 'updated', qrCode: await this.#api.update(existing.id, patch as UpdateQrCodeInput) };
  }

  private patchFor(existing: QrCode, body: Body): Record<string, unknown> {
    const { type, ...rest } = body;
    return changedFields(existing, existing.type === type ? rest : body);
  }

  private find(entry: Entry): Promise<QrCode | undefined> {
    return entry.matchBy === 'externalId'
      ? this.findByExternalId(entry.body.externalId as string)
      : this.findOldestByUrl(entry.body.url as string);
  }

  private async findByExternalId(externalId: string): Promise<QrCode | undefined> {
    try {
      return await this.#api.getByExternalId(externalId);
    } catch (error) {
      if (isCodeQrError(error) && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  /**
   * The oldest QR code whose destination is exactly `url`. The list's `search` (slug, title or URL containing the
   * text) narrows the read; every page of it is read, so a match is found however many newer codes share the prefix.
   */
  private async findOldestByUrl(url: string): Promise<QrCode | undefined> {
    let oldest: QrCode | undefined;
    for await (const qr of this.#api.listAll({ search: url })) if (qr.url === url) oldest = older(oldest, qr);
    return oldest;
  }

  /** `client.qrcodes.upsertMany`: one result per input item, in input order. */
  async upsertMany(items: readonly unknown[], options: UpsertManyOptions = {}): Promise<UpsertManyResult[]> {
    if (!Array.isArray(items)) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'upsertMany needs an array of QR codes.',
        issues: [{ field: 'items', message: 'must be an array' }],
      });
    }
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 16));
    const results: (UpsertManyResult | undefined)[] = new Array(items.length);
    const entries = this.prepare(items, options.matchBy, results);

    // 1. find the existing codes: one read of the whole project when that is cheaper than a lookup per item
    const found = await this.lookup(entries, concurrency, results);

    // 2. unchanged ones are done; changed ones are updated; missing ones are created in bulk
    const toUpdate: { entry: Entry; existing: QrCode; patch: Record<string, unknown> }[] = [];
    const toCreate: Entry[] = [];
    for (const entry of entries) {
      if (results[entry.index]) continue;
      const existing = found.get(entry.index);
      if (!existing) {
        toCreate.push(entry);
        continue;
      }
      const patch = this.patchFor(existing, entry.body);
      if (Object.keys(patch).length === 0) {
        results[entry.index] = { index: entry.index, ok: true, action: 'unchanged', qrCode: existing };
      } else toUpdate.push({ entry, existing, patch });
    }

    const raced: { entry: Entry; result: UpsertManyResult }[] = [];
    const byIndex = new Map(toCreate.map((entry) => [entry.index, entry]));
    await this.#bulk.send(
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
          const patch = result.adopted ? this.patchFor(result.qrCode, entry.body) : {};
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
        const existing = await this.findByExternalId(entry.body.externalId as string);
        if (!existing) {
          results[entry.index] = result; // the conflict was about something else (a short link taken)
          return;
        }
        const patch = this.patchFor(existing, entry.body);
        if (Object.keys(patch).length === 0) {
          results[entry.index] = { index: entry.index, ok: true, action: 'unchanged', qrCode: existing };
        } else toUpdate.push({ entry, existing, patch });
      } catch (error) {
        results[entry.index] = failure(entry, error, 'look it up');
      }
    });

    // 3. updates: CodeQR has no bulk update, so one PUT each (idempotent, retried), a few at a time
    await mapLimit(toUpdate, concurrency, async ({ entry, existing, patch }) => {
      try {
        const qrCode = await this.#api.update(existing.id, patch as UpdateQrCodeInput);
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

  /** Validates every item and rejects in-batch repeats; the rest are the entries to upsert. */
  private prepare(
    items: readonly unknown[],
    matchBy: MatchBy | undefined,
    results: (UpsertManyResult | undefined)[],
  ): Entry[] {
    const entries: Entry[] = [];
    const seen = new Map<string, number>();
    items.forEach((raw, index) => {
      let body: Body;
      let by: MatchBy;
      try {
        body = this.#api.validateCreate(raw, `items.${index}`) as Body;
        by = this.matchByOf(body, matchBy, `items.${index}`);
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
        const [key, field, what] = repeat;
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

  /**
   * The existing QR code of each entry. Reading the whole project costs one request per 100 codes (`count` says how
   * many); looking items up costs at least one request each. The cheaper one is used. A failed read fails the items
   * it was for (nothing was written for them).
   */
  private async lookup(
    entries: Entry[],
    concurrency: number,
    results: (UpsertManyResult | undefined)[],
  ): Promise<Map<number, QrCode>> {
    const found = new Map<number, QrCode>();
    if (entries.length === 0) return found;
    let scan = false;
    let total = 0;
    if (entries.length > PER_ITEM_AT_MOST) {
      try {
        total = await this.#api.count({ showArchived: true });
        scan = Math.floor(total / QR_LIST_MAX_PAGE_SIZE) + 1 <= entries.length;
      } catch (error) {
        for (const entry of entries) results[entry.index] = failure(entry, error, 'look it up');
        return found;
      }
    }
    if (!scan) {
      await this.findEach(entries, concurrency, found, results);
      return found;
    }
    const byExternalId = new Map<string, QrCode>();
    const byUrl = new Map<string, QrCode>();
    const seen = new Set<string>();
    // A read that saw fewer codes than `count` said missed some: CodeQR (like Dub) orders pages by `createdAt` alone,
    // codes made by one bulk share it, so offset pages can shift (a concurrent delete does the same). It is read once
    // more; a URL match still not found is then looked up on its own (an externalId match needs no second look: its
    // create is reconciled by externalId).
    try {
      for (let pass = 0; pass < 2 && (pass === 0 || seen.size < total); pass++) {
        for await (const qr of this.#api.listAll({})) {
          seen.add(qr.id);
          if (qr.externalId) byExternalId.set(qr.externalId, qr);
          if (qr.url) byUrl.set(qr.url, older(byUrl.get(qr.url), qr));
        }
      }
    } catch (error) {
      for (const entry of entries) results[entry.index] = failure(entry, error, 'look it up');
      return found;
    }
    const recheck: Entry[] = [];
    for (const entry of entries) {
      const existing =
        entry.matchBy === 'externalId'
          ? externalIdMatch(byExternalId, entry.body.externalId as string)
          : byUrl.get(entry.body.url as string);
      if (existing) found.set(entry.index, existing);
      else if (entry.matchBy === 'url' && seen.size < total) recheck.push(entry);
    }
    await this.findEach(recheck, concurrency, found, results);
    return found;
  }

  /** Looks each entry up on its own: a match goes into `found`, a failed lookup into `results`. */
  private async findEach(
    entries: Entry[],
    concurrency: number,
    found: Map<number, QrCode>,
    results: (UpsertManyResult | undefined)[],
  ): Promise<void> {
    await mapLimit(entries, concurrency, async (entry) => {
      try {
        const existing = await this.find(entry);
        if (existing) found.set(entry.index, existing);
      } catch (error) {
        results[entry.index] = failure(entry, error, 'look it up');
      }
    });
  }
}

/** The code created with `externalId` among codes by stored externalId (see `externalIdForms`). */
function externalIdMatch(byExternalId: Map<string, QrCode>, externalId: string): QrCode | undefined {
  for (const form of externalIdForms(externalId)) {
    const qr = byExternalId.get(form);
    if (qr) return qr;
  }
  return undefined;
}

/** The older of two QR codes (the oldest one wins a URL match); ties broken by id. */
function older(a: QrCode | undefined, b: QrCode): QrCode {
  if (!a) return b;
  return b.createdAt < a.createdAt || (b.createdAt === a.createdAt && b.id < a.id) ? b : a;
}

/** An item's failure: what CodeQR said, or `outcome_unknown` when a write may have landed. */
function failure(entry: Entry, raw: unknown, doing: string): UpsertManyResult {
  const error = isCodeQrError(raw)
    ? raw
    : new CodeQrError({ code: 'internal_server_error', message: String(raw), cause: raw });
  const externalId = entry.body.externalId ?? undefined;
  if (doing === 'update it' && !certainlyNotApplied(error, error.attempts)) {
    return itemError(
      entry.index,
      'outcome_unknown',
      `Could not ${doing} (${error.message.replace(/\.$/, '')}); the update may or may not have been applied. Running the upsert again is safe.`,
      { externalId },
    );
  }
  const message =
    doing === 'look it up'
      ? `Could not look it up (${error.message.replace(/\.$/, '')}); nothing was written for this item.`
      : error.message;
  return itemError(entry.index, error.code, message, { field: error.issues[0]?.field, externalId });
}
