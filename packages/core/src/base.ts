/**
 * The host-neutral entry without the fetch transport or timers: the n8n node bundles this one and passes its own transport and sleep.
 * It exports the public surface only (see the README's "Public surface"); everything else is internal and may change.
 * The main entry (`@codeqr-integrations/core`) is this plus the fetch transport and a timer `sleep` as defaults.
 */
import { type CodeQrClient, type CodeQrClientOptions, createClientWith } from './create-client.ts';

// the client
export type { Analytics, AnalyticsParams } from './analytics/analytics.ts';
export { DEFAULT_BASE_URL, type RetryOptions } from './client/config.ts';
export type { RateLimitEvent } from './client/pacer.ts';
export type { PageOptions, Paginated } from './client/paginate.ts';
export {
  type HttpMethod,
  headersToRecord,
  type Transport,
  type TransportRequest,
  type TransportResponse,
  transportError,
} from './client/transport.ts';
export type { CodeQrClient, CodeQrClientOptions } from './create-client.ts';
export type { Domains } from './domains/domains.ts';
// errors
export {
  CODEQR_ERROR_CODES,
  CodeQrError,
  type CodeQrErrorCode,
  type CodeQrErrorOptions,
  type FieldIssue,
  isCodeQrError,
} from './errors.ts';
export type { Events, EventsParams } from './events/events.ts';
// fields for host forms
export {
  type DynamicOptionSource,
  describeFields,
  dynamicSources,
  FIELD_KINDS,
  type FieldAtPath,
  type FieldKind,
  type FieldMeta,
  type FieldOption,
  type FieldSpec,
  fieldAtPath,
  humanize,
  type TypeContent,
  typeContent,
} from './fields/index.ts';
export type { Folders } from './folders/folders.ts';
// QR images rendered locally
export {
  type QrImageContentSource,
  type QrImageOptions,
  qrImageContent,
  renderQrPng,
  renderQrSvg,
} from './image/index.ts';
// the operation registry
export {
  type Answer,
  type AnyAction,
  type AnyOperation,
  type AnyTrigger,
  actions,
  defineOperation,
  defineTrigger,
  getOperation,
  getTrigger,
  type ItemFailure,
  kebabKey,
  type Operation,
  type OperationDefinition,
  type OperationKey,
  type OperationKind,
  operations,
  type ParsedItems,
  type PollBudget,
  type PollResult,
  type Trigger,
  type TriggerDefinition,
  triggers,
} from './operations/index.ts';
export { type ListOptionsParams, listOptions } from './operations/options.ts';
export { type ItemOutcome, type RunItemsOptions, runItems } from './operations/run-items.ts';
// polling helpers for custom triggers
export {
  diffScanCounts,
  type PollQrCodesResult,
  type PollScansOptions,
  type PollScansResult,
  pollNewQrCodes,
  pollNewScans,
  RECENT_LOOKBACK_MS,
  RECENT_MAX_ITEMS,
  type RecentOptions,
  type RecentQrCodeFilters,
  type RecentReader,
  type RecentResult,
  RecentScanCount,
  type RecentStopReason,
  recentQrCodes,
  recentReaders,
  recentScanCounts,
  recentScans,
  type ScanCountDiff,
  type ScanCountSource,
  type ScanCounts,
  type ScanCursor,
  type ScanEvent,
  type ScanPollCursor,
  scanEventFromRow,
  scanEventFromWebhook,
  selectNewQrCodes,
  selectNewScans,
} from './polling/index.ts';
export type * from './qrcodes/index.ts';
export type {
  AnalyticsGroupBy,
  AnalyticsInterval,
  AnalyticsQuery,
  AnalyticsResult,
  ApiErrorCode,
  CreateQrCodeBody,
  Domain,
  EventsQuery,
  Folder,
  Plan,
  QrCode,
  QrCodeType,
  QrLevel,
  QrWebhookEvent,
  QrWebhookEventName,
  ScanEventRow,
  Tag,
  TagColor,
  UpdateQrCodeBody,
} from './schemas/index.ts';
// the zod schemas of CodeQR's bodies, as one namespace (also `@codeqr-integrations/core/schemas`), and their types
export * as schemas from './schemas/index.ts';
export { SIGNATURE_HEADER } from './schemas/webhooks.ts';
export type { Tags } from './tags/tags.ts';
// webhooks
export {
  createWebhookDeduper,
  parseWebhookEvent,
  signWebhook,
  verifyWebhook,
  type WebhookDeduper,
} from './webhooks/index.ts';

/**
 * Creates a client over the given `transport` and `sleep` (both required in this entry; without them it throws an
 * `invalid_configuration` CodeQrError).
 */
export function createCodeQrClient(options: CodeQrClientOptions): CodeQrClient {
  return createClientWith(options);
}
