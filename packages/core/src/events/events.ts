import type * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { Paginated } from '../client/paginate.ts';
import { validateInput } from '../client/validate.ts';
import { EventsQuery, type ScanEventRow, ScanEventRows } from '../schemas/events.ts';

export type EventsParams = z.input<typeof EventsQuery>;

export class Events {
  readonly #http: HttpClient;
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Individual scan events (Business plan and up), newest first by default; iterate for more pages. */
  list(params: EventsParams = {}): Paginated<ScanEventRow> {
    return Paginated.validated(
      () => validateInput(EventsQuery, params, 'events query', Object.keys(EventsQuery.shape)),
      (query) =>
        new Paginated(
          (page, limit) =>
            this.#http.request({
              method: 'GET',
              path: '/events',
              query: { ...query, page, limit },
              schema: ScanEventRows,
            }),
          { page: query.page, pageSize: query.limit },
          (row) => row.click.id,
        ),
    );
  }
}
