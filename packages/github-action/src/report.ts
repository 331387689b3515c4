/** What a step did, one row per QR code: the source of the job summary and the sticky PR comment. */
import { qrImageContent } from '@codeqr-integrations/core/base';

export type RowStatus = 'created' | 'updated' | 'unchanged' | 'failed' | 'found' | 'deleted';

export interface ReportRow {
  /** 1-based row of a catalogue file. */
  row?: number;
  status: RowStatus;
  externalId?: string | null;
  id?: string;
  title?: string | null;
  shortLink?: string;
  url?: string | null;
  imageUrl?: string;
  error?: { code: string; message: string; field?: string };
}

export interface Report {
  operation: string;
  rows: ReportRow[];
  /** Extra lines shown under the table (counts, paths, notes). */
  notes: string[];
  /** Not a table of QR codes (analytics, scans): shown as a JSON block instead. */
  data?: unknown;
}

export interface QrLike {
  id: string;
  domain: string;
  key: string;
  shortLink: string;
  url?: string | null;
  title?: string | null;
  externalId?: string | null;
  static?: boolean | null;
  type?: string | null;
}

export function isQrCode(value: unknown): value is QrLike {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  // a scan has an id, a short link and a domain too, but no createdAt
  return (
    typeof v.id === 'string' &&
    typeof v.shortLink === 'string' &&
    typeof v.domain === 'string' &&
    typeof v.key === 'string' &&
    typeof v.createdAt === 'string'
  );
}

/**
 * A hosted image of the QR code, for Markdown (GitHub strips `data:` URIs): CodeQR's image endpoint for what the code
 * encodes. Only for codes that encode a link: a static Wi-Fi or SMS code would put its content in a public URL.
 */
export function imageUrlOf(qr: QrLike, apiBaseUrl: string): string | undefined {
  let content: string;
  try {
    content = qrImageContent(qr);
  } catch {
    return undefined;
  }
  if (!/^https?:\/\//i.test(content)) return undefined;
  return `${apiBaseUrl}/qr?url=${encodeURIComponent(content)}`;
}

export function rowOf(qr: QrLike, status: RowStatus, apiBaseUrl: string, row?: number): ReportRow {
  const out: ReportRow = {
    status,
    id: qr.id,
    shortLink: qr.shortLink,
    url: qr.url ?? null,
    title: qr.title ?? null,
    externalId: qr.externalId ?? null,
  };
  const imageUrl = imageUrlOf(qr, apiBaseUrl);
  if (imageUrl) out.imageUrl = imageUrl;
  if (row !== undefined) out.row = row;
  return out;
}

/**
 * The step failed after work was done (items or rows failed with fail-on-error): `main.ts` still publishes the
 * report, so the summary and comment show what was done, then fails the step with this message.
 */
export class PartialFailure extends Error {
  override readonly name = 'PartialFailure';
  readonly report: Report;
  constructor(message: string, report: Report) {
    super(message);
    this.report = report;
  }
}
