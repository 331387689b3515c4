import type { Paginated } from '../client/paginate.ts';
import type { CodeQrClient } from '../create-client.ts';
import { CodeQrError } from '../errors.ts';
import type { FieldOption } from '../fields/describe.ts';
import type { DynamicOptionSource } from '../fields/meta.ts';
import type { Domain, Folder, Tag } from '../schemas/common.ts';
import type { QrCode } from '../schemas/qr-code.ts';

/** One dynamic source: how to list its records and which value is stored and which label is shown for each. */
interface OptionSource<T> {
  resource: string;
  /** One source's list; `page` (1-based) starts the list at that page (hosts whose dropdowns page themselves). */
  list(client: CodeQrClient, search: string | undefined, page?: number): Paginated<T>;
  option(record: T): FieldOption;
}

const source = <T>(definition: OptionSource<T>) => definition as OptionSource<unknown>;

/**
 * Every dynamic dropdown source (`.meta({ options })`), defined once: n8n's `loadOptions`, Zapier's hidden list
 * triggers and any other host fill their choices through `listOptions`, so they all show the same labels.
 */
export const DYNAMIC_OPTIONS: Record<DynamicOptionSource, OptionSource<unknown>> = {
  domains: source({
    resource: 'domain',
    list: (client, search, page) => client.domains.list({ search, page }),
    option: (d: Domain) => ({ value: d.slug, label: d.slug }),
  }),
  tags: source({
    resource: 'tag',
    list: (client, search, page) => client.tags.list({ search, page }),
    option: (t: Tag) => ({ value: t.name, label: t.name }),
  }),
  folders: source({
    resource: 'folder',
    list: (client, search, page) => client.folders.list({ search, page }),
    option: (f: Folder) => ({ value: f.id, label: f.name }),
  }),
  qrCodes: source({
    resource: 'qrCode',
    list: (client, search, page) => client.qrcodes.list({ search, showArchived: false, page }),
    option: (qr: QrCode) => ({ value: qr.id, label: qr.title ? `${qr.title} (${qr.shortLink})` : qr.shortLink }),
  }),
};

export interface ListOptionsParams {
  search?: string;
  /** At most this many options (default 100). */
  limit?: number;
  /**
   * Only this page (1-based) of the source's own page size, for hosts whose dropdowns load page by page (Zapier's
   * `bundle.meta.page`); an empty answer means there are no more pages. `limit` is ignored then.
   */
  page?: number;
}

/** The choices of a dynamic dropdown (`.meta({ options })`), as `{ value, label }`. */
export async function listOptions(
  client: CodeQrClient,
  source: DynamicOptionSource,
  params: ListOptionsParams = {},
): Promise<FieldOption[]> {
  const entry = Object.hasOwn(DYNAMIC_OPTIONS, source) ? DYNAMIC_OPTIONS[source] : undefined;
  if (!entry) {
    const known = Object.keys(DYNAMIC_OPTIONS).join(', ');
    throw new CodeQrError({
      code: 'invalid_configuration',
      message: `listOptions has no dropdown source "${String(source)}"; use one of ${known}.`,
      issues: [{ field: 'source', message: `must be one of ${known}` }],
    });
  }
  const { list, option } = entry;
  const search = params.search?.trim() || undefined;
  if (params.page !== undefined) return (await list(client, search, params.page)).map(option);
  const records = await list(client, search).toArray({ limit: params.limit ?? 100 });
  return records.map(option);
}
