import * as z from 'zod/v4';
import type { HttpClient } from '../client/http.ts';
import { type PageParams, type Paginated, pagedLister } from '../client/paginate.ts';
import { validateInput } from '../client/validate.ts';
import { Folder } from '../schemas/common.ts';

/** `POST /folders` (spec: `name` 3-190 characters, `accessLevel` write | read | null). */
export const CreateFolderInput = z.object({
  name: z.string().trim().min(3).max(190),
  accessLevel: z.enum(['write', 'read']).nullish(),
});

export class Folders {
  readonly list: (params?: z.input<typeof PageParams>) => Paginated<Folder>;
  readonly #http: HttpClient;
  constructor(http: HttpClient) {
    this.#http = http;
    this.list = pagedLister(http, '/folders', Folder, 50);
  }

  async create(input: z.input<typeof CreateFolderInput>): Promise<Folder> {
    const body = validateInput(CreateFolderInput, input, 'folder', ['name', 'accessLevel']);
    return this.#http.request({ method: 'POST', path: '/folders', body, schema: Folder });
  }
}
