import { QR_LIST_MAX_PAGE_SIZE, type QrCode } from '../schemas/qr-code.ts';
import { mapLimit } from './bulk-items.ts';
import type { QrCodeRequests } from './requests.ts';
import { type Entry, externalIdMatch, failure, find, older, type UpsertManyResult } from './upsert-match.ts';

/** Inputs at least this large are always matched against one read of the whole project, never looked up one by one. */
const PER_ITEM_AT_MOST = 2;

/**
 * The existing QR code of each entry. Reading the whole project costs one request per 100 codes (`count` says how
 * many); looking items up costs at least one request each. The cheaper one is used. A failed read fails the items
 * it was for (nothing was written for them).
 */
export async function lookup(
  api: QrCodeRequests,
  entries: Entry[],
  concurrency: number,
  results: (UpsertManyResult | undefined)[],
): Promise<Map<number, QrCode>> {
  const found = new Map<number, QrCode>();
  if (entries.length === 0) return found;
  let scan = false;
  let total = 0;
  if (entries.length > PER_ITEM_AT_MOST) {
    try {
      total = await api.count({ showArchived: true });
      scan = Math.floor(total / QR_LIST_MAX_PAGE_SIZE) + 1 <= entries.length;
    } catch (error) {
      for (const entry of entries) results[entry.index] = failure(entry, error, 'look it up');
      return found;
    }
  }
  if (!scan) {
    await findEach(api, entries, concurrency, found, results);
    return found;
  }
  let project: ProjectIndex;
  try {
    project = await readProject(api, total);
  } catch (error) {
    for (const entry of entries) results[entry.index] = failure(entry, error, 'look it up');
    return found;
  }
  const recheck: Entry[] = [];
  for (const entry of entries) {
    const existing =
      entry.matchBy === 'externalId'
        ? externalIdMatch(project.byExternalId, entry.body.externalId as string)
        : project.byUrl.get(entry.body.url as string);
    if (existing) found.set(entry.index, existing);
    else if (entry.matchBy === 'url' && project.seen < total) recheck.push(entry);
  }
  await findEach(api, recheck, concurrency, found, results);
  return found;
}

/** The whole project by stored externalId and by url (the oldest code per url), and how many codes were seen. */
interface ProjectIndex {
  byExternalId: Map<string, QrCode>;
  byUrl: Map<string, QrCode>;
  seen: number;
}

/**
 * Reads every QR code of the project. A read that saw fewer codes than `count` said (`total`) missed some: CodeQR
 * (like Dub) orders pages by `createdAt` alone, codes made by one bulk share it, so offset pages can shift (a
 * concurrent delete does the same). It is read once more; a URL match still not found is then looked up on its own
 * (an externalId match needs no second look: its create is reconciled by externalId).
 */
async function readProject(api: QrCodeRequests, total: number): Promise<ProjectIndex> {
  const byExternalId = new Map<string, QrCode>();
  const byUrl = new Map<string, QrCode>();
  const seen = new Set<string>();
  for (let pass = 0; pass < 2 && (pass === 0 || seen.size < total); pass++) {
    for await (const qr of api.listAll({})) {
      seen.add(qr.id);
      if (qr.externalId) byExternalId.set(qr.externalId, qr);
      if (qr.url) byUrl.set(qr.url, older(byUrl.get(qr.url), qr));
    }
  }
  return { byExternalId, byUrl, seen: seen.size };
}

/** Looks each entry up on its own: a match goes into `found`, a failed lookup into `results`. */
async function findEach(
  api: QrCodeRequests,
  entries: Entry[],
  concurrency: number,
  found: Map<number, QrCode>,
  results: (UpsertManyResult | undefined)[],
): Promise<void> {
  await mapLimit(entries, concurrency, async (entry) => {
    try {
      const existing = await find(api, entry);
      if (existing) found.set(entry.index, existing);
    } catch (error) {
      results[entry.index] = failure(entry, error, 'look it up');
    }
  });
}
