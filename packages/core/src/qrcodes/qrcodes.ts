import * as z from 'zod/v4';
import type { HttpClient, QueryValue } from '../client/http.ts';
import { Paginated } from '../client/paginate.ts';
import { compact, validateInput } from '../client/validate.ts';
import { CodeQrError, isCodeQrError } from '../errors.ts';
import { DateParam } from '../schemas/analytics.ts';
import { QrCodeType } from '../schemas/common.ts';
import {
  BulkDeleteResult,
  type CreateQrCodeBody,
  CreateQrCodeRequest,
  DeletedQrCode,
  LIST_SORTS,
  QR_LIST_MAX_PAGE_SIZE,
  QrCode,
  QrCodeFields,
  type UpdateQrCodeBody,
  UpdateQrCodeRequest,
} from '../schemas/qr-code.ts';
import { type BulkCreateOptions, BulkCreator, type BulkItemResult } from './bulk-create.ts';
import { externalIdForms, ownCode } from './compare.ts';
import {
  Upserter,
  type UpsertManyOptions,
  type UpsertManyResult,
  type UpsertOptions,
  type UpsertResult,
} from './upsert.ts';

/** `client.qrcodes`: create, get, update (PUT), delete, list, count; bulk create and upsert live beside it. */

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

function targetQuery(target: QrCodeTarget): Record<string, string> {
  if ('id' in target && target.id) return { qrCodeId: target.id };
  // `ext_` only marks the parameter as an external id: an externalId that itself starts with `ext_` keeps it
  if ('externalId' in target && target.externalId) return { externalId: `ext_${target.externalId}` };
  if ('domain' in target && target.domain && target.key) return { domain: target.domain, key: target.key };
  throw new CodeQrError({
    code: 'validation_error',
    message: 'Say which QR code: pass { id }, { externalId } or { domain, key }.',
    issues: [{ field: 'id', message: 'is required (or externalId, or domain and key)' }],
  });
}

export interface CreateOptions {
  /**
   * A QR code already there with the input's externalId: `answer` it (default, the replay rule), or `fail` with the
   * 409 unless an earlier attempt of this very call created it (for callers that settle a race themselves: upsert).
   */
  existing?: 'answer' | 'fail';
}

export class QrCodes {
  readonly #http: HttpClient;
  /** How this CodeQR answers `withTags` on lists, once an answer told (see `listPage`); shared with scoped views. */
  readonly #state: { tags: 'ask' | 'always' | undefined };
  readonly #bulk: BulkCreator;
  readonly #upsert: Upserter;

  constructor(http: HttpClient, state: { tags: 'ask' | 'always' | undefined } = { tags: undefined }) {
    this.#http = http;
    this.#state = state;
    this.#bulk = new BulkCreator(http, this);
    this.#upsert = new Upserter(this, this.#bulk);
  }

  /**
   * This noun on ONE time budget (the client's `timeBudgetMs`), for a call made of several requests: bulk create,
   * upsert, bulk delete. Without a budget it is this very object.
   */
  private scoped(): QrCodes {
    const http = this.#http.withBudget();
    return http === this.#http ? this : new QrCodes(http, this.#state);
  }

  /** @internal The create body as sent: validated, `undefined`s dropped, `type` defaulted to `url`. */
  validateCreate(input: unknown, path = ''): CreateQrCodeInput & { type: string } {
    const body = validateInput(CreateQrCodeRequest, compact(input), 'QR code', FIELD_NAMES, path);
    return { ...body, type: body.type ?? 'url' };
  }

