import type { CodeQrClient } from '../client/create.ts';
import type { Paginated } from '../client/paginate.ts';
import type { Domain, Folder, Tag } from '../schemas/common.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import type { FieldOption } from './describe.ts';
import type { DynamicOptionSource } from './meta.ts';

/** One dynamic source: how to list its records and which value is stored and which label is shown for each. */
interface OptionSource<T> {
  resource: string;
  list(client: CodeQrClient, search: string | undefined): Paginated<T>;
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
    list: (client, search) => client.domains.list({ search }),
    option: (d: Domain) => ({ value: d.slug, label: d.slug }),
  }),
  tags: source({
    resource: 'tag',
    list: (client, search) => client.tags.list({ search }),
    option: (t: Tag) => ({ value: t.name, label: t.name }),
  }),
  folders: source({
    resource: 'folder',
    list: (client, search) => client.folders.list({ search }),
    option: (f: Folder) => ({ value: f.id, label: f.name }),
  }),
  qrCodes: source({
    resource: 'qrCode',
    list: (client, search) => client.qrcodes.list({ search, showArchived: false }),
    option: (qr: QrCode) => ({ value: qr.id, label: qr.title ? `${qr.title} (${qr.shortLink})` : qr.shortLink }),
  }),
};

export interface ListOptionsParams {
  search?: string;
  /** At most this many options (default 100). */
  limit?: number;
}

/** The choices of a dynamic dropdown (`.meta({ options })`), as `{ value, label }`. */
export async function listOptions(
  client: CodeQrClient,
  source: DynamicOptionSource,
  params: ListOptionsParams = {},
): Promise<FieldOption[]> {
  const { list, option } = DYNAMIC_OPTIONS[source];
  const records = await list(client, params.search?.trim() || undefined).toArray({ limit: params.limit ?? 100 });
  return records.map(option);
}
