import { randomUUID } from 'node:crypto';
import * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { CodeQrError, type CodeQrErrorCode, isCodeQrError } from '../errors.ts';
import { BULK_ITEM_ERROR_CODES } from '../schemas/errors.ts';
import { BulkItemError, QrCode } from '../schemas/qr-code.ts';
import { externalIdForms, ownCode, sameExternalId } from './compare.ts';
import type { QrCodes } from './qrcodes.ts';

/**
 * Bulk create: chunks of 100 sent to `POST /qrcodes/bulk`, each answer matched to its items by identity, and every
 * item whose fate the answer did not settle looked up by its externalId. It never rejects once anything was sent:
 * every item gets one result, and one that could not be settled says `outcome_unknown` with the externalId that
 * makes a rerun safe.
 */

/** Why one item failed; `externalId` is the one it was sent with (rerunning with it never creates it twice). */
export interface BulkItemFailure {
  code: CodeQrErrorCode | string;
  message: string;
  field?: string;
  externalId?: string;
}

/**
 * One item's outcome. `action`: `created`, or `unchanged` when a QR code with the item's External ID was already there
 * (a replay): that code is the answer, as it is; nothing was written (Create or Update changes an existing code).
 */
export type BulkItemResult =
  | { index: number; ok: true; action: 'created' | 'unchanged'; qrCode: QrCode }
  | { index: number; ok: false; error: BulkItemFailure };

export interface BulkCreateOptions {
  /** Give every item without an externalId a generated one, so lost answers can be reconciled (default true). */
  assignExternalIds?: boolean;
  /** Parallel bulk requests at most (default 4); fewer when the plan's remaining budget is low. */
  concurrency?: number;
}

/** A validated item on its way to CodeQR. */
export type ChunkItem = { index: number; body: Record<string, unknown> & { externalId?: string | null } };
/**
 * An item's result, and whether the QR code was found afterwards (by externalId) rather than in the answer;
 * `existed` when it was there before this request: CodeQR refused it (or left it out) on an attempt that no earlier
 * attempt of ours can have landed before, so someone else created it (a concurrent run won the race); or, whatever
 * the attempts, its `createdAt` is clearly before this request was first sent (a replay whose request was retried).
 */
export type CreatedResult = (
  | { index: number; ok: true; qrCode: QrCode }
  | { index: number; ok: false; error: BulkItemFailure }
) & { adopted?: boolean; existed?: boolean };

type Failure = { code: string; message: string };

export const BULK_CHUNK_SIZE = 100;

/**
 * How much earlier than the request's start (on CodeQR's clock) a found code's `createdAt` must be to count as there
 * before it. The client knows CodeQR's clock from `Date` headers, whole seconds, so to about a second plus the
 * answer's travel time; CodeQR's database may stamp `createdAt` on a slightly different clock. A code created closer
 * than this before the request is taken as created by it (the old answer), never the other way round.
 */
export const PRIOR_MARGIN_MS = 5_000;

export function itemError(
  index: number,
  code: string,
  message: string,
  extra: { field?: string | undefined; externalId?: string | null | undefined } = {},
): BulkItemResult & { ok: false } {
  const error: BulkItemFailure = { code, message };
  if (extra.field) error.field = extra.field;
  if (extra.externalId) error.externalId = extra.externalId;
  return { index, ok: false, error };
}

