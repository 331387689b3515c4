/**
 * The `schemas` namespace (also `@codeqr-integrations/core/schemas`): the zod schemas of CodeQR's request and answer
 * bodies, and the plan and webhook facts hosts read. Listed name by name, so the public surface is a visible choice
 * (`test/package.test.ts` pins it); the helpers, messages and enum lists the schema files share among themselves stay
 * internal.
 */
export {
  AnalyticsGroupBy,
  AnalyticsInterval,
  AnalyticsQuery,
  AnalyticsResponse,
  type AnalyticsResult,
} from './analytics.ts';
export { Domain, Folder, PLANS, PLANS_WITH_EVENTS, Plan, QrCodeType, QrLevel, Tag, TagColor } from './common.ts';
export type { ApiErrorCode, BulkItemErrorCode } from './errors.ts';
export { EventsQuery, ScanEventRow, ScanEventRows } from './events.ts';
export {
  BulkDeleteResult,
  BulkItemError,
  CreateQrCodeBody,
  CreateQrCodeRequest,
  DeletedQrCode,
  QrCode,
  QrCodeFields,
  UpdateQrCodeBody,
  UpdateQrCodeRequest,
} from './qr-code.ts';
export { QR_WEBHOOK_EVENTS, QrWebhookEvent, type QrWebhookEventName, SIGNATURE_HEADER } from './webhooks.ts';
