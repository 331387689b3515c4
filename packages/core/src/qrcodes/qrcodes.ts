import { randomUUID } from 'node:crypto';
import * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { Paginated } from '../client/paginate.ts';
import { compact, validateInput } from '../client/validate.ts';
import { CodeQrError, type CodeQrErrorCode, isCodeQrError } from '../errors.ts';
import { DateParam } from '../schemas/analytics.ts';
import { QrCodeType } from '../schemas/common.ts';
import { BULK_ITEM_ERROR_CODES } from '../schemas/errors.ts';
import {
  BulkDeleteResult,
  BulkItemError,
  CreateQrCodeBody,
  DeletedQrCode,
  LIST_SORTS,
  QR_LIST_MAX_PAGE_SIZE,
  QrCode,
  QrCodeFields,
  UpdateQrCodeBody,
} from '../schemas/qr-code.ts';

export type CreateQrCodeInput = z.input<typeof CreateQrCodeBody>;
export type UpdateQrCodeInput = z.input<typeof UpdateQrCodeBody>;
export type QrCodeTarget = { id: string } | { externalId: string } | { domain: string; key: string };

const FIELD_NAMES = Object.keys(QrCodeFields.shape);

export const ListQrCodesFilters = z.object({
  search: z.string().optional(),
  domain: z.string().optional(),
  tagIds: z.array(z.string()).optional(),
  tagNames: z.array(z.string()).optional(),
  folderId: z.string().optional(),
  type: QrCodeType.optional(),
  format: z.enum(['static', 'dynamic']).optional(),
  showArchived: z.boolean().optional(),
  withTags: z.boolean().optional(),
  createdAfter: DateParam.optional(),
  createdBefore: DateParam.optional(),
  scansMin: z.number().int().min(0).optional(),
  scansMax: z.number().int().min(0).optional(),
  sort: z.enum(LIST_SORTS).optional(),
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(QR_LIST_MAX_PAGE_SIZE).optional(),
  /** Iteration only: stop after this many QR codes. */
  limit: z.number().int().min(1).optional(),
});
export type ListQrCodesFilters = z.input<typeof ListQrCodesFilters>;
const FILTER_NAMES = Object.keys(ListQrCodesFilters.shape);

export type BulkItemResult =
  | { index: number; ok: true; qrCode: QrCode }
  | { index: number; ok: false; error: { code: CodeQrErrorCode | string; message: string; field?: string } };

export interface BulkCreateOptions {
  /** Give every item without an externalId a generated one, so lost answers can be reconciled (default true). */
  assignExternalIds?: boolean;
  /** Parallel bulk requests at most (default 4); fewer when the plan's remaining budget is low. */
  concurrency?: number;
}

export type UpsertAction = 'created' | 'updated' | 'unchanged';
export interface UpsertResult {
  action: UpsertAction;
  qrCode: QrCode;
}
export interface UpsertOptions {
  /** How an existing QR code is found: by `externalId` (exact, unique) or by exact destination `url`. */
  matchBy?: 'externalId' | 'url';
  /** Pages of search results to scan when matching by URL (default 10, i.e. 1,000 codes). */
  maxSearchPages?: number;
}

/** QR-code fields whose value lives elsewhere on the returned QR code (tags) or nowhere (request-only). */
const NOT_COMPARABLE = new Set(['prefix', 'webhookIds', 'templateId', 'tagId', 'tagIds', 'tagNames', 'useAsTemplate']);

function targetQuery(target: QrCodeTarget): Record<string, string> {
  if ('id' in target && target.id) return { qrCodeId: target.id };
  if ('externalId' in target && target.externalId)
    return { externalId: `ext_${target.externalId.replace(/^ext_/, '')}` };
  if ('domain' in target && target.domain && target.key) return { domain: target.domain, key: target.key };
  throw new CodeQrError({
    code: 'validation_error',
    message: 'Say which QR code: pass { id }, { externalId } or { domain, key }.',
    issues: [{ field: 'id', message: 'is required (or externalId, or domain and key)' }],
  });
}

/** Fields of `input` whose value differs from the QR code (tags compared by id or name). */
export function changedFields(existing: QrCode, input: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const current = existing as Record<string, unknown>;
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || NOT_COMPARABLE.has(field)) continue;
    if (JSON.stringify(current[field] ?? null) !== JSON.stringify(value)) patch[field] = value;
  }
  const list = (v: unknown) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String).sort());
  const tags = existing.tags ?? [];
  const ids = list(input.tagIds);
  if (ids && JSON.stringify(ids) !== JSON.stringify(tags.map((t) => t.id).sort())) patch.tagIds = input.tagIds;
  const names = list(input.tagNames)?.map((n) => n.toLowerCase());
  if (names && JSON.stringify(names) !== JSON.stringify(tags.map((t) => t.name.toLowerCase()).sort())) {
    patch.tagNames = input.tagNames;
  }
  return patch;
}

