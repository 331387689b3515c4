import * as z from 'zod/v4';
import { CodeQrError } from '../errors.ts';
import type { HttpClient } from './http.ts';
import { validateInput } from './validate.ts';

export interface PageOptions {
  /** First page to read (1-based). */
  page: number;
  pageSize: number;
  /** At most this many items: for `await` (one page), `for await`, `pages()` and `toArray` alike. */
  limit?: number;
  /** Hard cap on pages per iteration (default 1,000). */
  maxPages?: number;
  /**
   * Where a walk over several pages gets its ONE time budget: pass the HttpClient (`{ budget: http }`) and forward
   * the third `fetchPage` argument as the request's `deadline`, so `toArray` and `for await` share one budget.
   */
  budget?: { deadline(): number | undefined };
}

/** Reads one page; `deadline` (epoch ms) is the walk's shared time budget, to pass on as `RequestSpec.deadline`. */
export type FetchPage<T> = (page: number, pageSize: number, deadline: number | undefined) => Promise<T[]>;

/**
 * A list answer: `await` it for one page, or `for await` it to walk pages until a short page (CodeQR lists are bare
 * arrays with no cursor), `limit` items or `maxPages`. Items repeated across pages (inserts shifting offsets) are
 * yielded once. `limit` always means "at most that many items": a page is never read bigger than needed (from
 * page 1, where offsets stay aligned) and never answered longer.
 */
export class Paginated<T> implements AsyncIterable<T>, PromiseLike<T[]> {
  private readonly fetchPage: FetchPage<T>;
  private readonly options: PageOptions;
  private readonly idOf: (item: T) => string | undefined;

  constructor(
    fetchPage: FetchPage<T>,
    options: PageOptions,
    idOf: (item: T) => string | undefined = (item) => (item as { id?: string }).id,
  ) {
    this.fetchPage = fetchPage;
    const { page, pageSize, limit } = options;
    // never read a bigger page than the items wanted (from page 1 only, so later offsets stay aligned)
    this.options = limit !== undefined && page === 1 && limit < pageSize ? { ...options, pageSize: limit } : options;
    this.idOf = idOf;
  }

  /**
   * A list built from validated parameters; when `validate` throws (invalid filters), every read of the list rejects
   * with that error, so it surfaces where the caller awaits or iterates.
   */
  static validated<V, T>(validate: () => V, make: (value: V) => Paginated<T>): Paginated<T> {
    let value: V;
    try {
      value = validate();
    } catch (error) {
      return new Paginated<T>(() => Promise.reject(error), { page: 1, pageSize: 1 });
    }
    return make(value);
  }

  // biome-ignore lint/suspicious/noThenProperty: a list is deliberately awaitable for its first page (Stripe-style)
  then<R1 = T[], R2 = never>(
    onfulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    const { page, pageSize, limit, budget } = this.options;
    return this.fetchPage(page, pageSize, budget?.deadline())
      .then((rows) => (limit !== undefined && rows.length > limit ? rows.slice(0, limit) : rows))
      .then(onfulfilled, onrejected);
  }

  async *pages(): AsyncGenerator<T[]> {
    const { pageSize, limit, maxPages = 1000, budget } = this.options;
    const deadline = budget?.deadline();
    const seen = new Set<string>();
    let emitted = 0;
    for (let page = this.options.page, n = 0; n < maxPages; page++, n++) {
      const rows = await this.fetchPage(page, pageSize, deadline);
      const fresh = rows.filter((row) => {
        const id = this.idOf(row);
        if (id === undefined) return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      const room = limit === undefined ? fresh.length : Math.max(0, limit - emitted);
      const out = fresh.slice(0, room);
      emitted += out.length;
      if (out.length > 0) yield out;
      if (rows.length < pageSize || (limit !== undefined && emitted >= limit)) return;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page;
  }

  /** Collects items across pages; `limit` is required so "return all" is always bounded. */
  async toArray(options: { limit: number }): Promise<T[]> {
    if (!Number.isInteger(options?.limit) || options.limit < 1) {
      throw new CodeQrError({
        code: 'validation_error',
        message: 'toArray needs a positive integer limit, e.g. { limit: 1000 }.',
        issues: [{ field: 'limit', message: 'must be a positive integer' }],
      });
    }
    const out: T[] = [];
    const limit = Math.min(options.limit, this.options.limit ?? Number.POSITIVE_INFINITY);
    const bounded = new Paginated(this.fetchPage, { ...this.options, limit }, this.idOf);
    for await (const item of bounded) out.push(item);
    return out;
  }
}

/** Query of the simple lists (domains, tags, folders). */
export const PageParams = z.object({
  search: z.string().optional(),
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).optional(),
});

export function pagedLister<T extends z.ZodType>(http: HttpClient, path: string, schema: T, maxPageSize: number) {
  return (params: z.input<typeof PageParams> = {}): Paginated<z.output<T>> =>
    Paginated.validated(
      () =>
        validateInput(
          PageParams.extend({ pageSize: z.number().int().min(1).max(maxPageSize).optional() }),
          params,
          `${path.slice(1)} query`,
          ['search', 'page', 'pageSize'],
        ),
      (q) =>
        new Paginated(
          (page, pageSize, deadline) =>
            http.request({
              method: 'GET',
              path,
              query: { search: q.search, page, pageSize },
              schema: z.array(schema),
              deadline,
            }),
          { page: q.page ?? 1, pageSize: q.pageSize ?? maxPageSize, budget: http },
        ),
    );
}
