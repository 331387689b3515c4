import { z } from 'zod/v4';
import { TAG_COLORS } from './enums.ts';

/**
 * `POST /tags` (spec: paths./tags.post.requestBody): `name` or its alias `tag`, and a colour from the spec's list.
 * The 1-50 length is Dub's tag-name rule (the spec sets none); an empty name is answered by the route.
 */
export const WireCreateTagBody = z.object({
  name: z.string().min(1).max(50).nullish(),
  tag: z.string().min(1).max(50).nullish(),
  color: z.enum(TAG_COLORS).optional(),
});
