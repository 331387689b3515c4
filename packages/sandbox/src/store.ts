import { type QrImageContentSource, qrImageContent } from '@codeqr-integrations/core';
import { type Plan, type QrCodeType, TAG_COLORS } from '@codeqr-integrations/core/schemas';
import { ApiError, describeIssues } from './api-error.ts';
import { DEFAULT_BEHAVIOUR, type SandboxBehaviour } from './behaviour.ts';
import { isColor } from './colors.ts';
import { checkFeatureGates, qrCodeLimit, qrCodesExceeded } from './plans.ts';
import { ids, type Random } from './random.ts';
import { WireCreateBody, WireUpdateBody } from './wire.ts';

export const SHARED_DOMAIN = 'codeqr.link';

export type QrRecord = Record<string, unknown> & {
  id: string;
  domain: string;
  key: string;
  url: string | null;
  type: QrCodeType;
  externalId: string | null;
  scans: number;
  lastClicked: string | null;
  archived: boolean;
  static: boolean;
  createdAt: string;
  updatedAt: string;
  projectId: string;
  folderId: string | null;
  tags: TagRecord[];
  shortLink: string;
  title: string | null;
  expiresAt: string | null;
  expiredUrl: string | null;
};

export interface TagRecord {
  id: string;
  name: string;
  color: string;
  createdAt: string;
}

export interface FolderRecord {
  id: string;
  name: string;
  type: 'default' | 'templates';
  accessLevel: 'write' | 'read' | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScanRecord {
  id: string;
  qrCodeId: string;
  /** epoch ms */
  timestamp: number;
  url: string;
  country: string;
  city: string;
  continent: string;
  region: string;
  device: string;
  browser: string;
  os: string;
  referer: string;
  refererUrl: string;
  ip: string;
  ua: string;
}

export interface WebhookRecord {
  id: string;
  url: string;
  events: string[];
  secret: string;
  createdAt: string;
  consecutiveFailures: number;
  disabled: boolean;
}

export interface ProjectData {
  id: string;
  slug: string;
  name: string;
  userId: string;
  createdAt: string;
  qrCodes: QrRecord[];
  tags: TagRecord[];
  folders: FolderRecord[];
  scans: ScanRecord[];
  webhooks: WebhookRecord[];
  /** QR codes created in the current calendar month (UTC): the Free plan's monthly quota counts creations. */
  usage?: { month: string; qrCodes: number };
}

/** One API key's project: its QR codes, tags, folders, scans and webhooks, with the indexes the routes need. */
export class Project {
  readonly data: ProjectData;
  plan: Plan;
  readOnly: boolean;
  readonly qrById = new Map<string, QrRecord>();
  readonly qrByExternalId = new Map<string, QrRecord>();
  readonly scansByQr = new Map<string, ScanRecord[]>();

  constructor(data: ProjectData, plan: Plan, readOnly: boolean) {
    this.data = data;
    this.plan = plan;
    this.readOnly = readOnly;
    for (const qr of data.qrCodes) {
      this.qrById.set(qr.id, qr);
      if (qr.externalId) this.qrByExternalId.set(qr.externalId, qr);
    }
    for (const scan of data.scans) this.indexScan(scan);
  }

