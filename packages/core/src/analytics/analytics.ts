import type * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { validateInput } from '../client/validate.ts';
import {
  type AnalyticsGroupBy,
  AnalyticsQuery,
  AnalyticsResponse,
  type AnalyticsResult,
} from '../schemas/analytics.ts';

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
