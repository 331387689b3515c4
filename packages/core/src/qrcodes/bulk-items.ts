import { randomUUID } from 'node:crypto';
import { CodeQrError, type CodeQrErrorCode, isCodeQrError } from '../errors.ts';
import type { QrCode } from '../schemas/qr-code.ts';

/** The per-item results bulk create and upsertMany answer, and the small helpers both build them with. */

/** Why one item failed; `externalId` is the one it was sent with (rerunning with it never creates it twice). */
export interface BulkItemFailure {
  code: CodeQrErrorCode | string;
  message: string;
  field?: string;
  externalId?: string;
}

/**
 * One item's outcome. `action`: `created`, or `unchanged` when a QR code with the item's External ID was already there
 * (a replay): that code is the answer, as it is; nothing was written (Create or Update changes an existing code).
 */
export type BulkItemResult =
  | { index: number; ok: true; action: 'created' | 'unchanged'; qrCode: QrCode }
  | { index: number; ok: false; error: BulkItemFailure };

/** A validated item on its way to CodeQR. */
export type ChunkItem = { index: number; body: Record<string, unknown> & { externalId?: string | null } };
/**
 * An item's result, and whether the QR code was found afterwards (by externalId) rather than in the answer;
 * `existed` when it was there before this request: CodeQR refused it (or left it out) on an attempt that no earlier
 * attempt of ours can have landed before, so someone else created it (a concurrent run won the race); or, whatever
 * the attempts, its `createdAt` is clearly before this request was first sent (a replay whose request was retried).
 */
export type CreatedResult = (
  | { index: number; ok: true; qrCode: QrCode }
  | { index: number; ok: false; error: BulkItemFailure }
) & { adopted?: boolean; existed?: boolean };

/** What CodeQR said about an item whose outcome is still to be settled. */
export type Failure = { code: string; message: string };

/** Items per `POST /qrcodes/bulk` request. */
export const BULK_CHUNK_SIZE = 100;

export function itemError(
  index: number,
  code: string,
  message: string,
  extra: { field?: string | undefined; externalId?: string | null | undefined } = {},
): BulkItemResult & { ok: false } {
  const error: BulkItemFailure = { code, message };
  if (extra.field) error.field = extra.field;
  if (extra.externalId) error.externalId = extra.externalId;
  return { index, ok: false, error };
}

/** The externalId an item without one is sent with, so a lost answer can be reconciled. */
export function generatedExternalId(): string {
  return `cqr_${randomUUID()}`;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The answer a failed write leaves: certainly not applied (safe to send again as is), or possibly applied. */
export function certainlyNotApplied(error: CodeQrError, attempts: number): boolean {
  if (attempts > 1) return false; // an earlier attempt may have landed
  if (error.requestSent === false || attempts === 0) return true;
  return error.status !== undefined && error.status >= 400 && error.status < 500;
}

/** An item whose fate could not be settled: `outcome_unknown`, with the externalId that makes a rerun safe. */
export const unknownOutcome = (index: number, externalId: string | null | undefined, why: string): BulkItemResult =>
  itemError(
    index,
    'outcome_unknown',
    externalId
      ? `${why} It may or may not have been created: run it again with externalId "${externalId}" (that never creates it twice).`
      : `${why} It may or may not have been created, and without an externalId it cannot be looked up: check in CodeQR before sending it again.`,
    { externalId },
  );

export function asCodeQrError(error: unknown): CodeQrError {
  if (isCodeQrError(error)) return error;
  return new CodeQrError({
    code: 'internal_server_error',
    message: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}