  /**
   * Creates a QR code (`type` defaults to `url`). With an `externalId` the create is a safe replay, the same rule as
   * bulk create: when a QR code with that externalId is already there (an earlier attempt or run created it) and has
   * the same destination, domain, key and type, it is the answer, as it is; when it differs in those, the create
   * fails with a `conflict` that names them (Create or Update changes an existing code).
   */
  async create(input: CreateQrCodeInput, options: CreateOptions = {}): Promise<QrCode> {
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
      const replay = options.existing !== 'fail' || (isCodeQrError(error) && error.attempts > 1);
      if (isCodeQrError(error) && error.code === 'conflict' && body.externalId && replay) {
        return this.adoptExisting(body.externalId, body, error);
      }
      throw error;
    }
  }

  /**
   * After a 409, the code with our externalId is the answer if it matches what we sent; when no code has it, the
   * conflict was about something else (a short link in use) and stands.
   */
  private async adoptExisting(externalId: string, body: Record<string, unknown>, conflict: unknown): Promise<QrCode> {
    let existing: QrCode;
    try {
      existing = await this.getByExternalId(externalId);
    } catch (error) {
      if (isCodeQrError(error) && error.code === 'not_found') throw conflict;
      throw error;
    }
    return ownCode(existing, externalId, body, conflict);
  }

  /**
   * @internal The QR code created with `externalId`: stored as sent, or (`ext_X`) as `X`, since Dub's code drops a
   * leading `ext_` on create. `not_found` when neither exists.
   */
  async getByExternalId(externalId: string): Promise<QrCode> {
    const [sent, ...others] = externalIdForms(externalId);
    try {
      return await this.info(targetQuery({ externalId: sent! }));
    } catch (error) {
      if (!isCodeQrError(error) || error.code !== 'not_found' || others.length === 0) throw error;
      return this.info(targetQuery({ externalId: others[0]! }));
    }
  }

  /**
   * One QR code by `{ id }`, `{ externalId }` or `{ domain, key }`. An externalId `ext_X` also finds a code CodeQR
   * stored as `X` (Dub's code drops a leading `ext_` on create) when none is stored as `ext_X`.
   */
  async get(target: QrCodeTarget): Promise<QrCode> {
    const query = targetQuery(target);
    if ('externalId' in query && 'externalId' in target) return this.getByExternalId(target.externalId);
    return this.info(query);
  }

  private info(query: Record<string, string>): Promise<QrCode> {
    return this.#http.request({ method: 'GET', path: '/qrcodes/info', query, schema: QrCode });
  }

  /** Partial update (`PUT`); `id` may be `ext_<externalId>`. Unchanged input returns the code as it is. */
  async update(id: string, patch: UpdateQrCodeInput): Promise<QrCode> {
    this.requireId(id);
    const body = validateInput(UpdateQrCodeRequest, compact(patch), 'QR code update', FIELD_NAMES);
    if (Object.keys(body).length === 0) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Nothing to update: pass at least one field to change, e.g. { url: "https://…" }.',
        issues: [{ field: '', message: 'pass at least one field to change' }],
      });
    }
    return this.#http.request({ method: 'PUT', path: `/qrcodes/${encodeURIComponent(id)}`, body, schema: QrCode });
  }

  /**
   * Deletes a QR code (`id` may be `ext_<externalId>`). Safe to retry: when an answer was lost and the retry finds the
   * code already gone, the delete is reported done (`{ id }` as given).
   */
  async delete(id: string): Promise<{ id: string }> {
    this.requireId(id);
    try {
      return await this.#http.request({
        method: 'DELETE',
        path: `/qrcodes/${encodeURIComponent(id)}`,
        schema: DeletedQrCode,
      });
    } catch (error) {
      // a 404 on a retry: an earlier attempt deleted it
      if (isCodeQrError(error) && error.code === 'not_found' && error.attempts > 1) return { id };
      throw error;
    }
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

  /**
   * Lists QR codes with their tags: `await` for one page, `for await` (or `.toArray({ limit })`) for all matching
   * ones. `withTags: false` skips the tags.
   */
  list(filters: ListQrCodesFilters = {}): Paginated<QrCode> {
    return Paginated.validated(
      () => validateInput(ListQrCodesFilters, filters, 'QR code filter', FILTER_NAMES),
      (f) => {
        const { limit, page: first, pageSize: size, withTags, ...query } = f;
        return new Paginated(
          (page, pageSize, deadline) => this.listPage(query, page, pageSize, withTags !== false, deadline),
          { page: first ?? 1, pageSize: size ?? QR_LIST_MAX_PAGE_SIZE, limit, budget: this.#http },
        );
      },
    );
  }

  /** @internal Every QR code matching `query`, archived ones and tags included, however many pages that takes. */
  listAll(query: Record<string, QueryValue>): Paginated<QrCode> {
    return new Paginated(
      (page, pageSize, deadline) => this.listPage({ ...query, showArchived: true }, page, pageSize, true, deadline),
      { page: 1, pageSize: QR_LIST_MAX_PAGE_SIZE, maxPages: Number.POSITIVE_INFINITY, budget: this.#http },
    );
  }

  /**
   * One page of `GET /qrcodes`, with tags when `withTags`. The spec says `withTags=true` includes the tags (left out
   * otherwise); Dub's code, which CodeQR's server descends from, always includes them and reads `withTags=true` as
   * "only codes that have a tag". So the page is read without it first: empty, or carrying tags, it is the answer.
   * Otherwise it is read once more with `withTags=true`: the same codes (now with tags) means the spec's reading,
   * only tagged ones means Dub's. The first page that tells them apart settles it for this client.
   */
  private async listPage(
    query: Record<string, QueryValue>,
    page: number,
    pageSize: number,
    withTags: boolean,
    deadline: number | undefined,
  ): Promise<QrCode[]> {
    const read = (asked: boolean) =>
      this.#http.request({
        method: 'GET',
        path: '/qrcodes',
        query: asked ? { ...query, withTags: true, page, pageSize } : { ...query, page, pageSize },
        schema: z.array(QrCode),
        deadline,
      });
    if (this.#state.tags === 'ask' && withTags) return read(true);
    const plain = await read(false);
    if (!withTags || this.#state.tags === 'always' || plain.length === 0) return plain;
    const tagged = (qr: QrCode) => Array.isArray(qr.tags) && qr.tags.length > 0;
    if (plain.some(tagged)) {
      this.#state.tags = 'always'; // tags came unasked: Dub's reading
      return plain;
    }
    const asked = await read(true);
    const inPlain = new Set(plain.map((qr) => qr.id));
    if (asked.length < plain.length && asked.every((qr) => tagged(qr) && inPlain.has(qr.id))) {
      this.#state.tags = 'always'; // withTags=true kept only the tagged codes: Dub's reading
      return plain;
    }
    if (asked.length === plain.length && asked.every((qr, i) => qr.id === plain[i]!.id)) {
      this.#state.tags = 'ask';
      return asked;
    }
    // the list moved between the two reads: the first read's codes, with the tags the second one knew
    const tags = new Map(asked.map((qr) => [qr.id, qr.tags]));
    return plain.map((qr) => (tags.has(qr.id) ? { ...qr, tags: tags.get(qr.id) ?? null } : qr));
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
   * again and its items are looked up: nothing is lost, nothing is created twice. It never rejects once anything was
   * sent; an item whose fate could not be settled fails with `outcome_unknown` and its `externalId`.
   */
  bulkCreate(items: readonly CreateQrCodeInput[], options: BulkCreateOptions = {}): Promise<BulkItemResult[]> {
    return this.scoped().#bulk.bulkCreate(items, options);
  }

  /**
   * Deletes by id in chunks of 100; unknown ids are ignored by CodeQR. A chunk whose answer was lost is sent again,
   * and then every id of it counts as deleted (they are all gone, whichever attempt removed them).
   */
  async bulkDelete(ids: readonly string[]): Promise<{ deletedCount: number }> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !id.trim())) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'bulkDelete needs an array of QR code ids (non-empty strings).',
        issues: [{ field: 'ids', message: 'must be an array of non-empty strings' }],
      });
    }
    let deletedCount = 0;
    const unique = [...new Set(ids.map((id) => id.trim()))];
    const deadline = this.#http.deadline(); // one time budget for every chunk
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = unique.slice(i, i + 100);
      let attempts = 0;
      try {
        const result = await this.#http.request({
          method: 'DELETE',
          path: '/qrcodes/bulk',
          query: { qrcodeIds: chunk },
          schema: BulkDeleteResult,
          deadline,
          onAttempt: (n) => {
            attempts = n;
          },
        });
        deletedCount += attempts > 1 ? chunk.length : result.deletedCount;
      } catch (error) {
        if (!isCodeQrError(error) || i === 0) throw error;
        throw new CodeQrError({
          code: error.code,
          status: error.status,
          requestId: error.requestId,
          retryAfter: error.retryAfter,
          attempts: error.attempts,
          message: `${error.message.replace(/\.$/, '')} (after ${deletedCount} of ${unique.length} QR codes were deleted; deleting the same ids again is safe).`,
          cause: error,
        });
      }
    }
    return { deletedCount };
  }

  /**
   * Creates the QR code, or updates the existing one when something differs (`unchanged`: nothing was written).
   * Matches by `externalId` when given (exact and unique), else by exact destination URL, the oldest code with it.
   */
  upsert(input: CreateQrCodeInput, options: UpsertOptions = {}): Promise<UpsertResult> {
    return this.scoped().#upsert.upsert(input, options);
  }

  /**
   * Upserts many QR codes: one result per input item, in input order (`created`, `updated`, `unchanged`, or why it
   * failed). Existing codes are found with one read of the whole project when the input is a large share of it,
   * else one lookup per item; new ones are created in bulk (exactly once, like `bulkCreate`); changed ones are
   * updated with one PUT each (CodeQR has no bulk update).
   */
  upsertMany(items: readonly CreateQrCodeInput[], options: UpsertManyOptions = {}): Promise<UpsertManyResult[]> {
    return this.scoped().#upsert.upsertMany(items, options);
  }
}
