export type { BulkCreateOptions } from './bulk-create.ts';
export type { BulkItemFailure, BulkItemResult } from './bulk-items.ts';
export type { CountQrCodesFilters, ListQrCodesFilters } from './list.ts';
export * from './qrcodes.ts';
export type { CreateOptions, CreateQrCodeInput, QrCodeTarget, UpdateQrCodeInput } from './requests.ts';
export type {
  MatchBy,
  UpsertAction,
  UpsertManyOptions,
  UpsertManyResult,
  UpsertOptions,
  UpsertResult,
} from './upsert-match.ts';
