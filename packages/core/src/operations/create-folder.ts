import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { Folder } from '../schemas/common.ts';
import { defineOperation } from './define.ts';

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const createFolderInput = () =>
  z.object({
    name: withMeta(z.string().trim().min(3).max(190), {
      label: 'Name',
      description: 'The folder name (3-190 characters).',
      placeholder: 'Campaigns',
    }),
    accessLevel: withMeta(z.enum(['write', 'read']).optional(), {
      label: 'Access Level',
      description: "What the workspace's other members may do in the folder. Empty: CodeQR's default.",
      optionLabels: { write: 'Write', read: 'Read Only' },
    }),
  });

export const createFolder = defineOperation({
  key: 'createFolder',
  answers: 'data',
  resource: 'folder',
  verb: 'create',
  title: 'Create Folder',
  description: 'Creates a folder, to put QR codes in (Folder field).',
  get input() {
    return createFolderInput();
  },
  output: Folder,
  sample: {
    id: 'fold_cm8x2k4qz0001',
    name: 'Campaigns',
    type: 'default',
    accessLevel: null,
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
  },
  run: (client, input) => client.folders.create(input),
});
