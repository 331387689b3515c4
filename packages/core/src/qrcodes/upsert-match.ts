import { CodeQrError, isCodeQrError } from '../errors.ts';
import type { QrCode } from '../schemas/qr-code.ts';
import { type BulkItemFailure, certainlyNotApplied, itemError } from './bulk-items.ts';
import { changedFields, externalIdForms } from './compare.ts';
import type { CreateBody, QrCodeRequests } from './requests.ts';

/**
 * What upsert answers, and how it finds the QR code to update: by externalId (exact and unique), else by exact
 * destination URL, the oldest one; and what it writes: only the fields that differ.
 */

export type UpsertAction = 'created' | 'updated' | 'unchanged';
export interface UpsertResult {
  action: UpsertAction;
  qrCode: QrCode;
}
export type MatchBy = 'externalId' | 'url';
export interface UpsertOptions {
  /** How an existing QR code is found: by `externalId` (exact, unique) or by exact destination `url`. */
  matchBy?: MatchBy;
}

export type UpsertManyResult =
  | { index: number; ok: true; action: UpsertAction; qrCode: QrCode }
  | { index: number; ok: false; error: BulkItemFailure };

export interface UpsertManyOptions extends UpsertOptions {
  /** Parallel requests at most for lookups and updates, and parallel bulk-create chunks (default 4). */
  concurrency?: number;
}

/** One validated input item and how its existing QR code is found. */
export type Entry = { index: number; body: CreateBody; matchBy: MatchBy };

/** How `body` is matched: `matchBy`, else by externalId when it has one, else by url (its field is then required). */
export function matchByOf(body: CreateBody, matchBy: MatchBy | undefined, field = ''): MatchBy {
  const by = matchBy ?? (body.externalId ? 'externalId' : 'url');
  const at = field ? `${field}.` : '';
  if (by === 'externalId' && !body.externalId) {
    throw new CodeQrError({
      code: 'validation_error',
      message: 'Upsert by externalId needs an externalId; set one or match by url.',
      issues: [{ field: `${at}externalId`, message: 'is required to match by externalId' }],
    });
  }
  if (by === 'url' && !body.url) {
    throw new CodeQrError({
      code: 'validation_error',
      message: 'Upsert by URL needs the destination url.',
      issues: [{ field: `${at}url`, message: 'is required to match by url' }],
    });
  }
  return by;
}

/** The fields of `body` that differ from `existing` (`type` only when the type changes). */
export function patchFor(existing: QrCode, body: CreateBody): Record<string, unknown> {
  const { type, ...rest } = body;
  return changedFields(existing, existing.type === type ? rest : body);
}

/** The existing QR code of `entry`, by its `matchBy`. */
export function find(api: QrCodeRequests, entry: Entry): Promise<QrCode | undefined> {
  return entry.matchBy === 'externalId'
    ? findByExternalId(api, entry.body.externalId as string)
    : findOldestByUrl(api, entry.body.url as string);
}

export async function findByExternalId(api: QrCodeRequests, externalId: string): Promise<QrCode | undefined> {
  try {
    return await api.getByExternalId(externalId);
  } catch (error) {
    if (isCodeQrError(error) && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * The oldest QR code whose destination is exactly `url`. The list's `search` (slug, title or URL containing the
 * text) narrows the read; every page of it is read, so a match is found however many newer codes share the prefix.
 */
async function findOldestByUrl(api: QrCodeRequests, url: string): Promise<QrCode | undefined> {
  let oldest: QrCode | undefined;
  for await (const qr of api.listAll({ search: url })) if (qr.url === url) oldest = older(oldest, qr);
  return oldest;
}

/** The code created with `externalId` among codes by stored externalId (see `externalIdForms`). */
export function externalIdMatch(byExternalId: Map<string, QrCode>, externalId: string): QrCode | undefined {
  for (const form of externalIdForms(externalId)) {
    const qr = byExternalId.get(form);
    if (qr) return qr;
  }
  return undefined;
}

/** The older of two QR codes (the oldest one wins a URL match); ties broken by id. */
export function older(a: QrCode | undefined, b: QrCode): QrCode {
  if (!a) return b;
  return b.createdAt < a.createdAt || (b.createdAt === a.createdAt && b.id < a.id) ? b : a;
}

/** An item's failure: what CodeQR said, or `outcome_unknown` when a write may have landed. */
export function failure(entry: Entry, raw: unknown, doing: 'look it up' | 'update it'): UpsertManyResult {
  const error = isCodeQrError(raw)
    ? raw
    : new CodeQrError({ code: 'internal_server_error', message: String(raw), cause: raw });
  const externalId = entry.body.externalId ?? undefined;
  if (doing === 'update it' && !certainlyNotApplied(error, error.attempts)) {
    return itemError(
      entry.index,
      'outcome_unknown',
      `Could not ${doing} (${error.message.replace(/\.$/, '')}); the update may or may not have been applied. Running the upsert again is safe.`,
      { externalId },
    );
  }
  const message =
    doing === 'look it up'
      ? `Could not look it up (${error.message.replace(/\.$/, '')}); nothing was written for this item.`
      : error.message;
  return itemError(entry.index, error.code, message, { field: error.issues[0]?.field, externalId });
}