export function generatedExternalId(): string {
  return `cqr_${randomUUID()}`;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The answer a failed write leaves: certainly not applied (safe to send again as is), or possibly applied. */
export function certainlyNotApplied(error: CodeQrError, attempts: number): boolean {
  if (attempts > 1) return false; // an earlier attempt may have landed
  if (error.requestSent === false || attempts === 0) return true;
  return error.status !== undefined && error.status >= 400 && error.status < 500;
}

const unknownOutcome = (index: number, externalId: string | null | undefined, why: string): BulkItemResult =>
  itemError(
    index,
    'outcome_unknown',
    externalId
      ? `${why} It may or may not have been created: run it again with externalId "${externalId}" (that never creates it twice).`
      : `${why} It may or may not have been created, and without an externalId it cannot be looked up: check in CodeQR before sending it again.`,
    { externalId },
  );

function asCodeQrError(error: unknown): CodeQrError {
  if (isCodeQrError(error)) return error;
  return new CodeQrError({
    code: 'internal_server_error',
    message: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

const identity = (value: unknown): { externalId?: string; domain?: string; key?: string; url?: string } => {
  if (!value || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  return { externalId: str(v.externalId), domain: str(v.domain), key: str(v.key), url: str(v.url) };
};

export class BulkCreator {
  readonly #http: HttpClient;
  readonly #api: QrCodes;

  constructor(http: HttpClient, api: QrCodes) {
    this.#http = http;
    this.#api = api;
  }

  /** `client.qrcodes.bulkCreate`: one result per input item, in input order. */
  async bulkCreate(items: readonly unknown[], options: BulkCreateOptions = {}): Promise<BulkItemResult[]> {
    if (!Array.isArray(items)) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'bulkCreate needs an array of QR codes.',
        issues: [{ field: 'items', message: 'must be an array' }],
      });
    }
    const assign = options.assignExternalIds ?? true;
    const results: (BulkItemResult | undefined)[] = new Array(items.length);
    // A cheap first pass (no schema work) assigns externalIds and catches in-batch duplicates; the full validation
    // runs chunk by chunk in the workers, so it overlaps with requests and rate-limit waits instead of delaying them.
    const pending: { index: number; raw: unknown; externalId?: string }[] = [];
    const externalIds = new Map<string, number>();
    const links = new Map<string, number>();
    items.forEach((raw, index) => {
      const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      let ext = typeof item.externalId === 'string' && item.externalId ? item.externalId : undefined;
      if (!ext && assign && item.externalId == null) ext = generatedExternalId();
      const duplicate = this.duplicateOf(index, ext, item, externalIds, links);
      if (duplicate) {
        results[index] = duplicate;
        return;
      }
      pending.push({ index, raw, externalId: ext });
    });
    await this.send(
      pending,
      (chunk) => {
        const valid: ChunkItem[] = [];
        for (const { index, raw, externalId } of chunk) {
          try {
            const body = this.#api.validateCreate(raw, `items.${index}`) as ChunkItem['body'];
            if (externalId) body.externalId = externalId;
            valid.push({ index, body });
          } catch (error) {
            if (!isCodeQrError(error)) throw error;
            results[index] = itemError(index, 'validation_error', error.message, { field: error.issues[0]?.field });
          }
        }
        return valid;
      },
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

  /** A conflict result when this item repeats an earlier item's externalId or short link. */
  duplicateOf(
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

  /**
   * Sends `pending` in chunks of 100 over a few parallel workers; `prepare` turns a chunk into validated items (it
   * may report items itself), `done` receives every sent item's result. Never rejects.
   */
  async send<P extends { index: number; externalId?: string | undefined }>(
    pending: P[],
    prepare: (chunk: P[]) => ChunkItem[],
    done: (result: CreatedResult) => void,
    concurrency = 4,
  ): Promise<void> {
    const chunks: P[][] = [];
    for (let i = 0; i < pending.length; i += BULK_CHUNK_SIZE) chunks.push(pending.slice(i, i + BULK_CHUNK_SIZE));
    const maxWorkers = Math.max(1, Math.min(concurrency, 16));
    let next = 0;
    const worker = async () => {
      for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
        let valid: ChunkItem[] = [];
        try {
          valid = prepare(chunk);
          if (valid.length === 0) continue;
          for (const result of await this.sendChunk(valid)) done(result);
        } catch (error) {
          // sendChunk settles every item itself; this is the last line for a bug, never a lost item
          const why = `Unexpected failure (${asCodeQrError(error).message.replace(/\.$/, '')}).`;
          for (const item of valid) done(unknownOutcome(item.index, item.body.externalId, why));
        }
      }
    };
    // Adapt to the plan: never more parallel chunks than the window has budget for (the pacer does the rest).
    const budget = this.#http.pacer.available();
    const workers = Math.max(1, Math.min(maxWorkers, chunks.length, budget === undefined ? maxWorkers : budget));
    await Promise.all(Array.from({ length: workers }, worker));
  }

  /** One `POST /qrcodes/bulk`; every item of the chunk comes back with a result. */
  private async sendChunk(chunk: ChunkItem[]): Promise<CreatedResult[]> {
    const reconcilable = chunk.every((item) => !!item.body.externalId);
    // on the client's clock; read on CodeQR's (`serverTime`) once an answer has measured the offset
    const startedAt = this.#http.now();
    let attempts = 0;
    /** Whether an earlier attempt of this chunk may have been applied (a 429 or a refused connection was not). */
    let mayHaveLanded = false;
    let answer: unknown[];
    try {
      answer = await this.#http.request({
        method: 'POST',
        path: '/qrcodes/bulk',
        body: chunk.map((item) => item.body),
        schema: z.array(z.unknown()),
        idempotent: reconcilable,
        // the client's timeoutMs when given, else a bulk request's longer default
        slow: true,
        onAttempt: (n) => {
          attempts = n;
        },
        onRetry: (_failure, landed) => {
          if (landed) mayHaveLanded = true;
        },
      });
    } catch (raw) {
      const error = asCodeQrError(raw);
      if (certainlyNotApplied(error, mayHaveLanded ? attempts : Math.min(attempts, 1))) {
        return chunk.map((item) =>
          itemError(item.index, error.code, error.message, {
            field: error.issues[0]?.field,
            externalId: item.body.externalId,
          }),
        );
      }
      // The chunk may or may not have landed: look each item up by its externalId before calling it failed.
      return this.settle(
        chunk.map((item) => ({ item, failure: error })),
        startedAt,
      );
    }
    return this.matchAnswer(chunk, answer, startedAt, !mayHaveLanded);
  }

  /**
   * Matches each answer entry to its item by identity (externalId, else domain + key, else same content among the
   * items left), never by position: CodeQR's docs answer in input order with errors in place, Dub's code answers
   * `[...created, ...errors]` and leaves out items whose externalId already exists. Items left without an entry are
   * looked up like a lost answer.
   */
  private async matchAnswer(
    chunk: ChunkItem[],
    answer: unknown[],
    startedAt: number,
    firstLanding: boolean,
  ): Promise<CreatedResult[]> {
    const open = new Set(chunk);
    const byExternalId = new Map<string, ChunkItem>();
    const byLink = new Map<string, ChunkItem>();
    for (const item of chunk) {
      const own = identity(item.body);
      if (own.externalId) byExternalId.set(own.externalId, item);
      if (own.key) byLink.set(`${own.domain ?? ''}/${own.key}`, item);
    }
    // Dub's code stores `ext_X` as `X`: an answer naming `X` is the item sent as `ext_X` (unless `X` was sent too)
    for (const item of chunk) {
      for (const form of externalIdForms(item.body.externalId ?? '').slice(1)) {
        if (!byExternalId.has(form)) byExternalId.set(form, item);
      }
    }
    const out = new Map<number, CreatedResult>();
    const toSettle: { item: ChunkItem; failure?: Failure }[] = [];
    const leftovers: { entry: QrCode | BulkItemError; source: ReturnType<typeof identity> }[] = [];

    const assign = (item: ChunkItem, entry: QrCode | BulkItemError) => {
      open.delete(item);
      if ('id' in entry && typeof entry.id === 'string') {
        out.set(item.index, { index: item.index, ok: true, qrCode: entry as QrCode });
        return;
      }
      const e = entry as BulkItemError;
      const code = (BULK_ITEM_ERROR_CODES as readonly string[]).includes(e.code) ? e.code : 'bad_request';
      // A conflict on an item we gave an externalId is most likely an earlier attempt of this very chunk: check.
      if (code === 'conflict' && item.body.externalId) toSettle.push({ item, failure: { code, message: e.error } });
      else out.set(item.index, itemError(item.index, code, e.error, { externalId: item.body.externalId }));
    };

    for (const raw of answer) {
      const qr = QrCode.safeParse(raw);
      const error = qr.success ? undefined : BulkItemError.safeParse(raw);
      const entry = qr.success ? qr.data : error?.success ? error.data : undefined;
      if (!entry) continue; // neither a QR code nor an item error: nothing to match
      // the spec names the failed item `qrcode`; Dub's code, `link`
      const source = identity(qr.success ? qr.data : (error?.data?.qrcode ?? error?.data?.link));
      const ours = (item: ChunkItem | undefined): item is ChunkItem =>
        !!item && open.has(item) && (!source.externalId || sameExternalId(item.body.externalId, source.externalId));
      let owner = source.externalId ? byExternalId.get(source.externalId) : undefined;
      if (!owner && source.key) {
        // a key sent with and without the primary domain is one short link: the destination tells the two apart
        owner = [byLink.get(`${source.domain ?? ''}/${source.key}`), byLink.get(`/${source.key}`)].find(
          (item) => ours(item) && (!source.url || !item.body.url || item.body.url === source.url),
        );
      }
      if (ours(owner)) assign(owner, entry);
      else leftovers.push({ entry, source });
    }
    // Entries that named no identity of ours: the first open item with the same content (and no other externalId).
    for (const { entry, source } of leftovers) {
      const candidate = [...open].find((item) => {
        const own = identity(item.body);
        if (!sameExternalId(own.externalId, source.externalId)) return false;
        if (own.key && own.key !== source.key) return false;
        return own.url === source.url;
      });
      if (candidate) assign(candidate, entry);
    }
    for (const item of open) {
      if (item.body.externalId) toSettle.push({ item });
      else out.set(item.index, unknownOutcome(item.index, undefined, "CodeQR's answer did not include this item."));
    }
    for (const result of await this.settle(toSettle, startedAt)) {
      // refused or left out by the only attempt that can have landed: the code was there before it, not ours
      // (settle marks one created clearly before the request `existed` itself, whatever the attempts)
      out.set(result.index, firstLanding && result.ok && result.adopted ? { ...result, existed: true } : result);
    }
    return chunk.map((c) => out.get(c.index)!);
  }

  /**
   * Settles items whose outcome the answer left open, by their externalIds: first in one newest-first listing of the
   * codes created since the chunk was sent (a page of 100 answers for a whole chunk), then one lookup each for any
   * not found there. Found and matching → created once; missing → the failure; a lookup that fails → outcome_unknown.
   */
  private async settle(entries: { item: ChunkItem; failure?: Failure }[], startedAt: number): Promise<CreatedResult[]> {
    const results: CreatedResult[] = [];
    const unknown = (entry: { item: ChunkItem; failure?: Failure }, why: string) =>
      results.push(unknownOutcome(entry.item.index, entry.item.body.externalId, why));
    const why = (entry: { failure?: Failure }) =>
      entry.failure
        ? `The request failed (${entry.failure.message.replace(/\.$/, '')})`
        : "CodeQR's answer did not include this item";
    // when the request started on CodeQR's clock, with the offset measured so far (the listing below refines it)
    const since = () => this.#http.serverTime(startedAt);
    const wanted = new Map<string, { item: ChunkItem; failure?: Failure }>();
    for (const entry of entries) {
      if (entry.item.body.externalId) wanted.set(entry.item.body.externalId, entry);
      else unknown(entry, `${why(entry)}.`);
    }
    if (wanted.size === 0) return results;
    const adopt = (qr: QrCode, entry: { item: ChunkItem; failure?: Failure }) => {
      const { index, body } = entry.item;
      try {
        const qrCode = ownCode(qr, qr.externalId as string, body, entry.failure);
        // created clearly before this request was first sent: no attempt of ours made it, it is a replay's answer
        const createdAt = Date.parse(qr.createdAt);
        const existed = Number.isFinite(createdAt) && createdAt < since() - PRIOR_MARGIN_MS;
        results.push({ index, ok: true, qrCode, adopted: true, ...(existed ? { existed } : {}) });
      } catch (error) {
        const e = asCodeQrError(error);
        results.push(itemError(index, e.code, e.message, { externalId: body.externalId }));
      }
    };
    try {
      // on CodeQR's clock, with ten minutes of margin (the offset may not be measured yet)
      const recent = this.#api.list({
        createdAfter: new Date(since() - 10 * 60_000).toISOString(),
        sort: 'createdAt',
        showArchived: true,
        withTags: true,
      });
      let pages = 0;
      for await (const page of recent.pages()) {
        for (const qr of page) {
          if (!qr.externalId) continue;
          // stored as sent, or (Dub's code) `ext_X` stored as `X`
          const sent = wanted.has(qr.externalId) ? qr.externalId : `ext_${qr.externalId}`;
          const entry = wanted.get(sent);
          if (!entry) continue;
          wanted.delete(sent);
          adopt(qr, entry);
        }
        if (wanted.size === 0 || ++pages >= Math.ceil(entries.length / BULK_CHUNK_SIZE) + 3) break;
      }
    } catch {
      // the listing failed: the lookups below settle what they can
    }
    let broken: CodeQrError | undefined;
    await mapLimit([...wanted.values()], 4, async (entry) => {
      const { index, body } = entry.item;
      const externalId = body.externalId as string;
      const unreachable = (e: CodeQrError) =>
        unknown(
          entry,
          `${why(entry)}, and CodeQR could not be asked whether it was created (${e.message.replace(/\.$/, '')}).`,
        );
      if (broken) return unreachable(broken);
      try {
        adopt(await this.#api.getByExternalId(externalId), entry);
      } catch (raw) {
        const error = asCodeQrError(raw);
        if (error.code !== 'not_found') {
          broken = error; // CodeQR is failing: the remaining items are not looked up one by one against it
          return unreachable(error);
        }
        if (!entry.failure) {
          results.push(
            itemError(
              index,
              'invalid_response',
              `CodeQR's answer left this item out and no QR code has its externalId "${externalId}": it was not created; send it again.`,
              { externalId },
            ),
          );
        } else if (entry.failure.code === 'timeout') {
          // a request that timed out may still land after this lookup
          unknown(entry, `The request timed out (${entry.failure.message.replace(/\.$/, '')}).`);
        } else {
          results.push(itemError(index, entry.failure.code, entry.failure.message, { externalId }));
        }
      }
    });
    return results;
  }
}
