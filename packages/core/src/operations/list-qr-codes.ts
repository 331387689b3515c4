import * as z from 'zod/v4';
import { withMeta } from '../fields/meta.ts';
import { ListQrCodesFilters } from '../qrcodes/list.ts';
import { QrCode } from '../schemas/qr-code.ts';
import { defineOperation } from './define.ts';
import { thousands } from './format.ts';
import { qrCodeScopeFilters } from './qr-code-filters.ts';
import { qrCodeSample } from './samples.ts';

/** The most QR codes one "return all" call collects. */
export const LIST_RETURN_ALL_MAX = 10_000;

const F = ListQrCodesFilters.shape;
const advanced = true;

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const listInput = () =>
  ListQrCodesFilters.pick({
    search: true,
    domain: true,
    tagNames: true,
    folderId: true,
    type: true,
    showArchived: true,
    createdAfter: true,
    createdBefore: true,
    sort: true,
  }).extend({
    search: withMeta(F.search, {
      label: 'Search',
      description: 'Matches the short link, destination URL or title.',
      placeholder: 'menu',
    }),
    ...qrCodeScopeFilters(),
    type: withMeta(F.type, { label: 'Type', description: 'Only QR codes of this type.', advanced }),
    showArchived: withMeta(F.showArchived, {
      label: 'Include Archived',
      description: 'Also list archived QR codes.',
      initial: false,
      advanced,
    }),
    createdAfter: withMeta(F.createdAfter, {
      label: 'Created After',
      description: 'Only QR codes created after this moment (ISO 8601).',
      format: 'date-time',
      advanced,
    }),
    createdBefore: withMeta(F.createdBefore, {
      label: 'Created Before',
      description: 'Only QR codes created before this moment (ISO 8601).',
      format: 'date-time',
      advanced,
    }),
    sort: withMeta(F.sort, {
      label: 'Sort By',
      description: 'Newest first by this field (default: creation date).',
      optionLabels: { createdAt: 'Created At', scans: 'Scans', lastClicked: 'Last Scanned' },
      advanced,
    }),
    returnAll: withMeta(z.boolean().default(false), {
      label: 'Return All',
      description: `Return every match (at most ${thousands(LIST_RETURN_ALL_MAX)}) instead of the first Limit.`,
    }),
    limit: withMeta(z.number().int().min(1).max(LIST_RETURN_ALL_MAX).default(50), {
      label: 'Limit',
      description: 'How many QR codes to return at most.',
    }),
  });

export const listQrCodes = defineOperation({
  key: 'listQrCodes',
  answers: 'list',
  resource: 'qrCode',
  verb: 'list',
  title: 'List QR Codes',
  description: 'Lists QR codes, newest first, optionally filtered by search, domain, tags or folder.',
  get input() {
    return listInput();
  },
  output: z.array(QrCode),
  sample: [qrCodeSample],
  run: (client, { returnAll, limit, ...filters }) =>
    client.qrcodes.list(filters).toArray({ limit: returnAll ? LIST_RETURN_ALL_MAX : limit }),
});