  indexScan(scan: ScanRecord): void {
    const list = this.scansByQr.get(scan.qrCodeId);
    if (list) list.push(scan);
    else this.scansByQr.set(scan.qrCodeId, [scan]);
  }
}

export interface DomainRecord {
  id: string;
  slug: string;
  verified: boolean;
  primary: boolean;
  archived: boolean;
  target: string | null;
  type: string;
  placeholder: string | null;
  expiredUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoreOptions {
  random: Random;
  now: () => number;
  /** The short-link host's domain (e.g. `127.0.0.1:8788`): every project's primary domain. */
  linkDomain: string;
  onChange?: () => void;
  /** Shared with the app, read on every request (quotas on or off). */
  behaviour?: SandboxBehaviour;
}

const ISO = (ms: number) => new Date(ms).toISOString();

/** The payload field each QR type reads its content from (`url` codes read `url`, which is never ignored). */
const PAYLOAD_FIELDS: Partial<Record<QrCodeType, string>> = {
  text: 'text',
  email: 'email',
  wifi: 'wifi',
  phone: 'phone',
  vcard: 'vcard',
  crypto: 'crypto',
  sms: 'sms',
  whatsapp: 'whatsapp',
  facetime: 'facetime',
  latlog: 'latlog',
  geo: 'latlog', // a "geo" code's coordinates (its `geo` field is the spec's country targeting, not content)
  pix: 'pix',
};
const PAYLOADS = new Set(Object.values(PAYLOAD_FIELDS));

/** Dub's `isValidUrl`: whatever `new URL()` parses. */
function isValidUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Dub's `getUrlFromString` (packages/utils/src/functions/urls.ts), which CodeQR's server applies to `url` and
 * `expiredUrl` before checking them: a parsable URL stays as is; text with a dot and no space gets `https://`.
 */
export function getUrlFromString(value: string): string {
  if (isValidUrl(value)) return value;
  try {
    if (value.includes('.') && !value.includes(' ')) return new URL(`https://${value}`).toString();
  } catch {}
  return value;
}

/** Record fields the create/update bodies carry that are not stored as-is on the QR code. */
const REQUEST_ONLY = new Set(['prefix', 'tagIds', 'tagNames', 'tagId', 'webhookIds', 'templateId']);

function baseRecord(): Omit<QrRecord, 'id' | 'domain' | 'key' | 'projectId' | 'createdAt' | 'updatedAt' | 'shortLink'> {
  return {
    archived: false,
    expiresAt: null,
    expiredUrl: null,
    password: null,
    externalId: null,
    trackConversion: false,
    proxy: false,
    title: null,
    description: null,
    image: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    utm_term: null,
    utm_content: null,
    rewrite: false,
    doIndex: false,
    flexible: false,
    filled: false,
    ios: null,
    android: null,
    geo: null,
    rules: null,
    static: false,
    useDisplayPage: true,
    type: 'url',
    contentStatic: null,
    text: null,
    email: null,
    wifi: null,
    url: null,
    phone: null,
    vcard: null,
    crypto: null,
    sms: null,
    whatsapp: null,
    facetime: null,
    latlog: null,
    logo: null,
    bgColor: '#ffffff',
    fgColor: '#000000',
    size: 1024,
    level: 'M',
    showLogo: true,
    src: null,
    height: 0,
    width: 0,
    excavate: true,
    userId: null,
    publicStats: false,
    scans: 0,
    lastClicked: null,
    leads: 0,
    sales: 0,
    saleAmount: 0,
    tagId: null,
    tags: [],
    folderId: null,
    comments: null,
    notificationToken: null,
    preRedirection: false,
    isFormMandatory: false,
    frameTextStyles: null,
    pageId: null,
    pageUrl: null,
  };
}

/** The content a static QR code encodes (`contentStatic`), as core renders it; null when it cannot be rendered. */
export function staticContent(qr: QrRecord | Record<string, unknown>): string | null {
  try {
    return qrImageContent({ ...(qr as QrImageContentSource), static: true });
  } catch {
    return null;
  }
}

export class Store {
  readonly projects = new Map<string, Project>();
  readonly domains: DomainRecord[];
  /** `domain/key` → QR code, across projects (short links are globally unique). */
  readonly byShortLink = new Map<string, { project: Project; qr: QrRecord }>();
  private readonly random: Random;
  readonly now: () => number;
  readonly linkDomain: string;
  private readonly onChange: () => void;
  readonly behaviour: SandboxBehaviour;

