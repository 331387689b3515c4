import { ApiError } from '../api-error.ts';
import { ids } from '../random.ts';
import { TAG_COLORS } from '../wire/enums.ts';
import type { StoreContext } from './context.ts';
import type { FolderRecord, Project, TagRecord } from './records.ts';

/** What a QR code points at: its domain, tags and folder, each checked to exist before a write. */

/** Items of a tag field as Dub's schema reads them: a string is one tag, array items stay whole ("A,B" is one name). */
const tagList = (v: unknown): string[] =>
  v == null ? [] : (Array.isArray(v) ? v : [v]).map((s) => String(s).trim()).filter(Boolean);

/** The project's tags a body names by id or name; undefined when it names none; 422 for a tag that does not exist. */
export function resolveTags(
  project: Project,
  body: { tagIds?: unknown; tagNames?: unknown; tagId?: unknown },
): TagRecord[] | undefined {
  if (body.tagIds === undefined && body.tagNames === undefined && body.tagId === undefined) return undefined;
  const byId = tagList(body.tagIds).concat(tagList(body.tagId));
  const byName = tagList(body.tagNames);
  const unknownIds = byId.filter((id) => !project.data.tags.some((t) => t.id === id));
  if (unknownIds.length > 0) {
    // Dub's processLink (which CodeQR's server descends from): tag ids are checked first, with these words
    throw new ApiError('unprocessable_entity', `Invalid tagIds detected: ${unknownIds.join(', ')}`);
  }
  const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const unknownNames = byName.filter((n) => !project.data.tags.some((t) => sameName(t.name, n)));
  if (unknownNames.length > 0) {
    // Dub's processLink / bulk-create-links: tags are never created implicitly (POST /tags creates one)
    throw new ApiError('unprocessable_entity', `Invalid tagNames detected: ${unknownNames.join(', ')}`);
  }
  return project.data.tags.filter((tag) => byId.includes(tag.id) || byName.some((n) => sameName(n, tag.name)));
}

/** 403 unless the domain is one of the sandbox's (the link host's, or the shared `codeqr.link`). */
export function checkDomain(ctx: StoreContext, domain: string): void {
  if (!ctx.domains.some((d) => d.slug === domain)) {
    throw new ApiError(
      'forbidden',
      `domain: "${domain}" does not belong to this project; use one of ${ctx.domains.map((d) => d.slug).join(', ')}`,
    );
  }
}

/** 422 unless the folder (when one is given) exists in the project. */
export function checkFolder(project: Project, folderId: unknown): void {
  if (folderId != null && !project.data.folders.some((f) => f.id === folderId)) {
    throw new ApiError('unprocessable_entity', `folderId: folder "${String(folderId)}" not found in this project`);
  }
}

/**
 * A new tag; 409 when the name is taken (any case). Without a colour, one is drawn from the spec's list (spec:
 * paths./tags.post.requestBody…color "If not provided, a random color will be used from the list").
 */
export function createTag(ctx: StoreContext, project: Project, name: string, color?: string): TagRecord {
  if (project.data.tags.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
    throw new ApiError('conflict', `name: a tag named "${name}" already exists.`);
  }
  const tag: TagRecord = {
    id: ids.tag(ctx.random),
    name,
    color: color ?? TAG_COLORS[Math.floor(ctx.random.next() * TAG_COLORS.length)]!,
    createdAt: ctx.isoNow(),
  };
  project.data.tags.push(tag);
  ctx.changed();
  return tag;
}

export function createFolder(
  ctx: StoreContext,
  project: Project,
  name: string,
  accessLevel: 'write' | 'read' | null,
): FolderRecord {
  const now = ctx.isoNow();
  const folder: FolderRecord = {
    id: ids.folder(ctx.random),
    name,
    type: 'default',
    accessLevel,
    createdAt: now,
    updatedAt: now,
  };
  project.data.folders.push(folder);
  ctx.changed();
  return folder;
}
