import type * as z from 'zod/v4';
import type { HttpClient, QueryValue } from '../client/http.ts';
import type { Paginated } from '../client/paginate.ts';
import { compact, validateInput } from '../client/validate.ts';
import { CodeQrError, isCodeQrError } from '../errors.ts';
import {
  type CreateQrCodeBody,
  CreateQrCodeRequest,
  DeletedQrCode,
  type QrCode,
  QrCodeFields,
  type UpdateQrCodeBody,
  UpdateQrCodeRequest,
} from '../schemas/qr-code.ts';
import { qrCodeAnswer, withUnnamed } from './answer.ts';
import { externalIdForms, ownCode } from './compare.ts';
import {
  type CountQrCodesFilters,
  countQrCodes,
  type ListQrCodesFilters,
  listAllQrCodes,
  listQrCodes,
  type TagsReading,
} from './list.ts';

/**
 * The floor of `qrcodes/`: one request each (create, get, update, delete, list, count), with the validation and the
 * replay rules that belong to a single request. Bulk create, upsert and the `client.qrcodes` façade are built on it.
 */

export type CreateQrCodeInput = z.input<typeof CreateQrCodeBody>;
export type UpdateQrCodeInput = z.input<typeof UpdateQrCodeBody>;
export type QrCodeTarget = { id: string } | { externalId: string } | { domain: string; key: string };
/** A create body as sent: validated, `undefined`s dropped, `type` defaulted to `url`. */
export type CreateBody = Record<string, unknown> & { externalId?: string | null; url?: string | null; type: string };

export interface CreateOptions {
  /**
   * A QR code already there with the input's externalId: `answer` it (default, the replay rule), or `fail` with the
   * 409 unless an earlier attempt of this very call created it (for callers that settle a race themselves: upsert).
   */
  existing?: 'answer' | 'fail';
}

const FIELD_NAMES = Object.keys(QrCodeFields.shape);

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

function requireId(id: unknown): void {
  if (typeof id !== 'string' || !id.trim()) {
    throw new CodeQrError({
      code: 'validation_error',
      message: 'id is required: the QR code id, or ext_<externalId>.',
      issues: [{ field: 'id', message: 'is required' }],
    });
  }
}

/**
 * Inputs an operation's input boundary has already validated as QR codes to create (`vouchCreateInput`): the
 * create and bulk-create operations parse each item with a schema stricter than `CreateQrCodeRequest` (a subset of
 * its fields, the same field schemas or narrower, the same checks; `test/run-items.test.ts` holds every parsed
 * input to that), so the client does not validate them a second time. Objects only, held weakly.
 */
const vouched = new WeakSet<object>();

/** Marks `input` (parsed by a create operation's input schema) as a valid create body; answers it unchanged. */
export function vouchCreateInput<T>(input: T): T {
  if (input !== null && typeof input === 'object') vouched.add(input);
  return input;
}

/** The create body as sent: validated (issues under `path`), `undefined`s dropped, `type` defaulted to `url`. */
export function validateCreate(input: unknown, path = ''): CreateBody {
  // parsed at the operation's boundary already: only what the validation would have done to it (a fresh object)
  const body =
    input !== null && typeof input === 'object' && vouched.has(input)
      ? vouchedBody(input as Record<string, unknown>)
      : validateInput(CreateQrCodeRequest, compact(input), 'QR code', FIELD_NAMES, path);
  return { ...body, type: body.type ?? 'url' } as CreateBody;
}

let createKeys: ReadonlySet<string> | undefined;
/** A vouched input as the client's check would answer it: `undefined`s dropped, keys the body has no field for too. */
function vouchedBody(input: Record<string, unknown>): CreateBody {
  createKeys ??= new Set(Object.keys(CreateQrCodeRequest.shape));
  const body: Record<string, unknown> = {};
  for (const key in input) {
    const value = input[key];
    if (value !== undefined && createKeys.has(key)) body[key] = compact(value);
  }
  return body as CreateBody;
}

export class QrCodeRequests {
  readonly http: HttpClient;
  readonly #reading: TagsReading;

  constructor(http: HttpClient, reading: TagsReading = { tags: undefined }) {
    this.http = http;
    this.#reading = reading;
  }

  /**
   * These requests on ONE time budget (the client's `timeBudgetMs`), for a call made of several requests: bulk
   * create, upsert. Without a budget it is this very object.
   */
  scoped(): QrCodeRequests {
    const http = this.http.withBudget();
    return http === this.http ? this : new QrCodeRequests(http, this.#reading);
  }

  /**
   * Creates a QR code (`type` defaults to `url`). With an `externalId` the create is a safe replay, the same rule as
   * bulk create: when a QR code with that externalId is already there (an earlier attempt or run created it) and has
   * the same destination, domain, key and type, it is the answer, as it is; when it differs in those, the create
   * fails with a `conflict` that names them (Create or Update changes an existing code).
   */
  async create(input: CreateQrCodeInput, options: CreateOptions = {}): Promise<QrCode> {
    const body = validateCreate(input);
    try {
      return await this.http.request({
        method: 'POST',
        path: '/qrcodes',
        body,
        schema: qrCodeAnswer(),
        finish: withUnnamed,
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
   * The QR code created with `externalId`: stored as sent, or (`ext_X`) as `X`, since Dub's code drops a leading
   * `ext_` on create. `not_found` when neither exists.
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
    return this.http.request({
      method: 'GET',
      path: '/qrcodes/info',
      query,
      schema: qrCodeAnswer(),
      finish: withUnnamed,
    });
  }

  /** Partial update (`PUT`); `id` may be `ext_<externalId>`. Unchanged input returns the code as it is. */
  async update(id: string, patch: UpdateQrCodeInput): Promise<QrCode> {
    requireId(id);
    const body = validateInput(UpdateQrCodeRequest, compact(patch), 'QR code update', FIELD_NAMES);
    if (Object.keys(body).length === 0) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'Nothing to update: pass at least one field to change, e.g. { url: "https://…" }.',
        issues: [{ field: '', message: 'pass at least one field to change' }],
      });
    }
    return this.http.request({
      method: 'PUT',
      path: `/qrcodes/${encodeURIComponent(id)}`,
      body,
      schema: qrCodeAnswer(),
      finish: withUnnamed,
    });
  }

  /**
   * Deletes a QR code (`id` may be `ext_<externalId>`). Safe to retry: when an answer was lost and the retry finds the
   * code already gone, the delete is reported done (`{ id }` as given).
   */
  async delete(id: string): Promise<{ id: string }> {
    requireId(id);
    try {
      return await this.http.request({
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

  /** QR codes matching `filters`, with their tags unless `withTags: false` (see `listQrCodes`). */
  list(filters: ListQrCodesFilters = {}): Paginated<QrCode> {
    return listQrCodes(this.http, this.#reading, filters);
  }

  /** Every QR code matching `query`, archived ones and tags included, however many pages that takes. */
  listAll(query: Record<string, QueryValue>): Paginated<QrCode> {
    return listAllQrCodes(this.http, this.#reading, query);
  }

  count(filters: CountQrCodesFilters = {}): Promise<number> {
    return countQrCodes(this.http, filters);
  }
}
