import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { TAG_COLORS, Tag } from '../schemas/common.ts';
import { defineOperation } from './define.ts';

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const createTagInput = () =>
  z.object({
    name: withMeta(z.string().trim().min(1).max(50), {
      label: 'Name',
      description: 'The tag name (1-50 characters), unique in the workspace.',
      placeholder: 'Spring',
    }),
    color: withMeta(z.enum(TAG_COLORS).optional(), {
      label: 'Color',
      description: 'The tag colour in the CodeQR dashboard. CodeQR picks one when empty.',
    }),
  });

export const createTag = defineOperation({
  key: 'createTag',
  answers: 'data',
  resource: 'tag',
  verb: 'create',
  title: 'Create Tag',
  description: 'Creates a tag, to give QR codes by name (Tags field).',
  get input() {
    return createTagInput();
  },
  output: Tag,
  sample: { id: 'tag_cm8x2k4qz0001', name: 'Spring', color: 'green' },
  run: (client, input) => client.tags.create(input),
});
