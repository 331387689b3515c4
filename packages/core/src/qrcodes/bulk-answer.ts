import { BULK_ITEM_ERROR_CODES } from '../schemas/errors.ts';
import { BulkItemError, type QrCode } from '../schemas/qr-code.ts';
import { parseQrCodeAnswer } from './answer.ts';
import { type ChunkItem, type CreatedResult, itemError, unknownOutcome } from './bulk-items.ts';
import { type OpenItem, settle } from './bulk-settle.ts';
import { externalIdForms, sameExternalId } from './compare.ts';
import type { QrCodeRequests } from './requests.ts';

/** The identity an answer entry (or an item sent) names: what ties an entry to its item, never its position. */
type Identity = { externalId?: string; domain?: string; key?: string; url?: string };

const identity = (value: unknown): Identity => {
  if (!value || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  return { externalId: str(v.externalId), domain: str(v.domain), key: str(v.key), url: str(v.url) };
};

/**
 * Matches each answer entry to its item by identity (externalId, else domain + key, else same content among the
 * items left), never by position: CodeQR's docs answer in input order with errors in place, Dub's code answers
 * `[...created, ...errors]` and leaves out items whose externalId already exists. Items left without an entry are
 * looked up like a lost answer (`settle`).
 */
export async function matchAnswer(
  api: QrCodeRequests,
  chunk: ChunkItem[],
  answer: unknown[],
  startedAt: number,
  firstLanding: boolean,
): Promise<CreatedResult[]> {
  const open = new Set(chunk);
  const byExternalId = new Map<string, ChunkItem>();
  const byLink = new Map<string, ChunkItem>();
  for (const item of chunk) {
    const own = identity(item.body);
    if (own.externalId) byExternalId.set(own.externalId, item);
    if (own.key) byLink.set(`${own.domain ?? ''}/${own.key}`, item);
  }
  // Dub's code stores `ext_X` as `X`: an answer naming `X` is the item sent as `ext_X` (unless `X` was sent too)
  for (const item of chunk) {
    for (const form of externalIdForms(item.body.externalId ?? '').slice(1)) {
      if (!byExternalId.has(form)) byExternalId.set(form, item);
    }
  }
  const out = new Map<number, CreatedResult>();
  const toSettle: OpenItem[] = [];
  const leftovers: { entry: QrCode | BulkItemError; source: Identity }[] = [];

  const assign = (item: ChunkItem, entry: QrCode | BulkItemError) => {
    open.delete(item);
    if ('id' in entry && typeof entry.id === 'string') {
      out.set(item.index, { index: item.index, ok: true, qrCode: entry as QrCode });
      return;
    }
    const e = entry as BulkItemError;
    const code = (BULK_ITEM_ERROR_CODES as readonly string[]).includes(e.code) ? e.code : 'bad_request';
    // A conflict on an item we gave an externalId is most likely an earlier attempt of this very chunk: check.
    if (code === 'conflict' && item.body.externalId) toSettle.push({ item, failure: { code, message: e.error } });
    else out.set(item.index, itemError(item.index, code, e.error, { externalId: item.body.externalId }));
  };

  for (const raw of answer) {
    const qr = parseQrCodeAnswer(raw);
    const error = qr.success ? undefined : BulkItemError.safeParse(raw);
    const entry = qr.success ? qr.data : error?.success ? error.data : undefined;
    if (!entry) continue; // neither a QR code nor an item error: nothing to match
    // the spec names the failed item `qrcode`; Dub's code, `link`
    const source = identity(qr.success ? qr.data : (error?.data?.qrcode ?? error?.data?.link));
    const ours = (item: ChunkItem | undefined): item is ChunkItem =>
      !!item && open.has(item) && (!source.externalId || sameExternalId(item.body.externalId, source.externalId));
    let owner = source.externalId ? byExternalId.get(source.externalId) : undefined;
    if (!owner && source.key) {
      // a key sent with and without the primary domain is one short link: the destination tells the two apart
      owner = [byLink.get(`${source.domain ?? ''}/${source.key}`), byLink.get(`/${source.key}`)].find(
        (item) => ours(item) && (!source.url || !item.body.url || item.body.url === source.url),
      );
    }
    if (ours(owner)) assign(owner, entry);
    else leftovers.push({ entry, source });
  }
  // Entries that named no identity of ours: the first open item with the same content (and no other externalId).
  for (const { entry, source } of leftovers) {
    const candidate = [...open].find((item) => {
      const own = identity(item.body);
      if (!sameExternalId(own.externalId, source.externalId)) return false;
      if (own.key && own.key !== source.key) return false;
      return own.url === source.url;
    });
    if (candidate) assign(candidate, entry);
  }
  for (const item of open) {
    if (item.body.externalId) toSettle.push({ item });
    else out.set(item.index, unknownOutcome(item.index, undefined, "CodeQR's answer did not include this item."));
  }
  for (const result of await settle(api, toSettle, startedAt)) {
    // refused or left out by the only attempt that can have landed: the code was there before it, not ours
    // (settle marks one created clearly before the request `existed` itself, whatever the attempts)
    out.set(result.index, firstLanding && result.ok && result.adopted ? { ...result, existed: true } : result);
  }
  return chunk.map((c) => out.get(c.index)!);
}
