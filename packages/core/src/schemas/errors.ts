/** CodeQR's documented error codes, with the HTTP status each one is sent with. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  exceeded_limit: 403,
  not_found: 404,
  conflict: 409,
  invite_expired: 410,
  unprocessable_entity: 422,
  rate_limit_exceeded: 429,
  internal_server_error: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** Codes a bulk item error may carry (`QrCodeErrorSchema.code`). */
export const BULK_ITEM_ERROR_CODES = [
  'bad_request',
  'not_found',
  'internal_server_error',
  'unauthorized',
  'forbidden',
  'rate_limit_exceeded',
  'invite_expired',
  'invite_pending',
  'exceeded_limit',
  'conflict',
  'unprocessable_entity',
  'service_unavailable',
] as const;
export type BulkItemErrorCode = (typeof BULK_ITEM_ERROR_CODES)[number];