  constructor(options: StoreOptions) {
    this.behaviour = options.behaviour ?? { ...DEFAULT_BEHAVIOUR };
    this.random = options.random;
    this.now = options.now;
    this.linkDomain = options.linkDomain;
    this.onChange = options.onChange ?? (() => {});
    const created = ISO(Date.UTC(2026, 0, 1));
    this.domains = [options.linkDomain, SHARED_DOMAIN].map((slug, index) => ({
      id: `dom_${slug.replace(/[^a-z0-9]/gi, '')}`,
      slug,
      verified: true,
      primary: index === 0,
      archived: false,
      target: null,
      type: 'redirect',
      placeholder: 'https://codeqr.io/help/article/what-is-codeqr',
      expiredUrl: null,
      createdAt: created,
      updatedAt: created,
    }));
  }

  changed(): void {
    this.onChange();
  }

  isoNow(): string {
    return ISO(this.now());
  }

  addProject(slug: string, plan: Plan, readOnly: boolean, data?: ProjectData): Project {
    const project = new Project(
      data ?? {
        id: ids.project(this.random),
        slug,
        name: slug,
        userId: ids.user(this.random),
        createdAt: this.isoNow(),
        qrCodes: [],
        tags: [],
        folders: [],
        scans: [],
        webhooks: [],
      },
      plan,
      readOnly,
    );
    this.projects.set(slug, project);
    for (const qr of project.data.qrCodes) this.byShortLink.set(`${qr.domain}/${qr.key}`, { project, qr });
    return project;
  }

  shortLinkFor(domain: string, key: string): string {
    const scheme = domain === this.linkDomain ? 'http' : 'https';
    return `${scheme}://${domain}/${key}`;
  }

  // ---------------------------------------------------------------- QR codes

  /** Resolves `{id}` in a path: a QR code id or `ext_<externalId>`. */
  findQr(project: Project, idOrExternal: string): QrRecord | undefined {
    if (idOrExternal.startsWith('ext_')) return project.qrByExternalId.get(idOrExternal.slice(4));
    return project.qrById.get(idOrExternal);
  }

  getQr(project: Project, idOrExternal: string): QrRecord {
    const qr = this.findQr(project, idOrExternal);
    if (!qr) throw new ApiError('not_found', `QR code "${idOrExternal}" not found in this project.`);
    return qr;
  }

  /** Validates a create body (without side effects) and returns the parsed value or an ApiError. */
  parseCreate(raw: unknown, prefix = ''): WireCreateBody {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ApiError('unprocessable_entity', `${prefix ? `${prefix}: ` : ''}expected a JSON object`);
    }
    const parsed = WireCreateBody.safeParse(raw);
    if (!parsed.success) throw new ApiError('unprocessable_entity', describeIssues(parsed.error, prefix));
    return parsed.data;
  }

  /** `url` and `expiredUrl` as CodeQR stores them (`getUrlFromString`), or its 422 when they still do not parse. */
  private normaliseUrls(body: { url?: string | null; expiredUrl?: string | null }): void {
    if (body.url) {
      body.url = getUrlFromString(body.url);
      if (!isValidUrl(body.url)) throw new ApiError('unprocessable_entity', 'Invalid destination URL');
    }
    if (body.expiredUrl) {
      body.expiredUrl = getUrlFromString(body.expiredUrl);
      if (!isValidUrl(body.expiredUrl)) throw new ApiError('unprocessable_entity', 'Invalid expired URL.');
    }
  }

  /** Per-plan feature gates, unless quotas are off. */
  private checkGates(project: Project, body: Record<string, unknown>): void {
    if (this.behaviour.quotas) checkFeatureGates(project.plan, body);
  }

  /** QR codes this project created this month (UTC), for the monthly quota. */
  qrCodesThisMonth(project: Project): number {
    const month = this.isoNow().slice(0, 7);
    return project.data.usage?.month === month ? project.data.usage.qrCodes : 0;
  }

