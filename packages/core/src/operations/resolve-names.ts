/**
 * Tags and folders by name. CodeQR answers 422 ("Invalid tagNames detected: …", Dub's `processLink`, which CodeQR
 * forked) for a tag name that does not exist, and its `folderId` takes an id only: the write operations look names
 * up first (`GET /tags?search=`, `GET /folders?search=`) and, with "Create Missing Tags" (the default), create the
 * missing ones (`POST /tags`, `POST /folders`). Lookups are cached per client (a host builds one per run).
 */
import * as z from 'zod/v4';
import type { CodeQrClient } from '../create-client.ts';
import { CodeQrError, isCodeQrError } from '../errors.ts';
import { withMeta } from '../fields/meta.ts';
import { splitList } from '../qrcodes/compare.ts';
import { once } from './qr-code-content.ts';

/** The operation-level switch (create, update, upsert and both bulk operations). */
export const createMissingTagsField = once(() =>
  withMeta(z.boolean().default(true), {
    label: 'Create Missing Tags',
    description:
      'Create tags (and the folder named in Folder Name) that do not exist yet, instead of failing: CodeQR only accepts names of existing tags.',
    initial: true,
    advanced: true,
  }),
);

/** The per-QR-code folder-by-name field. */
export const folderNameField = once(() =>
  withMeta(z.string().trim().min(3).max(190).optional(), {
    label: 'Folder Name',
    description:
      'Folder to put the QR code in, by name (3-190 characters), instead of Folder; created when missing with Create Missing Tags.',
    placeholder: 'Spring campaign',
    advanced: true,
  }),
);

type Named = { id: string; name: string };
const cache = new WeakMap<CodeQrClient, Map<string, Promise<Named | undefined>>>();

function cached(client: CodeQrClient, key: string, load: () => Promise<Named | undefined>): Promise<Named | undefined> {
  const entries = cache.get(client) ?? new Map<string, Promise<Named | undefined>>();
  cache.set(client, entries);
  let entry = entries.get(key);
  if (!entry) {
    entry = load();
    entries.set(key, entry);
    // a failed lookup or create is not remembered: the next item (or run) asks again
    entry.then(
      (found) => {
        if (!found) entries.delete(key);
      },
      () => entries.delete(key),
    );
  }
  return entry;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function findTag(client: CodeQrClient, name: string): Promise<Named | undefined> {
  const tags = await client.tags.list({ search: name }).toArray({ limit: 1000 });
  return tags.find((tag) => same(tag.name, name));
}

async function findFolder(client: CodeQrClient, name: string): Promise<Named | undefined> {
  const folders = await client.folders.list({ search: name }).toArray({ limit: 1000 });
  return folders.find((folder) => same(folder.name, name));
}

/**
 * `create()`, or, when another run created the same name between our lookup and our create (CodeQR answers 409:
 * concurrent n8n workers, Zap runs or Action shards tagging by one campaign name), the one that run made.
 */
async function createOrFind(
  create: () => Promise<Named>,
  find: () => Promise<Named | undefined>,
): Promise<Named | undefined> {
  try {
    return await create();
  } catch (error) {
    if (isCodeQrError(error) && error.code === 'conflict') {
      const found = await find();
      if (found) return found;
    }
    throw error;
  }
}

/** The tag named `name` (case-insensitive), created when missing. */
function ensureTag(client: CodeQrClient, name: string): Promise<Named | undefined> {
  return cached(client, `tag:${name.toLowerCase()}`, async () => {
    const find = () => findTag(client, name);
    return (await find()) ?? createOrFind(() => client.tags.create({ name }), find);
  });
}

/** The folder named `name` (case-insensitive), created when `create`; undefined when missing and not created. */
function folderNamed(client: CodeQrClient, name: string, create: boolean): Promise<Named | undefined> {
  return cached(client, `folder:${name.toLowerCase()}${create ? '+' : ''}`, async () => {
    const find = () => findFolder(client, name);
    const found = await find();
    if (found || !create) return found;
    return createOrFind(() => client.folders.create({ name }), find);
  });
}

type Item = Record<string, unknown>;

/**
 * `item` as the client takes it: `folderName` resolved to `folderId` (and left out); with `createMissing`, every tag
 * of `tagNames` made to exist first. Throws a `validation_error` naming Folder Name when the folder does not exist
 * and may not be created.
 */
export async function resolveNames(client: CodeQrClient, item: Item, createMissing: boolean, path = ''): Promise<Item> {
  const { folderName, ...rest } = item;
  const names = splitList(rest.tagNames) ?? [];
  if (createMissing) {
    for (const name of new Set(names.map((n) => n.toLowerCase()))) {
      await ensureTag(client, names.find((n) => n.toLowerCase() === name) ?? name);
    }
  }
  if (typeof folderName !== 'string' || folderName === '') return rest;
  const folder = await folderNamed(client, folderName, createMissing);
  if (!folder) {
    throw new CodeQrError({
      code: 'validation_error',
      message: `Folder Name (folderName): no folder is named "${folderName}" in CodeQR. Create it there, pick it in Folder, or turn on Create Missing Tags.`,
      issues: [{ field: `${path}folderName`, message: `no folder is named "${folderName}"` }],
    });
  }
  return { ...rest, folderId: folder.id };
}

type ItemResult = { index: number; ok: boolean; error?: unknown };

/**
 * `send` (a bulk call) with each item's names resolved first. An item whose names cannot be resolved (a tag over the
 * plan's quota, a missing folder) fails alone, in its place, like an item CodeQR refused; the others are sent.
 */
export async function sendResolved<R extends ItemResult>(
  client: CodeQrClient,
  items: readonly Item[],
  createMissing: boolean,
  send: (items: Item[]) => Promise<R[]>,
): Promise<R[]> {
  const ready: { index: number; item: Item }[] = [];
  const failed: R[] = [];
  for (const [index, item] of items.entries()) {
    try {
      ready.push({ index, item: await resolveNames(client, item, createMissing) });
    } catch (error) {
      if (!isCodeQrError(error)) throw error;
      const failure: Record<string, unknown> = { code: error.code, message: error.message };
      if (error.issues[0]?.field) failure.field = error.issues[0].field;
      if (error.issues.length > 0) failure.issues = error.issues;
      if (error.status !== undefined) failure.status = error.status;
      failed.push({ index, ok: false, error: failure } as unknown as R);
    }
  }
  const sent = ready.length > 0 ? await send(ready.map((entry) => entry.item)) : [];
  const placed = sent.map((result) => ({ ...result, index: ready[result.index]?.index ?? result.index }));
  return [...placed, ...failed].sort((a, b) => a.index - b.index);
}
