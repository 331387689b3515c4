import type { CodeQrClient } from '../client/create.ts';
import type { FieldOption } from './describe.ts';
import type { DynamicOptionSource } from './meta.ts';

/**
 * How each dynamic source fills a dropdown: which property of the listed record is the stored value and which is
 * shown. Zapier's `dynamic: 'listTags.name.name'` and n8n's `loadOptions` are built from this.
 */
export const DYNAMIC_OPTIONS = {
  domains: { resource: 'domain', value: 'slug', label: 'slug' },
  tags: { resource: 'tag', value: 'name', label: 'name' },
  folders: { resource: 'folder', value: 'id', label: 'name' },
  qrCodes: { resource: 'qrCode', value: 'id', label: 'shortLink' },
} as const satisfies Record<DynamicOptionSource, { resource: string; value: string; label: string }>;

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
  const limit = params.limit ?? 100;
  const search = params.search?.trim() || undefined;
  switch (source) {
    case 'domains': {
      const domains = await client.domains.list({ search }).toArray({ limit });
      return domains.map((d) => ({ value: d.slug, label: d.slug }));
    }
    case 'tags': {
      const tags = await client.tags.list({ search }).toArray({ limit });
      return tags.map((t) => ({ value: t.name, label: t.name }));
    }
    case 'folders': {
      const folders = await client.folders.list({ search }).toArray({ limit });
      return folders.map((f) => ({ value: f.id, label: f.name }));
    }
    case 'qrCodes': {
      const codes = await client.qrcodes.list({ search, showArchived: false }).toArray({ limit });
      return codes.map((qr) => ({ value: qr.id, label: qr.title ? `${qr.title} (${qr.shortLink})` : qr.shortLink }));
    }
  }
}