  /**
   * The monthly QR-code quota before `count` creations: 403 `forbidden` once it is used up (single create, and a
   * bulk request when nothing is left), 403 `exceeded_limit` when a bulk request would overrun it (Dub's bulk route).
   */
  checkQrQuota(project: Project, count = 1, bulk = false): void {
    const limit = qrCodeLimit(project.plan);
    if (!this.behaviour.quotas || limit === undefined) return;
    const used = this.qrCodesThisMonth(project);
    if (used >= limit) throw new ApiError('forbidden', qrCodesExceeded(project.plan, limit));
    if (bulk && used + count > limit) throw new ApiError('exceeded_limit', qrCodesExceeded(project.plan, limit));
  }

  private resolveTags(project: Project, body: { tagIds?: unknown; tagNames?: unknown; tagId?: unknown }) {
    // as Dub's schema: a string is one tag and array items stay whole ("A,B" is one name, never split here)
    const list = (v: unknown): string[] =>
      v == null ? [] : (Array.isArray(v) ? v : [v]).map((s) => String(s).trim()).filter(Boolean);
    if (body.tagIds === undefined && body.tagNames === undefined && body.tagId === undefined) return undefined;
    const byId = list(body.tagIds).concat(list(body.tagId));
    const byName = list(body.tagNames);
    const tags: TagRecord[] = [];
    const unknownIds = byId.filter((id) => !project.data.tags.some((t) => t.id === id));
    if (unknownIds.length > 0) {
      throw new ApiError('unprocessable_entity', `tagIds: unknown tag ids ${unknownIds.join(', ')}; create them first`);
    }
    const unknownNames = byName.filter((n) => !project.data.tags.some((t) => t.name.toLowerCase() === n.toLowerCase()));
    if (unknownNames.length > 0) {
      throw new ApiError(
        'unprocessable_entity',
        `tagNames: unknown tags ${unknownNames.join(', ')}; create them first`,
      );
    }
    for (const tag of project.data.tags) {
      if (byId.includes(tag.id) || byName.some((n) => n.toLowerCase() === tag.name.toLowerCase())) tags.push(tag);
    }
    return tags;
  }

  private checkDomain(domain: string): void {
    if (!this.domains.some((d) => d.slug === domain)) {
      throw new ApiError(
        'forbidden',
        `domain: "${domain}" does not belong to this project; use one of ${this.domains.map((d) => d.slug).join(', ')}`,
      );
    }
  }

  private checkFolder(project: Project, folderId: unknown): void {
    if (folderId != null && !project.data.folders.some((f) => f.id === folderId)) {
      throw new ApiError('unprocessable_entity', `folderId: folder "${String(folderId)}" not found in this project`);
    }
  }

  /** The spec: colours are "hex or CSS keyword. Invalid values are coerced to default." */
  private normaliseColors(record: Record<string, unknown>, onlyGiven = false): void {
    for (const [field, fallback] of [
      ['bgColor', '#ffffff'],
      ['fgColor', '#000000'],
      ['frameColor', '#000000'],
    ] as const) {
      if ((onlyGiven || field === 'frameColor') && record[field] === undefined) continue;
      if (typeof record[field] !== 'string' || !isColor(record[field] as string)) record[field] = fallback;
    }
  }

