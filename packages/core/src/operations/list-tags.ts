import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { Tag } from '../schemas/common.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';

/** The most tags one "return all" call collects. */
export const LIST_TAGS_MAX = 1_000;

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const listTagsInput = () =>
  z.object({
    search: withMeta(z.string().optional(), {
      label: 'Search',
      description: 'Only tags whose name contains this text.',
      placeholder: 'menu',
    }),
    returnAll: withMeta(z.boolean().default(false), {
      label: 'Return All',
      description: `Return every tag (at most ${thousands(LIST_TAGS_MAX)}) instead of the first Limit.`,
    }),
    limit: withMeta(z.number().int().min(1).max(LIST_TAGS_MAX).default(50), {
      label: 'Limit',
      description: 'How many tags to return at most.',
    }),
  });

export const listTags = defineOperation({
  key: 'listTags',
  answers: 'list',
  resource: 'tag',
  verb: 'list',
  title: 'List Tags',
  description: 'Lists the tags of the workspace (name, colour and ID), optionally filtered by name.',
  get input() {
    return listTagsInput();
  },
  output: z.array(Tag),
  sample: [{ id: 'tag_cm8x2k4qz0001', name: 'Spring', color: 'green' }],
  run: (client, { returnAll, limit, search }) =>
    client.tags.list(search ? { search } : {}).toArray({ limit: returnAll ? LIST_TAGS_MAX : limit }),
});
