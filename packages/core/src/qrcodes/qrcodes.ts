import type { HttpClient } from '../client/http.ts';
import type { Paginated } from '../client/paginate.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { type BulkCreateOptions, bulkCreate } from './bulk-create.ts';
import { bulkDelete } from './bulk-delete.ts';
import type { BulkItemResult } from './bulk-items.ts';
import type { CountQrCodesFilters, ListQrCodesFilters } from './list.ts';
import {
  type CreateOptions,
  type CreateQrCodeInput,
  QrCodeRequests,
  type QrCodeTarget,
  type UpdateQrCodeInput,
} from './requests.ts';
import { upsert } from './upsert.ts';
import { upsertMany } from './upsert-many.ts';
import type { UpsertManyOptions, UpsertManyResult, UpsertOptions, UpsertResult } from './upsert-match.ts';

/**
 * `client.qrcodes`, the roof of `qrcodes/`: create, get, update (PUT), delete, list and count are single requests
 * (`requests.ts`); bulk create, bulk delete and upsert are built on them and run on ONE time budget each.
 */
export class QrCodes {
  readonly #requests: QrCodeRequests;

  constructor(http: HttpClient) {
    this.#requests = new QrCodeRequests(http);
  }

  /**
   * Creates a QR code (`type` defaults to `url`). With an `externalId` the create is a safe replay, the same rule as
   * bulk create: when a QR code with that externalId is already there (an earlier attempt or run created it) and has
   * the same destination, domain, key and type, it is the answer, as it is; when it differs in those, the create
   * fails with a `conflict` that names them (Create or Update changes an existing code).
   */
  create(input: CreateQrCodeInput, options: CreateOptions = {}): Promise<QrCode> {
    return this.#requests.create(input, options);
  }

  /**
   * One QR code by `{ id }`, `{ externalId }` or `{ domain, key }`. An externalId `ext_X` also finds a code CodeQR
   * stored as `X` (Dub's code drops a leading `ext_` on create) when none is stored as `ext_X`.
   */
  get(target: QrCodeTarget): Promise<QrCode> {
    return this.#requests.get(target);
  }

  /** Partial update (`PUT`); `id` may be `ext_<externalId>`. Unchanged input returns the code as it is. */
  update(id: string, patch: UpdateQrCodeInput): Promise<QrCode> {
    return this.#requests.update(id, patch);
  }

  /**
   * Deletes a QR code (`id` may be `ext_<externalId>`). Safe to retry: when an answer was lost and the retry finds the
   * code already gone, the delete is reported done (`{ id }` as given).
   */
  delete(id: string): Promise<{ id: string }> {
    return this.#requests.delete(id);
  }

  /**
   * Lists QR codes with their tags: `await` for one page, `for await` (or `.toArray({ limit })`) for all matching
   * ones. `withTags: false` skips the tags.
   */
  list(filters: ListQrCodesFilters = {}): Paginated<QrCode> {
    return this.#requests.list(filters);
  }

  count(filters: CountQrCodesFilters = {}): Promise<number> {
    return this.#requests.count(filters);
  }

  /**
   * Creates any number of QR codes in chunks of 100, answering one result per input item, in input order. Every item
   * gets an externalId unless it has one (or `assignExternalIds: false`), so a chunk whose answer was lost is sent
   * again and its items are looked up: nothing is lost, nothing is created twice. It never rejects once anything was
   * sent; an item whose fate could not be settled fails with `outcome_unknown` and its `externalId`.
   */
  bulkCreate(items: readonly CreateQrCodeInput[], options: BulkCreateOptions = {}): Promise<BulkItemResult[]> {
    return bulkCreate(this.#requests.scoped(), items, options);
  }

  /**
   * Deletes by id in chunks of 100; unknown ids are ignored by CodeQR. A chunk whose answer was lost is sent again,
   * and then every id of it counts as deleted (they are all gone, whichever attempt removed them).
   */
  bulkDelete(ids: readonly string[]): Promise<{ deletedCount: number }> {
    return bulkDelete(this.#requests.http, ids);
  }

  /**
   * Creates the QR code, or updates the existing one when something differs (`unchanged`: nothing was written).
   * Matches by `externalId` when given (exact and unique), else by exact destination URL, the oldest code with it.
   */
  upsert(input: CreateQrCodeInput, options: UpsertOptions = {}): Promise<UpsertResult> {
    return upsert(this.#requests.scoped(), input, options);
  }

  /**
   * Upserts many QR codes: one result per input item, in input order (`created`, `updated`, `unchanged`, or why it
   * failed). Existing codes are found with one read of the whole project when the input is a large share of it,
   * else one lookup per item; new ones are created in bulk (exactly once, like `bulkCreate`); changed ones are
   * updated with one PUT each (CodeQR has no bulk update).
   */
  upsertMany(items: readonly CreateQrCodeInput[], options: UpsertManyOptions = {}): Promise<UpsertManyResult[]> {
    return upsertMany(this.#requests.scoped(), items, options);
  }
}
