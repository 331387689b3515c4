import * as z from 'zod/v4';
import type { HttpClient, QueryValue } from '../client/http.ts';
import { Paginated } from '../client/paginate.ts';
import { validateInput } from '../client/validate.ts';
import { DateParam } from '../schemas/analytics.ts';
import { QrCodeType } from '../schemas/common.ts';
import { LIST_SORTS, QR_LIST_MAX_PAGE_SIZE, QrCode } from '../schemas/qr-code.ts';

/** Listing and counting QR codes (`GET /qrcodes`, `/qrcodes/count`), with tags however this CodeQR reads `withTags`. */

export const ListQrCodesFilters = z.object({
  search: z.string().optional(),
  domain: z.string().optional(),
  tagIds: z.array(z.string()).optional(),
  tagNames: z.array(z.string()).optional(),
  folderId: z.string().optional(),
  type: QrCodeType.optional(),
  format: z.enum(['static', 'dynamic']).optional(),
  showArchived: z.boolean().optional(),
  withTags: z.boolean().optional(),
  createdAfter: DateParam.optional(),
  createdBefore: DateParam.optional(),
  scansMin: z.number().int().min(0).optional(),
  scansMax: z.number().int().min(0).optional(),
  sort: z.enum(LIST_SORTS).optional(),
  page: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(QR_LIST_MAX_PAGE_SIZE).optional(),
  /** Iteration only: stop after this many QR codes. */
  limit: z.number().int().min(1).optional(),
});
export type ListQrCodesFilters = z.input<typeof ListQrCodesFilters>;
export type CountQrCodesFilters = Omit<ListQrCodesFilters, 'page' | 'pageSize' | 'limit' | 'sort'>;
const FILTER_NAMES = Object.keys(ListQrCodesFilters.shape);

/** How this CodeQR answers `withTags` on lists, once an answer told (see `listPage`); shared by scoped views. */
export type TagsReading = { tags: 'ask' | 'always' | undefined };

/** Lists QR codes page by page, with their tags unless `withTags: false`. */
export function listQrCodes(http: HttpClient, reading: TagsReading, filters: ListQrCodesFilters): Paginated<QrCode> {
  return Paginated.validated(
    () => validateInput(ListQrCodesFilters, filters, 'QR code filter', FILTER_NAMES),
    (f) => {
      const { limit, page: first, pageSize: size, withTags, ...query } = f;
      return new Paginated(
        (page, pageSize, deadline) => listPage(http, reading, query, page, pageSize, withTags !== false, deadline),
        { page: first ?? 1, pageSize: size ?? QR_LIST_MAX_PAGE_SIZE, limit, budget: http },
      );
    },
  );
}

/** Every QR code matching `query`, archived ones and tags included, however many pages that takes. */
export function listAllQrCodes(
  http: HttpClient,
  reading: TagsReading,
  query: Record<string, QueryValue>,
): Paginated<QrCode> {
  return new Paginated(
    (page, pageSize, deadline) =>
      listPage(http, reading, { ...query, showArchived: true }, page, pageSize, true, deadline),
    { page: 1, pageSize: QR_LIST_MAX_PAGE_SIZE, maxPages: Number.POSITIVE_INFINITY, budget: http },
  );
}

/** How many QR codes match `filters`. */
export async function countQrCodes(http: HttpClient, filters: CountQrCodesFilters): Promise<number> {
  const f = validateInput(
    ListQrCodesFilters.omit({ page: true, pageSize: true, limit: true, sort: true }),
    filters,
    'QR code filter',
    FILTER_NAMES,
  );
  return http.request({ method: 'GET', path: '/qrcodes/count', query: f, schema: z.number() });
}

/**
 * One page of `GET /qrcodes`, with tags when `withTags`. The spec says `withTags=true` includes the tags (left out
 * otherwise); Dub's code, which CodeQR's server descends from, always includes them and reads `withTags=true` as
 * "only codes that have a tag". So the page is read without it first: empty, or carrying tags, it is the answer.
 * Otherwise it is read once more with `withTags=true`: the same codes (now with tags) means the spec's reading,
 * only tagged ones means Dub's. The first page that tells them apart settles it for this client.
 */
async function listPage(
  http: HttpClient,
  reading: TagsReading,
  query: Record<string, QueryValue>,
  page: number,
  pageSize: number,
  withTags: boolean,
  deadline: number | undefined,
): Promise<QrCode[]> {
  const read = (asked: boolean) =>
    http.request({
      method: 'GET',
      path: '/qrcodes',
      query: asked ? { ...query, withTags: true, page, pageSize } : { ...query, page, pageSize },
      schema: z.array(QrCode),
      deadline,
    });
  if (reading.tags === 'ask' && withTags) return read(true);
  const plain = await read(false);
  if (!withTags || reading.tags === 'always' || plain.length === 0) return plain;
  const tagged = (qr: QrCode) => Array.isArray(qr.tags) && qr.tags.length > 0;
  if (plain.some(tagged)) {
    reading.tags = 'always'; // tags came unasked: Dub's reading
    return plain;
  }
  const asked = await read(true);
  const inPlain = new Set(plain.map((qr) => qr.id));
  if (asked.length < plain.length && asked.every((qr) => tagged(qr) && inPlain.has(qr.id))) {
    reading.tags = 'always'; // withTags=true kept only the tagged codes: Dub's reading
    return plain;
  }
  if (asked.length === plain.length && asked.every((qr, i) => qr.id === plain[i]!.id)) {
    reading.tags = 'ask';
    return asked;
  }
  // the list moved between the two reads: the first read's codes, with the tags the second one knew
  const tags = new Map(asked.map((qr) => [qr.id, qr.tags]));
  return plain.map((qr) => (tags.has(qr.id) ? { ...qr, tags: tags.get(qr.id) ?? null } : qr));
}
