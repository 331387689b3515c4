import { type QrImageContentSource, qrImageContent } from '@codeqr-integrations/core';
import {
  CreateQrCodeBody,
  type Plan,
  type QrCodeType,
  TAG_COLORS,
  UpdateQrCodeBody,
} from '@codeqr-integrations/core/schemas';
import { ApiError, describeIssues } from './api-error.ts';
import { ids, type Random } from './random.ts';

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
}

const ISO = (ms: number) => new Date(ms).toISOString();
const COLOR = /^(#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]{3,20})$/i;

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

  constructor(options: StoreOptions) {
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
  parseCreate(raw: unknown, prefix = ''): ReturnType<typeof CreateQrCodeBody.parse> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ApiError('unprocessable_entity', `${prefix ? `${prefix}: ` : ''}expected a JSON object`);
    }
    const parsed = CreateQrCodeBody.safeParse(raw);
    if (!parsed.success) throw new ApiError('unprocessable_entity', describeIssues(parsed.error, prefix));
    return parsed.data;
  }

  private resolveTags(project: Project, body: { tagIds?: unknown; tagNames?: unknown; tagId?: unknown }) {
    const list = (v: unknown): string[] =>
      v == null
        ? []
        : (Array.isArray(v) ? v : [v])
            .flatMap((s) => String(s).split(','))
            .map((s) => s.trim())
            .filter(Boolean);
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

  private normaliseColors(record: Record<string, unknown>): void {
    for (const [field, fallback] of [
      ['bgColor', '#ffffff'],
      ['fgColor', '#000000'],
    ] as const) {
      if (typeof record[field] !== 'string' || !COLOR.test(record[field] as string)) record[field] = fallback;
    }
  }

  /**
   * Everything a create needs to check before it writes: domain, key, uniqueness, tags, folder. `reserved` holds the
   * short links and external ids already taken by earlier items of the same bulk request.
   */
  prepareCreate(
    project: Project,
    body: ReturnType<typeof CreateQrCodeBody.parse>,
    reserved?: { links: Set<string>; externalIds: Set<string> },
  ): QrRecord {
    const domain = body.domain ?? this.linkDomain;
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
    const parsed = UpdateQrCodeBody.safeParse(raw);
    if (!parsed.success) throw new ApiError('unprocessable_entity', describeIssues(parsed.error));
    const body = parsed.data;
    const next: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(body)) {
      if (REQUEST_ONLY.has(field) || value === undefined) continue;
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
  upsertByUrl(project: Project, raw: unknown): { qr: QrRecord; action: 'created' | 'updated' | 'unchanged' } {
    const body = this.parseCreate(raw);
    const existing = project.data.qrCodes
      .filter((qr) => qr.url === body.url)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (!existing) return { qr: this.insert(project, this.prepareCreate(project, body)), action: 'created' };
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
