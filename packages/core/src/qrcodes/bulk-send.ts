import * as z from 'zod/v4';
import { matchAnswer } from './bulk-answer.ts';
import {
  asCodeQrError,
  BULK_CHUNK_SIZE,
  type ChunkItem,
  type CreatedResult,
  certainlyNotApplied,
  itemError,
  unknownOutcome,
} from './bulk-items.ts';
import { settle } from './bulk-settle.ts';
import type { QrCodeRequests } from './requests.ts';

/**
 * Sends `pending` in chunks of 100 over a few parallel workers; `prepare` turns a chunk into validated items (it
 * may report items itself), `done` receives every sent item's result. Never rejects. Shared by bulk create and
 * upsertMany's creates.
 */
export async function sendInChunks<P extends { index: number; externalId?: string | undefined }>(
  api: QrCodeRequests,
  pending: P[],
  prepare: (chunk: P[]) => ChunkItem[],
  done: (result: CreatedResult) => void,
  concurrency = 4,
): Promise<void> {
  const chunks: P[][] = [];
  for (let i = 0; i < pending.length; i += BULK_CHUNK_SIZE) chunks.push(pending.slice(i, i + BULK_CHUNK_SIZE));
  const maxWorkers = Math.max(1, Math.min(concurrency, 16));
  let next = 0;
  const worker = async () => {
    for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
      let valid: ChunkItem[] = [];
      try {
        valid = prepare(chunk);
        if (valid.length === 0) continue;
        for (const result of await sendChunk(api, valid)) done(result);
      } catch (error) {
        // sendChunk settles every item itself; this is the last line for a bug, never a lost item
        const why = `Unexpected failure (${asCodeQrError(error).message.replace(/\.$/, '')}).`;
        for (const item of valid) done(unknownOutcome(item.index, item.body.externalId, why));
      }
    }
  };
  // Adapt to the plan: never more parallel chunks than the window has budget for (the pacer does the rest).
  const budget = api.http.pacer.available();
  const workers = Math.max(1, Math.min(maxWorkers, chunks.length, budget === undefined ? maxWorkers : budget));
  await Promise.all(Array.from({ length: workers }, worker));
}

/** One `POST /qrcodes/bulk`; every item of the chunk comes back with a result. */
async function sendChunk(api: QrCodeRequests, chunk: ChunkItem[]): Promise<CreatedResult[]> {
  const reconcilable = chunk.every((item) => !!item.body.externalId);
  // on the client's clock; read on CodeQR's (`serverTime`) once an answer has measured the offset
  const startedAt = api.http.now();
  let attempts = 0;
  /** Whether an earlier attempt of this chunk may have been applied (a 429 or a refused connection was not). */
  let mayHaveLanded = false;
  let answer: unknown[];
  try {
    answer = await api.http.request({
      method: 'POST',
      path: '/qrcodes/bulk',
      body: chunk.map((item) => item.body),
      schema: z.array(z.unknown()),
      idempotent: reconcilable,
      // the client's timeoutMs when given, else a bulk request's longer default
      slow: true,
      onAttempt: (n) => {
        attempts = n;
      },
      onRetry: (_failure, landed) => {
        if (landed) mayHaveLanded = true;
      },
    });
  } catch (raw) {
    const error = asCodeQrError(raw);
    if (certainlyNotApplied(error, mayHaveLanded ? attempts : Math.min(attempts, 1))) {
      return chunk.map((item) =>
        itemError(item.index, error.code, error.message, {
          field: error.issues[0]?.field,
          externalId: item.body.externalId,
        }),
      );
    }
    // The chunk may or may not have landed: look each item up by its externalId before calling it failed.
    return settle(
      api,
      chunk.map((item) => ({ item, failure: error })),
      startedAt,
    );
  }
  return matchAnswer(api, chunk, answer, startedAt, !mayHaveLanded);
}
