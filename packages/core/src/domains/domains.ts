import type * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { type PageParams, type Paginated, pagedLister } from '../client/paginate.ts';
import { Domain } from '../schemas/common.ts';

export class Domains {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Domain>;
  constructor(http: HttpClient) {
    this.list = pagedLister(http, '/domains', Domain, 50);
  }
}
