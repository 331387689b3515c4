import type { HttpClient } from '../client/http.ts';
import { CodeQrError, isCodeQrError } from '../errors.ts';
import { BulkDeleteResult } from '../schemas/qr-code.ts';

/** Ids per `DELETE /qrcodes/bulk` request. */
const DELETE_CHUNK_SIZE = 100;

/**
 * Deletes by id in chunks of 100; unknown ids are ignored by CodeQR. A chunk whose answer was lost is sent again,
 * and then every id of it counts as deleted (they are all gone, whichever attempt removed them).
 */
export async function bulkDelete(http: HttpClient, ids: readonly string[]): Promise<{ deletedCount: number }> {
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !id.trim())) {
    throw new CodeQrError({
      code: 'validation_error',
      message: 'bulkDelete needs an array of QR code ids (non-empty strings).',
      issues: [{ field: 'ids', message: 'must be an array of non-empty strings' }],
    });
  }
  let deletedCount = 0;
  const unique = [...new Set(ids.map((id) => id.trim()))];
  const deadline = http.deadline(); // one time budget for every chunk
  for (let i = 0; i < unique.length; i += DELETE_CHUNK_SIZE) {
    const chunk = unique.slice(i, i + DELETE_CHUNK_SIZE);
    let attempts = 0;
    try {
      const result = await http.request({
        method: 'DELETE',
        path: '/qrcodes/bulk',
        query: { qrcodeIds: chunk },
        schema: BulkDeleteResult,
        deadline,
        onAttempt: (n) => {
          attempts = n;
        },
      });
      deletedCount += attempts > 1 ? chunk.length : result.deletedCount;
    } catch (error) {
      if (!isCodeQrError(error) || i === 0) throw error;
      throw new CodeQrError({
        code: error.code,
        status: error.status,
        requestId: error.requestId,
        retryAfter: error.retryAfter,
        attempts: error.attempts,
        message: `${error.message.replace(/\.$/, '')} (after ${deletedCount} of ${unique.length} QR codes were deleted; deleting the same ids again is safe).`,
        cause: error,
      });
    }
  }
  return { deletedCount };
}
