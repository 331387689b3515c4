import type { CodeQrError } from '../errors.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import {
  asCodeQrError,
  BULK_CHUNK_SIZE,
  type ChunkItem,
  type CreatedResult,
  type Failure,
  itemError,
  mapLimit,
  unknownOutcome,
} from './bulk-items.ts';
import { ownCode } from './compare.ts';
import type { QrCodeRequests } from './requests.ts';

/**
 * How much earlier than the request's start (on CodeQR's clock) a found code's `createdAt` must be to count as there
 * before it. The client knows CodeQR's clock from `Date` headers, whole seconds, so to about a second plus the
 * answer's travel time; CodeQR's database may stamp `createdAt` on a slightly different clock. A code created closer
 * than this before the request is taken as created by it (the old answer), never the other way round.
 */
export const PRIOR_MARGIN_MS = 5_000;

/** An item whose outcome the answer left open, and the failure the request reported for it, if any. */
export type OpenItem = { item: ChunkItem; failure?: Failure };

/**
 * Settles items whose outcome the answer left open, by their externalIds: first in one newest-first listing of the
 * codes created since the chunk was sent (a page of 100 answers for a whole chunk), then one lookup each for any
 * not found there. Found and matching → created once; missing → the failure; a lookup that fails → outcome_unknown.
 */
export async function settle(api: QrCodeRequests, entries: OpenItem[], startedAt: number): Promise<CreatedResult[]> {
  const results: CreatedResult[] = [];
  const unknown = (entry: OpenItem, why: string) =>
    results.push(unknownOutcome(entry.item.index, entry.item.body.externalId, why));
  const why = (entry: { failure?: Failure }) =>
    entry.failure
      ? `The request failed (${entry.failure.message.replace(/\.$/, '')})`
      : "CodeQR's answer did not include this item";
  // when the request started on CodeQR's clock, with the offset measured so far (the listing below refines it)
  const since = () => api.http.serverTime(startedAt);
  const wanted = new Map<string, OpenItem>();
  for (const entry of entries) {
    if (entry.item.body.externalId) wanted.set(entry.item.body.externalId, entry);
    else unknown(entry, `${why(entry)}.`);
  }
  if (wanted.size === 0) return results;
  const adopt = (qr: QrCode, entry: OpenItem) => {
    const { index, body } = entry.item;
    try {
      const qrCode = ownCode(qr, qr.externalId as string, body, entry.failure);
      // created clearly before this request was first sent: no attempt of ours made it, it is a replay's answer
      const createdAt = Date.parse(qr.createdAt);
      const existed = Number.isFinite(createdAt) && createdAt < since() - PRIOR_MARGIN_MS;
      results.push({ index, ok: true, qrCode, adopted: true, ...(existed ? { existed } : {}) });
    } catch (error) {
      const e = asCodeQrError(error);
      results.push(itemError(index, e.code, e.message, { externalId: body.externalId }));
    }
  };
  await findInRecentListing(api, wanted, since(), Math.ceil(entries.length / BULK_CHUNK_SIZE) + 3, adopt);
  let broken: CodeQrError | undefined;
  await mapLimit([...wanted.values()], 4, async (entry) => {
    const { index, body } = entry.item;
    const externalId = body.externalId as string;
    const unreachable = (e: CodeQrError) =>
      unknown(
        entry,
        `${why(entry)}, and CodeQR could not be asked whether it was created (${e.message.replace(/\.$/, '')}).`,
      );
    if (broken) return unreachable(broken);
    try {
      adopt(await api.getByExternalId(externalId), entry);
    } catch (raw) {
      const error = asCodeQrError(raw);
      if (error.code !== 'not_found') {
        broken = error; // CodeQR is failing: the remaining items are not looked up one by one against it
        return unreachable(error);
      }
      if (!entry.failure) {
        results.push(
          itemError(
            index,
            'invalid_response',
            `CodeQR's answer left this item out and no QR code has its externalId "${externalId}": it was not created; send it again.`,
            { externalId },
          ),
        );
      } else if (entry.failure.code === 'timeout') {
        // a request that timed out may still land after this lookup
        unknown(entry, `The request timed out (${entry.failure.message.replace(/\.$/, '')}).`);
      } else {
        results.push(itemError(index, entry.failure.code, entry.failure.message, { externalId }));
      }
    }
  });
  return results;
}

/**
 * Walks the codes created since `since` (CodeQR's clock, with ten minutes of margin: the offset may not be measured
 * yet), newest first, for at most `maxPages` pages, and `adopt`s (and takes out of `wanted`) each one found. A failed
 * listing only ends the walk: the lookups one by one settle what it did not.
 */
async function findInRecentListing(
  api: QrCodeRequests,
  wanted: Map<string, OpenItem>,
  since: number,
  maxPages: number,
  adopt: (qr: QrCode, entry: OpenItem) => void,
): Promise<void> {
  try {
    const recent = api.list({
      createdAfter: new Date(since - 10 * 60_000).toISOString(),
      sort: 'createdAt',
      showArchived: true,
      withTags: true,
    });
    let pages = 0;
    for await (const page of recent.pages()) {
      for (const qr of page) {
        if (!qr.externalId) continue;
        // stored as sent, or (Dub's code) `ext_X` stored as `X`
        const sent = wanted.has(qr.externalId) ? qr.externalId : `ext_${qr.externalId}`;
        const entry = wanted.get(sent);
        if (!entry) continue;
        wanted.delete(sent);
        adopt(qr, entry);
      }
      if (wanted.size === 0 || ++pages >= maxPages) break;
    }
  } catch {
    // the listing failed: the lookups one by one settle what they can
  }
}
