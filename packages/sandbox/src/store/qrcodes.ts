import { ApiError, describeIssues } from '../api-error.ts';
import { ids } from '../random.ts';
import { WireCreateBody, WireUpdateBody } from '../wire/qr-code.ts';
import { getUrlFromString, isForeignPayload, normaliseColors, normaliseUrls } from './coerce.ts';
import { staticContent } from './content.ts';
import type { StoreContext } from './context.ts';
import { baseRecord, REQUEST_ONLY } from './defaults.ts';
import { checkGates, countCreation } from './quotas.ts';
import { hidePix, type Project, type QrRecord } from './records.ts';
import { checkDomain, checkFolder, resolveTags } from './relations.ts';

/** Short links and external ids already taken by earlier items of the same bulk request. */
export interface Reserved {
  links: Set<string>;
  externalIds: Set<string>;
}

/** Resolves `{id}` in a path: a QR code id or `ext_<externalId>`. */
export function findQr(project: Project, idOrExternal: string): QrRecord | undefined {
  if (idOrExternal.startsWith('ext_')) return project.qrByExternalId.get(idOrExternal.slice(4));
  return project.qrById.get(idOrExternal);
}

export function getQr(project: Project, idOrExternal: string): QrRecord {
  const qr = findQr(project, idOrExternal);
  if (!qr) throw new ApiError('not_found', `QR code "${idOrExternal}" not found in this project.`);
  return qr;
}

function requireObject(raw: unknown, prefix = ''): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ApiError('unprocessable_entity', `${prefix ? `${prefix}: ` : ''}expected a JSON object`);
  }
}

/** Validates a create body (without side effects) and returns the parsed value or an ApiError. */
export function parseCreate(raw: unknown, prefix = ''): WireCreateBody {
  requireObject(raw, prefix);
  const parsed = WireCreateBody.safeParse(raw);
  if (!parsed.success) throw new ApiError('unprocessable_entity', describeIssues(parsed.error, prefix));
  return parsed.data;
}

const duplicateKey = (link: string) =>
  new ApiError('conflict', `key: duplicate key, the short link ${link} already exists.`);
const duplicateExternalId = (externalId: unknown) =>
  new ApiError('conflict', `externalId: a QR code with externalId "${externalId}" already exists.`);

/** The body's key, checked to be free, or a new random one (with the body's `prefix`) that is. */
function claimKey(ctx: StoreContext, body: WireCreateBody, domain: string, reserved?: Reserved): string {
  const taken = (key: string) => ctx.byShortLink.has(`${domain}/${key}`) || !!reserved?.links.has(`${domain}/${key}`);
  if (body.key) {
    if (taken(body.key)) throw duplicateKey(`${domain}/${body.key}`);
    return body.key;
  }
  let key: string;
  do key = `${body.prefix ?? ''}${ids.key(ctx.random)}`;
  while (taken(key));
  return key;
}

/** Everything a create checks before it writes (domain, key, uniqueness, tags, folder), and the record to insert. */
export function prepareCreate(
  ctx: StoreContext,
  project: Project,
  body: WireCreateBody,
  reserved?: Reserved,
): QrRecord {
  normaliseUrls(body);
  checkGates(ctx, project, body);
  const domain = body.domain || ctx.linkDomain;
  checkDomain(ctx, domain);
  const { externalId } = body;
  if (externalId && (project.qrByExternalId.has(externalId) || reserved?.externalIds.has(externalId))) {
    throw duplicateExternalId(externalId);
  }
  const key = claimKey(ctx, body, domain, reserved);
  const tags = resolveTags(project, body) ?? [];
  checkFolder(project, body.folderId);
  const now = ctx.isoNow();
  const record = { ...baseRecord() } as Record<string, unknown>;
  for (const [field, value] of Object.entries(body)) {
    if (!REQUEST_ONLY.has(field) && value !== undefined) record[field] = value;
  }
  if (!body.key) delete record.key; // an empty key was generated: it goes last, with the server-set fields
  Object.assign(record, {
    id: ids.qrCode(ctx.random),
    type: body.type ?? 'url',
    domain,
    key,
    tags,
    projectId: project.data.id,
    userId: project.data.userId,
    createdAt: now,
    updatedAt: now,
    shortLink: ctx.shortLinkFor(domain, key),
  });
  normaliseColors(record);
  hidePix(record);
  record.contentStatic = record.static ? staticContent(record, ctx.behaviour.payloads) : null;
  reserved?.links.add(`${domain}/${key}`);
  if (externalId) reserved?.externalIds.add(externalId);
  return record as QrRecord;
}