  /**
   * Everything a create needs to check before it writes: domain, key, uniqueness, tags, folder. `reserved` holds the
   * short links and external ids already taken by earlier items of the same bulk request.
   */
  prepareCreate(
    project: Project,
    body: WireCreateBody,
    reserved?: { links: Set<string>; externalIds: Set<string> },
  ): QrRecord {
    this.normaliseUrls(body);
    this.checkGates(project, body);
    const domain = body.domain || this.linkDomain;
    this.checkDomain(domain);
    if (
      body.externalId &&
      (project.qrByExternalId.has(body.externalId) || reserved?.externalIds.has(body.externalId))
    ) {
      throw new ApiError('conflict', `externalId: a QR code with externalId "${body.externalId}" already exists.`);
    }
    let key = body.key;
    if (key) {
      if (this.byShortLink.has(`${domain}/${key}`) || reserved?.links.has(`${domain}/${key}`)) {
        throw new ApiError('conflict', `key: duplicate key, the short link ${domain}/${key} already exists.`);
      }
    } else {
      do key = `${body.prefix ?? ''}${ids.key(this.random)}`;
      while (this.byShortLink.has(`${domain}/${key}`) || reserved?.links.has(`${domain}/${key}`));
    }
    const tags = this.resolveTags(project, body) ?? [];
    this.checkFolder(project, body.folderId);
    const now = this.isoNow();
    const record = { ...baseRecord() } as Record<string, unknown>;
    for (const [field, value] of Object.entries(body)) {
      if (!REQUEST_ONLY.has(field) && value !== undefined) record[field] = value;
    }
    if (!body.key) delete record.key;
    Object.assign(record, {
      id: ids.qrCode(this.random),
      type: body.type ?? 'url',
      domain,
      key,
      tags,
      projectId: project.data.id,
      userId: project.data.userId,
      createdAt: now,
      updatedAt: now,
      shortLink: this.shortLinkFor(domain, key),
    });
    this.normaliseColors(record);
    record.contentStatic = record.static ? staticContent(record) : null;
    reserved?.links.add(`${domain}/${key}`);
    if (body.externalId) reserved?.externalIds.add(body.externalId);
    return record as QrRecord;
  }

  insert(project: Project, qr: QrRecord): QrRecord {
    const month = this.isoNow().slice(0, 7);
    project.data.usage = { month, qrCodes: this.qrCodesThisMonth(project) + 1 };
    project.data.qrCodes.push(qr);
    project.qrById.set(qr.id, qr);
    if (qr.externalId) project.qrByExternalId.set(qr.externalId, qr);
    this.byShortLink.set(`${qr.domain}/${qr.key}`, { project, qr });
    this.changed();
    return qr;
  }

  create(project: Project, raw: unknown): QrRecord {
    return this.insert(project, this.prepareCreate(project, this.parseCreate(raw)));
  }

  /** Partial update; answers `changed: false` (and leaves `updatedAt`) when nothing differs. */
  update(project: Project, qr: QrRecord, raw: unknown): { qr: QrRecord; changed: boolean } {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ApiError('unprocessable_entity', 'expected a JSON object');
    }
    const parsed = WireUpdateBody.safeParse(raw);
    if (!parsed.success) throw new ApiError('unprocessable_entity', describeIssues(parsed.error));
    const body = parsed.data;
    this.normaliseUrls(body);
    this.checkGates(project, body);
    this.normaliseColors(body as Record<string, unknown>, true);
    // A payload of another type (a `wifi` sent to a URL code) is accepted and changes nothing (CodeQR's MCP notes).
    const payloadField = PAYLOAD_FIELDS[(body.type ?? qr.type) as QrCodeType];
    const next: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(body)) {
      if (REQUEST_ONLY.has(field) || value === undefined) continue;
      if (PAYLOADS.has(field) && field !== payloadField) continue;
      if (field === 'key' && !value) continue;
      if (JSON.stringify(qr[field] ?? null) !== JSON.stringify(value)) next[field] = value;
    }
    const tags = this.resolveTags(project, body);
    if (tags && JSON.stringify(tags.map((t) => t.id).sort()) !== JSON.stringify(qr.tags.map((t) => t.id).sort())) {
      next.tags = tags;
    }
    if ('folderId' in next) this.checkFolder(project, next.folderId);
    const domain = (next.domain as string | undefined) ?? qr.domain;
    const key = (next.key as string | undefined) ?? qr.key;
    if (domain !== qr.domain || key !== qr.key) {
      this.checkDomain(domain);
      if (this.byShortLink.has(`${domain}/${key}`)) {
        throw new ApiError('conflict', `key: duplicate key, the short link ${domain}/${key} already exists.`);
      }
    }
    if ('externalId' in next && next.externalId) {
      const other = project.qrByExternalId.get(next.externalId as string);
      if (other && other.id !== qr.id) {
        throw new ApiError('conflict', `externalId: a QR code with externalId "${next.externalId}" already exists.`);
      }
    }
    const type = (next.type as string | undefined) ?? qr.type;
    const url = 'url' in next ? next.url : qr.url;
    if (type === 'url' && !url) throw new ApiError('unprocessable_entity', 'url: is required when type is "url"');
    if (Object.keys(next).length === 0) return { qr, changed: false };

