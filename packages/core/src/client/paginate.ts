import * as z from 'zod/v4';
import { CodeQrError } from '../errors.ts';
import type { HttpClient } from './http.ts';
import { validateInput } from './validate.ts';

export interface PageOptions {
  /** First page to read (1-based). */
  page: number;
  pageSize: number;
  /** Stop after this many items in total (iteration only). */
  limit?: number;
  /** Hard cap on pages per iteration (default 1,000). */
  maxPages?: number;
}

/**
 * A list answer: `await` it for one page, or `for await` it to walk pages until a short page (CodeQR lists are bare
 * arrays with no cursor), `limit` items or `maxPages`. Items repeated across pages (inserts shifting offsets) are
 * yielded once.
 */
export class Paginated<T> implements AsyncIterable<T>, PromiseLike<T[]> {
  private readonly fetchPage: (page: number, pageSize: number) => Promise<T[]>;
  private readonly options: PageOptions;
  private readonly idOf: (item: T) => string | undefined;

  constructor(
    fetchPage: (page: number, pageSize: number) => Promise<T[]>,
    options: PageOptions,
    idOf: (item: T) => string | undefined = (item) => (item as { id?: string }).id,
  ) {
    this.fetchPage = fetchPage;
    this.options = options;
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
    return this.fetchPage(this.options.page, this.options.pageSize).then(onfulfilled, onrejected);
  }

  async *pages(): AsyncGenerator<T[]> {
    const { pageSize, limit, maxPages = 1000 } = this.options;
    const seen = new Set<string>();
    let emitted = 0;
    for (let page = this.options.page, n = 0; n < maxPages; page++, n++) {
      const rows = await this.fetchPage(page, pageSize);
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
    // never fetch a bigger page than the items wanted (from page 1, so offsets stay aligned)
    const pageSize = this.options.page === 1 ? Math.min(this.options.pageSize, options.limit) : this.options.pageSize;
    const bounded = new Paginated(this.fetchPage, { ...this.options, pageSize, limit: options.limit }, this.idOf);
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
          (page, pageSize) =>
            http.request({ method: 'GET', path, query: { search: q.search, page, pageSize }, schema: z.array(schema) }),
          { page: q.page ?? 1, pageSize: q.pageSize ?? maxPageSize },
        ),
    );
}
