import type { Plan } from '../plans.ts';
import type { QrCodeType } from '../wire/enums.ts';

/** What the store holds: one project per API key, its QR codes, tags, folders, scans and webhooks (all JSON). */

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

/**
 * `pix` is stored (a static Pix code is built from it) but never answered: the spec's response `QrCodeSchema` has no
 * `pix` property (research-17 §1 pix), so it is kept as a non-enumerable property that JSON answers, webhooks and
 * list rows leave out; `--data` saves it explicitly (persist.ts).
 */
export function hidePix(qr: Record<string, unknown>): void {
  const value = qr.pix ?? null;
  Object.defineProperty(qr, 'pix', { value, enumerable: false, writable: true, configurable: true });
}

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
      hidePix(qr);
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
