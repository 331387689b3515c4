import * as z from 'zod/v4';
import {
  type AnalyticsGroupBy,
  AnalyticsQuery,
  AnalyticsResponse,
  type AnalyticsResult,
} from '../schemas/analytics.ts';
import { Domain, Folder, Tag, TagColor } from '../schemas/common.ts';
import { EventsQuery, ScanEventRow } from '../schemas/events.ts';
import type { HttpClient } from './http.ts';
import { Paginated } from './paginate.ts';
import { validateInput } from './validate.ts';

export type AnalyticsParams<G extends AnalyticsGroupBy = 'count'> = Omit<z.input<typeof AnalyticsQuery>, 'groupBy'> & {
  groupBy?: G;
};

export class Analytics {
  readonly #http: HttpClient;
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Scan analytics: a total (`count`), a `timeseries`, or a breakdown (`countries`, `devices`, …). */
  async retrieve<G extends AnalyticsGroupBy = 'count'>(params: AnalyticsParams<G> = {}): Promise<AnalyticsResult<G>> {
    const query = validateInput(AnalyticsQuery, params, 'analytics query', Object.keys(AnalyticsQuery.shape));
    const schema = AnalyticsResponse[query.groupBy] as unknown as z.ZodType<AnalyticsResult<G>>;
    return this.#http.request({ method: 'GET', path: '/analytics', query, schema });
  }
}

export type EventsParams = z.input<typeof EventsQuery> & { /** iteration only */ maxItems?: number };

export class Events {
  readonly #http: HttpClient;
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Individual scan events (Business plan and up), newest first by default; iterate for more pages. */
  list(params: EventsParams = {}): Paginated<ScanEventRow> {
    const { maxItems, ...rest } = params;
    let query: z.output<typeof EventsQuery>;
    try {
      query = validateInput(EventsQuery, rest, 'events query', Object.keys(EventsQuery.shape));
    } catch (error) {
      return Paginated.failed(error);
    }
    return new Paginated(
      (page, limit) =>
        this.#http.request({
          method: 'GET',
          path: '/events',
          query: { ...query, page, limit },
          schema: z.array(ScanEventRow),
        }),
      { page: query.page, pageSize: query.limit, limit: maxItems },
      (row) => row.click.id,
    );
  }
}

const PageParams = z.object({
  search: z.string().optional(),
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).optional(),
});

function lister<T extends z.ZodType>(http: HttpClient, path: string, schema: T, maxPageSize: number) {
  return (params: z.input<typeof PageParams> = {}): Paginated<z.output<T>> => {
    const q = validateInput(
      PageParams.extend({ pageSize: z.number().int().min(1).max(maxPageSize).optional() }),
      params,
      `${path.slice(1)} query`,
      ['search', 'page', 'pageSize'],
    );
    return new Paginated(
      (page, pageSize) =>
        http.request({ method: 'GET', path, query: { search: q.search, page, pageSize }, schema: z.array(schema) }),
      { page: q.page ?? 1, pageSize: q.pageSize ?? maxPageSize },
    );
  };
}

export class Domains {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Domain>;
  constructor(http: HttpClient) {
    this.list = lister(http, '/domains', Domain, 50);
  }
}

export class Folders {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Folder>;
  constructor(http: HttpClient) {
    this.list = lister(http, '/folders', Folder, 50);
  }
}

export const CreateTagInput = z.object({ name: z.string().trim().min(1).max(50), color: TagColor.optional() });

export class Tags {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Tag>;
  readonly #http: HttpClient;
  constructor(http: HttpClient) {
    this.#http = http;
    this.list = lister(http, '/tags', Tag, 100);
  }

  async create(input: z.input<typeof CreateTagInput>): Promise<Tag> {
    const body = validateInput(CreateTagInput, input, 'tag', ['name', 'color']);
    return this.#http.request({ method: 'POST', path: '/tags', body, schema: Tag });
  }
}
