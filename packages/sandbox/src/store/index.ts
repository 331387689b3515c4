import { DEFAULT_BEHAVIOUR, type SandboxBehaviour } from '../behaviour.ts';
import type { Plan } from '../plans.ts';
import { ids, type Random } from '../random.ts';
import type { WireCreateBody } from '../wire/qr-code.ts';
import { type StoreContext, toIso } from './context.ts';
import { type Snapshot, snapshot } from './persist.ts';
import * as qrcodes from './qrcodes.ts';
import * as quotas from './quotas.ts';
import {
  type DomainRecord,
  type FolderRecord,
  Project,
  type ProjectData,
  type QrRecord,
  type ScanRecord,
  type TagRecord,
} from './records.ts';
import { createFolder, createTag } from './relations.ts';
import { recordScan } from './scans.ts';

export { type LinkAnswer, linkAnswer, staticContent } from './content.ts';
export * from './records.ts';

/** The shared short-link domain (spec: a link's `domain`, "or `codeqr.link` if the project has no domains"). */
export const SHARED_DOMAIN = 'codeqr.link';

export interface StoreOptions {
  random: Random;
  now: () => number;
  /** The short-link host's domain (e.g. `127.0.0.1:8788`): every project's primary domain. */
  linkDomain: string;
  onChange?: () => void;
  /** Shared with the app, read on every request (quotas on or off). */
  behaviour?: SandboxBehaviour;
}

/**
 * The sandbox's state: every project and the indexes across them. Each job lives in its own file (records,
 * coercions, quotas, relations, QR-code CRUD, scans, persistence); the methods here are the API routes and tests use.
 */
export class Store implements StoreContext {
  readonly projects = new Map<string, Project>();
  readonly domains: DomainRecord[];
  readonly byShortLink = new Map<string, { project: Project; qr: QrRecord }>();
  readonly random: Random;
  readonly now: () => number;
  readonly linkDomain: string;
  readonly behaviour: SandboxBehaviour;
  private readonly onChange: () => void;

  constructor(options: StoreOptions) {
    this.behaviour = options.behaviour ?? { ...DEFAULT_BEHAVIOUR };
    this.random = options.random;
    this.now = options.now;
    this.linkDomain = options.linkDomain;
    this.onChange = options.onChange ?? (() => {});
    const created = toIso(Date.UTC(2026, 0, 1));
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
    return toIso(this.now());
  }

  shortLinkFor(domain: string, key: string): string {
    const scheme = domain === this.linkDomain ? 'http' : 'https';
    return `${scheme}://${domain}/${key}`;
  }

  addProject(slug: string, plan: Plan, readOnly: boolean, data?: ProjectData): Project {
    const project = new Project(data ?? this.emptyProject(slug), plan, readOnly);
    this.projects.set(slug, project);
    for (const qr of project.data.qrCodes) this.byShortLink.set(`${qr.domain}/${qr.key}`, { project, qr });
    return project;
  }

  private emptyProject(slug: string): ProjectData {
    return {
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
    };
  }

  // QR codes (store/qrcodes.ts)

  findQr(project: Project, idOrExternal: string): QrRecord | undefined {
    return qrcodes.findQr(project, idOrExternal);
  }

  getQr(project: Project, idOrExternal: string): QrRecord {
    return qrcodes.getQr(project, idOrExternal);
  }

  parseCreate(raw: unknown, prefix = ''): WireCreateBody {
    return qrcodes.parseCreate(raw, prefix);
  }

  prepareCreate(project: Project, body: WireCreateBody, reserved?: qrcodes.Reserved): QrRecord {
    return qrcodes.prepareCreate(this, project, body, reserved);
  }

  insert(project: Project, qr: QrRecord): QrRecord {
    return qrcodes.insert(this, project, qr);
  }

  create(project: Project, raw: unknown): QrRecord {
    return this.insert(project, this.prepareCreate(project, this.parseCreate(raw)));
  }

  update(project: Project, qr: QrRecord, raw: unknown): { qr: QrRecord; changed: boolean } {
    return qrcodes.update(this, project, qr, raw);
  }

  remove(project: Project, qr: QrRecord): void {
    qrcodes.remove(this, project, qr);
  }

  upsertByUrl(project: Project, raw: unknown, beforeCreate?: () => void) {
    return qrcodes.upsertByUrl(this, project, raw, beforeCreate);
  }

  // quotas (store/quotas.ts)

  qrCodesThisMonth(project: Project): number {
    return quotas.qrCodesThisMonth(this, project);
  }

  checkQrQuota(project: Project, count = 1, bulk = false): void {
    quotas.checkQrQuota(this, project, count, bulk);
  }

  // tags, folders and scans (store/relations.ts, store/scans.ts)

  createTag(project: Project, name: string, color?: string): TagRecord {
    return createTag(this, project, name, color);
  }

  createFolder(project: Project, name: string, accessLevel: 'write' | 'read' | null): FolderRecord {
    return createFolder(this, project, name, accessLevel);
  }

  recordScan(project: Project, qr: QrRecord, scan: Omit<ScanRecord, 'id' | 'qrCodeId'>): ScanRecord {
    return recordScan(this, project, qr, scan);
  }

  /** What `--data` saves (store/persist.ts). */
  toJSON(): Snapshot {
    return snapshot(this.projects.values());
  }
}
