import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { Folder } from '../schemas/common.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';

/** The most folders one "return all" call collects. */
export const LIST_FOLDERS_MAX = 1_000;

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const listFoldersInput = () =>
  z.object({
    search: withMeta(z.string().optional(), {
      label: 'Search',
      description: 'Only folders whose name contains this text.',
      placeholder: 'campaigns',
    }),
    returnAll: withMeta(z.boolean().default(false), {
      label: 'Return All',
      description: `Return every folder (at most ${thousands(LIST_FOLDERS_MAX)}) instead of the first Limit.`,
    }),
    limit: withMeta(z.number().int().min(1).max(LIST_FOLDERS_MAX).default(50), {
      label: 'Limit',
      description: 'How many folders to return at most.',
    }),
  });

export const listFolders = defineOperation({
  key: 'listFolders',
  answers: 'list',
  resource: 'folder',
  verb: 'list',
  title: 'List Folders',
  description: 'Lists the folders of the workspace (name and ID), optionally filtered by name.',
  get input() {
    return listFoldersInput();
  },
  output: z.array(Folder),
  sample: [
    {
      id: 'fold_cm8x2k4qz0001',
      name: 'Campaigns',
      type: 'default',
      accessLevel: null,
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
    },
  ],
  run: (client, { returnAll, limit, search }) =>
    client.folders.list(search ? { search } : {}).toArray({ limit: returnAll ? LIST_FOLDERS_MAX : limit }),
});
