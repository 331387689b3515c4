import type * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { type PageParams, type Paginated, pagedLister } from '../client/paginate.ts';
import { Folder } from '../schemas/common.ts';

export class Folders {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Folder>;
  constructor(http: HttpClient) {
    this.list = pagedLister(http, '/folders', Folder, 50);
  }
}