/** Indexes a prepared QR code and counts it against the month's quota. */
export function insert(ctx: StoreContext, project: Project, qr: QrRecord): QrRecord {
  countCreation(ctx, project);
  project.data.qrCodes.push(qr);
  project.qrById.set(qr.id, qr);
  if (qr.externalId) project.qrByExternalId.set(qr.externalId, qr);
  ctx.byShortLink.set(`${qr.domain}/${qr.key}`, { project, qr });
  ctx.changed();
  return qr;
}

/** The fields of an update body that differ from the QR code (foreign payloads and an empty key are ignored). */
function changedFields(project: Project, qr: QrRecord, body: WireUpdateBody): Record<string, unknown> {
  const type = body.type ?? qr.type;
  const next: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (REQUEST_ONLY.has(field) || value === undefined) continue;
    if (isForeignPayload(field, type)) continue;
    if (field === 'key' && !value) continue;
    if (JSON.stringify(qr[field] ?? null) !== JSON.stringify(value)) next[field] = value;
  }
  const tags = resolveTags(project, body);
  const idsOf = (list: { id: string }[]) => JSON.stringify(list.map((t) => t.id).sort());
  if (tags && idsOf(tags) !== idsOf(qr.tags)) next.tags = tags;
  return next;
}

/** The checks an update's changes must pass: folder, short-link and external-id uniqueness, a URL code's url. */
function checkUpdate(ctx: StoreContext, project: Project, qr: QrRecord, next: Record<string, unknown>): void {
  if ('folderId' in next) checkFolder(project, next.folderId);
  const domain = (next.domain as string | undefined) ?? qr.domain;
  const key = (next.key as string | undefined) ?? qr.key;
  if (domain !== qr.domain || key !== qr.key) {
    checkDomain(ctx, domain);
    if (ctx.byShortLink.has(`${domain}/${key}`)) throw duplicateKey(`${domain}/${key}`);
  }
  if ('externalId' in next && next.externalId) {
    const other = project.qrByExternalId.get(next.externalId as string);
    if (other && other.id !== qr.id) throw duplicateExternalId(next.externalId);
  }
  const type = (next.type as string | undefined) ?? qr.type;
  const url = 'url' in next ? next.url : qr.url;
  if (type === 'url' && !url) throw new ApiError('unprocessable_entity', 'url: is required when type is "url"');
}

/** Partial update; answers `changed: false` (and leaves `updatedAt`) when nothing differs. */
export function update(
  ctx: StoreContext,
  project: Project,
  qr: QrRecord,
  raw: unknown,
): { qr: QrRecord; changed: boolean } {
  requireObject(raw);
  const parsed = WireUpdateBody.safeParse(raw);
  if (!parsed.success) throw new ApiError('unprocessable_entity', describeIssues(parsed.error));
  const body = parsed.data;
  normaliseUrls(body);
  checkGates(ctx, project, body);
  normaliseColors(body as Record<string, unknown>, true);
  const next = changedFields(project, qr, body);
  checkUpdate(ctx, project, qr, next);
  if (Object.keys(next).length === 0) return { qr, changed: false };

  ctx.byShortLink.delete(`${qr.domain}/${qr.key}`);
  if (qr.externalId) project.qrByExternalId.delete(qr.externalId);
  Object.assign(qr, next);
  normaliseColors(qr);
  qr.shortLink = ctx.shortLinkFor(qr.domain, qr.key);
  qr.contentStatic = qr.static ? staticContent(qr, ctx.behaviour.payloads) : null;
  qr.updatedAt = ctx.isoNow();
  ctx.byShortLink.set(`${qr.domain}/${qr.key}`, { project, qr });
  if (qr.externalId) project.qrByExternalId.set(qr.externalId, qr);
  ctx.changed();
  return { qr, changed: true };
}

export function remove(ctx: StoreContext, project: Project, qr: QrRecord): void {
  project.qrById.delete(qr.id);
  if (qr.externalId) project.qrByExternalId.delete(qr.externalId);
  ctx.byShortLink.delete(`${qr.domain}/${qr.key}`);
  const index = project.data.qrCodes.indexOf(qr);
  if (index >= 0) project.data.qrCodes.splice(index, 1);
  ctx.changed();
}

/** The docs' upsert: the oldest QR code with exactly this destination URL is returned (updated if needed). */
export function upsertByUrl(
  ctx: StoreContext,
  project: Project,
  raw: unknown,
  beforeCreate?: () => void,
): { qr: QrRecord; action: 'created' | 'updated' | 'unchanged' } {
  const body = parseCreate(raw);
  const url = body.url ? getUrlFromString(body.url) : body.url;
  const existing = project.data.qrCodes
    .filter((qr) => qr.url === url)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  if (!existing) {
    beforeCreate?.();
    return { qr: insert(ctx, project, prepareCreate(ctx, project, body)), action: 'created' };
  }
  const { qr, changed } = update(ctx, project, existing, raw);
  return { qr, action: changed ? 'updated' : 'unchanged' };
}