/** `existing` (found by our externalId) if it is the code we sent; a clear conflict if another code took the id. */
function ownCode(existing: QrCode, externalId: string, body: Record<string, unknown>, conflict: unknown): QrCode {
  const differs = ['url', 'domain', 'key', 'type'].filter(
    (field) =>
      body[field] !== undefined &&
      JSON.stringify(body[field]) !== JSON.stringify((existing as Record<string, unknown>)[field]),
  );
  if (differs.length === 0) return existing;
  throw new CodeQrError({
    code: 'conflict',
    status: 409,
    message: `A different QR code already uses externalId "${externalId}" (its ${differs.join(', ')} ${differs.length === 1 ? 'differs' : 'differ'}); use another externalId or upsert it.`,
    cause: conflict,
  });
}

type ChunkItem = { index: number; body: Record<string, unknown> & { externalId?: string | null } };
type Failure = { code: string; message: string } | undefined;

function itemError(index: number, code: string, message: string, field?: string): BulkItemResult {
  return { index, ok: false, error: field ? { code, message, field } : { code, message } };
}

export class QrCodes {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  private validateCreate(input: unknown, path = ''): CreateQrCodeInput & { type: string } {
    const body = validateInput(CreateQrCodeBody, compact(input), 'QR code', FIELD_NAMES, path);
    return { ...body, type: body.type ?? 'url' };
  }

