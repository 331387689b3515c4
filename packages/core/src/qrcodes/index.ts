export type { BulkCreateOptions, BulkItemFailure, BulkItemResult } from './bulk-create.ts';
export * from './qrcodes.ts';
export type {
  MatchBy,
  UpsertAction,
  UpsertManyOptions,
  UpsertManyResult,
  UpsertOptions,
  UpsertResult,
} from './upsert.ts';