    this.byShortLink.delete(`${qr.domain}/${qr.key}`);
    if (qr.externalId) project.qrByExternalId.delete(qr.externalId);
    Object.assign(qr, next);
    this.normaliseColors(qr);
    qr.shortLink = this.shortLinkFor(qr.domain, qr.key);
    qr.contentStatic = qr.static ? staticContent(qr) : null;
    qr.updatedAt = this.isoNow();
    this.byShortLink.set(`${qr.domain}/${qr.key}`, { project, qr });
    if (qr.externalId) project.qrByExternalId.set(qr.externalId, qr);
    this.changed();
    return { qr, changed: true };
  }

  remove(project: Project, qr: QrRecord): void {
    project.qrById.delete(qr.id);
    if (qr.externalId) project.qrByExternalId.delete(qr.externalId);
    this.byShortLink.delete(`${qr.domain}/${qr.key}`);
    const index = project.data.qrCodes.indexOf(qr);
    if (index >= 0) project.data.qrCodes.splice(index, 1);
    this.changed();
  }

  /** The docs' upsert: the oldest QR code with exactly this destination URL is returned (updated if needed). */
  upsertByUrl(
    project: Project,
    raw: unknown,
    beforeCreate?: () => void,
  ): { qr: QrRecord; action: 'created' | 'updated' | 'unchanged' } {
    const body = this.parseCreate(raw);
    const url = body.url ? getUrlFromString(body.url) : body.url;
    const existing = project.data.qrCodes
      .filter((qr) => qr.url === url)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (!existing) {
      beforeCreate?.();
      return { qr: this.insert(project, this.prepareCreate(project, body)), action: 'created' };
    }
    const { qr, changed } = this.update(project, existing, raw);
    return { qr, action: changed ? 'updated' : 'unchanged' };
  }

  // ---------------------------------------------------------------- tags & folders

  createTag(project: Project, name: string, color?: string): TagRecord {
    if (project.data.tags.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
      throw new ApiError('conflict', `name: a tag named "${name}" already exists.`);
    }
    const tag: TagRecord = {
      id: ids.tag(this.random),
      name,
      color: color ?? TAG_COLORS[Math.floor(this.random.next() * TAG_COLORS.length)]!,
      createdAt: this.isoNow(),
    };
    project.data.tags.push(tag);
    this.changed();
    return tag;
  }

  createFolder(project: Project, name: string, accessLevel: 'write' | 'read' | null): FolderRecord {
    const now = this.isoNow();
    const folder: FolderRecord = {
      id: ids.folder(this.random),
      name,
      type: 'default',
      accessLevel,
      createdAt: now,
      updatedAt: now,
    };
    project.data.folders.push(folder);
    this.changed();
    return folder;
  }

  // ---------------------------------------------------------------- scans

  recordScan(project: Project, qr: QrRecord, scan: Omit<ScanRecord, 'id' | 'qrCodeId'>): ScanRecord {
    const record: ScanRecord = { id: ids.click(this.random), qrCodeId: qr.id, ...scan };
    project.data.scans.push(record);
    project.indexScan(record);
    qr.scans += 1;
    const iso = ISO(record.timestamp);
    if (!qr.lastClicked || qr.lastClicked < iso) qr.lastClicked = iso;
    this.changed();
    return record;
  }

  toJSON(): { projects: ProjectData[] } {
    return { projects: [...this.projects.values()].map((p) => p.data) };
  }
}
