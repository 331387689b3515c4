import { z } from 'zod/v4';
import { COUNT_GROUP_BYS, LIST_SORTS, QR_CODE_TYPES, QR_LIST_MAX_PAGE_SIZE } from './enums.ts';
import { booleanish, csv, DateParam } from './values.ts';

/**
 * The filters `GET /qrcodes` and `GET /qrcodes/count` share (spec: paths./qrcodes.get.parameters). Filters the
 * sandbox does not model are accepted and ignored (README "Differences" 13), so they are not listed here.
 */
export const QrFilters = z.object({
  domain: z.string().optional(),
  tagId: z.string().optional(),
  tagIds: csv.optional(),
  tagNames: csv.optional(),
  folderId: z.string().optional(),
  search: z.string().optional(),
  showArchived: booleanish.optional(),
  withTags: booleanish.optional(),
  type: z.enum(QR_CODE_TYPES).optional(),
  format: z.enum(['static', 'dynamic']).optional(), // spec: parameters[format].schema.enum
  createdAfter: DateParam.optional(),
  createdBefore: DateParam.optional(),
  scansMin: z.coerce.number().int().min(0).optional(), // spec: parameters[scansMin] integer, minimum 0
  scansMax: z.coerce.number().int().min(0).optional(), // spec: parameters[scansMax] integer, minimum 0
});
export type QrFilters = z.output<typeof QrFilters>;

/** `GET /qrcodes`: the filters, one of the spec's sorts, and 1-based pages of at most 100 (the default). */
export const QrListQuery = QrFilters.extend({
  sort: z.enum(LIST_SORTS).default('createdAt'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(QR_LIST_MAX_PAGE_SIZE).default(QR_LIST_MAX_PAGE_SIZE),
});

/** `GET /qrcodes/count`: the filters and an optional grouping. */
export const QrCountQuery = QrFilters.extend({ groupBy: z.enum(COUNT_GROUP_BYS).optional() });