  /**
   * Creates a QR code (`type` defaults to `url`). With an `externalId` the create is safe to retry: a 409 on a
   * retry means the first attempt did land, so that QR code is fetched and returned as created once.
   */
  async create(input: CreateQrCodeInput): Promise<QrCode> {
    const body = this.validateCreate(input);
    try {
      return await this.#http.request({
        method: 'POST',
        path: '/qrcodes',
        body,
        schema: QrCode,
        idempotent: !!body.externalId,
      });
    } catch (error) {
      if (isCodeQrError(error) && error.code === 'conflict' && error.attempts > 1 && body.externalId) {
        return this.adoptExisting(body.externalId, body, error);
      }
      throw error;
    }
  }

  /** After an ambiguous failure, the code with our externalId is ours if it matches what we sent. */
  private async adoptExisting(externalId: string, body: Record<string, unknown>, conflict: unknown): Promise<QrCode> {
    return ownCode(await this.get({ externalId }), externalId, body, conflict);
  }

  /** One QR code by `{ id }`, `{ externalId }` or `{ domain, key }`. */
  async get(target: QrCodeTarget): Promise<QrCode> {
    return this.#http.request({ method: 'GET', path: '/qrcodes/info', query: targetQuery(target), schema: QrCode });
  }

  /** Partial update (`PUT`); `id` may be `ext_<externalId>`. Unchanged input returns the code as it is. */
  async update(id: string, patch: UpdateQrCodeInput): Promise<QrCode> {
    this.requireId(id);
    const body = validateInput(UpdateQrCodeBody, compact(patch), 'QR code update', FIELD_NAMES);
    if (Object.keys(body).length === 0) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Nothing to update: pass at least one field to change, e.g. { url: "https://…" }.',
        issues: [{ field: '', message: 'pass at least one field to change' }],
      });
    }
    return this.#http.request({ method: 'PUT', path: `/qrcodes/${encodeURIComponent(id)}`, body, schema: QrCode });
  }

  async delete(id: string): Promise<{ id: string }> {
    this.requireId(id);
    return this.#http.request({ method: 'DELETE', path: `/qrcodes/${encodeURIComponent(id)}`, schema: DeletedQrCode });
  }

  private requireId(id: unknown): void {
    if (typeof id !== 'string' || !id.trim()) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'id is required: the QR code id, or ext_<externalId>.',
        issues: [{ field: 'id', message: 'is required' }],
      });
    }
  }

  private filterQuery(filters: z.output<typeof ListQrCodesFilters>) {
    const { limit: _limit, page: _page, pageSize: _pageSize, ...rest } = filters;
    return rest;
  }

  /** Lists QR codes: `await` for one page, `for await` (or `.toArray({ limit })`) for all matching ones. */
  list(filters: ListQrCodesFilters = {}): Paginated<QrCode> {
    return Paginated.validated(
      () => validateInput(ListQrCodesFilters, filters, 'QR code filter', FILTER_NAMES),
      (f) => {
        const query = this.filterQuery(f);
        return new Paginated(
          (page, pageSize) =>
            this.#http.request({
              method: 'GET',
              path: '/qrcodes',
              query: { ...query, page, pageSize },
              schema: z.array(QrCode),
            }),
          { page: f.page ?? 1, pageSize: f.pageSize ?? QR_LIST_MAX_PAGE_SIZE, limit: f.limit },
        );
      },
    );
  }

  async count(filters: Omit<ListQrCodesFilters, 'page' | 'pageSize' | 'limit' | 'sort'> = {}): Promise<number> {
    const f = validateInput(
      ListQrCodesFilters.omit({ page: true, pageSize: true, limit: true, sort: true }),
      filters,
      'QR code filter',
      FILTER_NAMES,
    );
    return this.#http.request({ method: 'GET', path: '/qrcodes/count', query: f, schema: z.number() });
  }

  /**
   * Creates any number of QR codes in chunks of 100, answering one result per input item, in input order. Every item
   * gets an externalId unless it has one (or `assignExternalIds: false`), so a chunk whose answer was lost is sent
   * again and its conflicts are reconciled: nothing is lost, nothing is created twice.
   */
  async bulkCreate(items: readonly CreateQrCodeInput[], options: BulkCreateOptions = {}): Promise<BulkItemResult[]> {
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
      if (!ext && assign && item.externalId == null) ext = `cqr_${randomUUID()}`;
      if (ext && externalIds.has(ext)) {
        results[index] = itemError(
          index,
          'conflict',
          `externalId "${ext}" repeats item ${externalIds.get(ext)} of this batch; externalIds must be unique.`,
          'externalId',
        );
        return;
      }
      const link = typeof item.key === 'string' && item.key ? `${String(item.domain ?? '')}/${item.key}` : undefined;
      if (link && links.has(link)) {
        results[index] = itemError(
          index,
          'conflict',
          `key "${String(item.key)}" repeats item ${links.get(link)} of this batch; short links must be unique.`,
          'key',
        );
        return;
      }
      if (ext) externalIds.set(ext, index);
      if (link) links.set(link, index);
      pending.push({ index, raw, externalId: ext });
    });

    const chunks: (typeof pending)[] = [];
    for (let i = 0; i < pending.length; i += 100) chunks.push(pending.slice(i, i + 100));
    const maxWorkers = Math.max(1, Math.min(options.concurrency ?? 4, 16));
    let next = 0;
    const worker = async () => {
      for (;;) {
        const chunk = chunks[next++];
        if (!chunk) return;
        const valid: { index: number; body: Record<string, unknown> & { externalId?: string | null } }[] = [];
        for (const { index, raw, externalId } of chunk) {
          try {
            const body = this.validateCreate(raw, `items.${index}`) as Record<string, unknown> & {
              externalId?: string | null;
            };
            if (externalId) body.externalId = externalId;
            valid.push({ index, body });
          } catch (error) {
            if (!isCodeQrError(error)) throw error;
            results[index] = itemError(index, 'validation_error', error.message, error.issues[0]?.field);
          }
        }
        if (valid.length === 0) continue;
        for (const result of await this.sendChunk(valid)) results[result.index] = result;
      }
    };
    // Adapt to the plan: never more parallel chunks than the window has budget for (the pacer does the rest).
    const budget = this.#http.pacer.available();
    const workers = Math.max(1, Math.min(maxWorkers, chunks.length, budget === undefined ? maxWorkers : budget));
    await Promise.all(Array.from({ length: workers }, worker));
    return results.map(
      (r, index) => r ?? itemError(index, 'internal_server_error', 'No result was produced for this item.'),
    );
  }

  private async sendChunk(chunk: ChunkItem[]): Promise<BulkItemResult[]> {
    const reconcilable = chunk.every((item) => !!item.body.externalId);
    const startedAt = Date.now();
    let answer: unknown[];
    try {
      answer = await this.#http.request({
        method: 'POST',
        path: '/qrcodes/bulk',
        body: chunk.map((item) => item.body),
        schema: z.array(z.unknown()),
        idempotent: reconcilable,
        timeoutMs: 60_000,
      });
    } catch (error) {
      if (!isCodeQrError(error)) throw error;
      // The chunk may or may not have landed: look each item up by its externalId before calling it failed.
      if (
        reconcilable &&
        error.requestSent !== false &&
        error.code !== 'unprocessable_entity' &&
        error.code !== 'forbidden'
      ) {
        const found = await this.reconcileMany(
          chunk.map((item) => ({ item, failure: error })),
          startedAt,
        );
        return chunk.map((item) => found.get(item.index)!);
      }
      return chunk.map((item) => itemError(item.index, error.code, error.message));
    }
    return this.mapBulkAnswer(chunk, answer, startedAt);
  }

  private async mapBulkAnswer(chunk: ChunkItem[], answer: unknown[], startedAt: number): Promise<BulkItemResult[]> {
    const byExternalId = new Map(chunk.filter((c) => c.body.externalId).map((c) => [c.body.externalId as string, c]));
    const out = new Map<number, BulkItemResult>();
    const unmatched: unknown[] = [];
    const toReconcile: { item: ChunkItem; failure: Failure }[] = [];
    for (const item of answer) {
      const asError = BulkItemError.safeParse(item);
      if (asError.success && !(item as { id?: unknown }).id) {
        const source = asError.data.qrcode as { externalId?: string } | undefined;
        const owner = source?.externalId ? byExternalId.get(source.externalId) : undefined;
        if (owner && !out.has(owner.index)) {
          const code = (BULK_ITEM_ERROR_CODES as readonly string[]).includes(asError.data.code)
            ? asError.data.code
            : 'bad_request';
          if (code === 'conflict' && owner.body.externalId && /externalId/i.test(asError.data.error)) {
            // our externalId is already taken: most likely an earlier attempt of this very chunk landed
            toReconcile.push({ item: owner, failure: { code, message: asError.data.error } });
            out.set(owner.index, itemError(owner.index, code, asError.data.error)); // until reconciled
          } else {
            out.set(owner.index, itemError(owner.index, code, asError.data.error));
          }
        } else unmatched.push(item);
        continue;
      }
      const parsed = QrCode.safeParse(item);
      if (!parsed.success) {
        unmatched.push(item);
        continue;
      }
      const owner = parsed.data.externalId ? byExternalId.get(parsed.data.externalId) : undefined;
      if (owner && !out.has(owner.index)) out.set(owner.index, { index: owner.index, ok: true, qrCode: parsed.data });
      else unmatched.push(item);
    }
    // Items without externalIds: CodeQR answers in input order, so match the rest by position.
    const rest = chunk.filter((c) => !out.has(c.index));
    for (const [i, c] of rest.entries()) {
      const item = unmatched[i];
      const parsed = item === undefined ? undefined : QrCode.safeParse(item);
      if (parsed?.success) out.set(c.index, { index: c.index, ok: true, qrCode: parsed.data });
      else if (item !== undefined && BulkItemError.safeParse(item).success) {
        const e = BulkItemError.parse(item);
        out.set(c.index, itemError(c.index, e.code, e.error));
      } else if (c.body.externalId) {
        toReconcile.push({ item: c, failure: undefined });
      } else
        out.set(
          c.index,
          itemError(c.index, 'invalid_response', 'CodeQR answered without this item; check whether it was created.'),
        );
    }
    for (const [index, result] of await this.reconcileMany(toReconcile, startedAt)) out.set(index, result);
    return chunk.map((c) => out.get(c.index)!);
  }

  /**
   * Finds items of a chunk whose outcome is unknown by their externalIds: first in one newest-first listing of the
   * codes created since the chunk was sent (a page of 100 answers for a whole chunk), then one lookup each for any
   * not found there. Found and matching → created once; missing → the original failure.
   */
  private async reconcileMany(
    items: { item: ChunkItem; failure: Failure }[],
    startedAt: number,
  ): Promise<Map<number, BulkItemResult>> {
    const results = new Map<number, BulkItemResult>();
    if (items.length === 0) return results;
    const wanted = new Map(items.map((entry) => [entry.item.body.externalId as string, entry]));
    // ten minutes of margin for a clock that differs from CodeQR's
    const recent = this.list({
      createdAfter: new Date(startedAt - 10 * 60_000).toISOString(),
      sort: 'createdAt',
      showArchived: true,
    });
    let pages = 0;
    for await (const page of recent.pages()) {
      for (const qr of page) {
        const entry = qr.externalId ? wanted.get(qr.externalId) : undefined;
        if (!entry) continue;
        wanted.delete(qr.externalId as string);
        const { index, body } = entry.item;
        try {
          results.set(index, { index, ok: true, qrCode: ownCode(qr, qr.externalId as string, body, entry.failure) });
        } catch (error) {
          if (!isCodeQrError(error)) throw error;
          results.set(index, itemError(index, error.code, error.message));
        }
      }
      if (wanted.size === 0 || ++pages >= Math.ceil(items.length / 100) + 3) break;
    }
    const rest = await Promise.all(
      [...wanted.values()].map(({ item, failure }) => this.reconcile(item.index, item.body, failure)),
    );
    for (const result of rest) results.set(result.index, result);
    return results;
  }

  /** Looks an item up by externalId: found and matching → created once; missing → the original failure. */
  private async reconcile(index: number, body: ChunkItem['body'], failure: Failure): Promise<BulkItemResult> {
    try {
      return { index, ok: true, qrCode: await this.adoptExisting(body.externalId as string, body, failure) };
    } catch (error) {
      if (isCodeQrError(error) && error.code === 'not_found') {
        const reason = failure ?? {
          code: 'internal_server_error',
          message: 'CodeQR did not create this item; send it again.',
        };
        return itemError(index, reason.code, reason.message);
      }
      if (isCodeQrError(error)) return itemError(index, error.code, error.message);
      throw error;
    }
  }

  /** Deletes by id in chunks of 100; unknown ids are ignored by CodeQR. */
  async bulkDelete(ids: readonly string[]): Promise<{ deletedCount: number }> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !id.trim())) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'bulkDelete needs an array of QR code ids (non-empty strings).',
        issues: [{ field: 'ids', message: 'must be an array of non-empty strings' }],
      });
    }
    let deletedCount = 0;
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      const result = await this.#http.request({
        method: 'DELETE',
        path: '/qrcodes/bulk',
        query: { qrcodeIds: unique.slice(i, i + 100) },
        schema: BulkDeleteResult,
      });
      deletedCount += result.deletedCount;
    }
    return { deletedCount };
  }

  /**
   * Creates the QR code, or updates the existing one when something differs. Matches by `externalId` when given
   * (exact and unique), else by exact destination URL; with several codes on one URL the oldest is used.
   */
  async upsert(input: CreateQrCodeInput, options: UpsertOptions = {}): Promise<UpsertResult> {
    const body = this.validateCreate(input);
    const matchBy = options.matchBy ?? (body.externalId ? 'externalId' : 'url');
    if (matchBy === 'externalId' && !body.externalId) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Upsert by externalId needs an externalId; set one or match by url.',
        issues: [{ field: 'externalId', message: 'is required to match by externalId' }],
      });
    }
    if (matchBy === 'url' && !body.url) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Upsert by URL needs the destination url.',
        issues: [{ field: 'url', message: 'is required to match by url' }],
      });
    }
    const existing =
      matchBy === 'externalId'
        ? await this.findByExternalId(body.externalId!)
        : await this.findOldestByUrl(body.url!, options.maxSearchPages ?? 10);
    if (existing) return this.applyUpsert(existing, body);
    try {
      return { action: 'created', qrCode: await this.create(body) };
    } catch (error) {
      // someone created it between our lookup and our create: update theirs instead
      if (isCodeQrError(error) && error.code === 'conflict' && body.externalId) {
        const raced = await this.findByExternalId(body.externalId);
        if (raced) return this.applyUpsert(raced, body);
      }
      throw error;
    }
  }

  private async applyUpsert(existing: QrCode, body: Record<string, unknown>): Promise<UpsertResult> {
    const { type, ...rest } = body;
    const patch = changedFields(existing, existing.type === type ? rest : body);
    if (Object.keys(patch).length === 0) return { action: 'unchanged', qrCode: existing };
    return { action: 'updated', qrCode: await this.update(existing.id, patch as UpdateQrCodeInput) };
  }

  private async findByExternalId(externalId: string): Promise<QrCode | undefined> {
    try {
      return await this.get({ externalId });
    } catch (error) {
      if (isCodeQrError(error) && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  private async findOldestByUrl(url: string, maxPages: number): Promise<QrCode | undefined> {
    let oldest: QrCode | undefined;
    const results = new Paginated(
      (page, pageSize) =>
        this.#http.request({
          method: 'GET',
          path: '/qrcodes',
          query: { search: url, page, pageSize, showArchived: true },
          schema: z.array(QrCode),
        }),
      { page: 1, pageSize: QR_LIST_MAX_PAGE_SIZE, maxPages },
    );
    for await (const qr of results) {
      if (qr.url !== url) continue;
      if (!oldest || qr.createdAt < oldest.createdAt || (qr.createdAt === oldest.createdAt && qr.id < oldest.id))
        oldest = qr;
    }
    return oldest;
  }
}
