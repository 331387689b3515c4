import * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { type PageParams, type Paginated, pagedLister } from '../client/paginate.ts';
import { validateInput } from '../client/validate.ts';
import { Tag, TagColor } from '../schemas/common.ts';

export const CreateTagInput = z.object({ name: z.string().trim().min(1).max(50), color: TagColor.optional() });

export class Tags {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Tag>;
  readonly #http: HttpClient;
  constructor(http: HttpClient) {
    this.#http = http;
    this.list = pagedLister(http, '/tags', Tag, 100);
  }

  async create(input: z.input<typeof CreateTagInput>): Promise<Tag> {
    const body = validateInput(CreateTagInput, input, 'tag', ['name', 'color']);
    return this.#http.request({ method: 'POST', path: '/tags', body, schema: Tag });
  }
}
