import { withMeta } from '../fields/meta.ts';
import { ListQrCodesFilters } from '../qrcodes/list.ts';

/**
 * The filters that narrow QR codes to a domain, tags or a folder, with their labels: one definition for the list
 * operation and the "new QR code" trigger. A function, so an operation's lazy `input` builds them on first use.
 */
export function qrCodeScopeFilters() {
  const F = ListQrCodesFilters.shape;
  return {
    domain: withMeta(F.domain, { label: 'Domain', description: 'Only QR codes on this domain.', options: 'domains' }),
    tagNames: withMeta(F.tagNames, {
      label: 'Tags',
      description: 'Only QR codes with one of these tags.',
      options: 'tags',
    }),
    folderId: withMeta(F.folderId, {
      label: 'Folder',
      description: 'Only QR codes in this folder.',
      options: 'folders',
    }),
  };
}
