/**
 * The operation registry: every action and trigger, defined once here and adapted by each host (n8n node, Zapier
 * app, GitHub Action) from `input` / `output` / `sample` and `describeFields(op.input)`.
 */
import { bulkCreateQrCodes } from './bulk-create-qr-codes.ts';
import { bulkDeleteQrCodes } from './bulk-delete-qr-codes.ts';
import { createFolder } from './create-folder.ts';
import { createQrCode } from './create-qr-code.ts';
import { createTag } from './create-tag.ts';
import { deleteQrCode } from './delete-qr-code.ts';
import { getQrCode } from './get-qr-code.ts';
import { getQrCodeImage } from './get-qr-code-image.ts';
import { getScanAnalytics } from './get-scan-analytics.ts';
import { listFolders } from './list-folders.ts';
import { listQrCodes } from './list-qr-codes.ts';
import { listScans } from './list-scans.ts';
import { listTags } from './list-tags.ts';
import { newQrCode } from './new-qr-code.ts';
import { newScan } from './new-scan.ts';
import { scanCountChanged } from './scan-count-changed.ts';
import { updateQrCode } from './update-qr-code.ts';
import { upsertQrCode } from './upsert-qr-code.ts';
import { upsertQrCodes } from './upsert-qr-codes.ts';

export * from './base64.ts';
export * from './bulk-create-qr-codes.ts';
export * from './bulk-delete-qr-codes.ts';
export * from './create-folder.ts';
export * from './create-qr-code.ts';
export * from './create-tag.ts';
export * from './define.ts';
export * from './delete-qr-code.ts';
export * from './get-qr-code.ts';
export * from './get-qr-code-image.ts';
export * from './get-scan-analytics.ts';
export * from './list-folders.ts';
export * from './list-qr-codes.ts';
export * from './list-scans.ts';
export * from './list-tags.ts';
export * from './new-qr-code.ts';
export * from './new-scan.ts';
export * from './qr-code-input.ts';
export * from './samples.ts';
export * from './scan-count-changed.ts';
export * from './update-qr-code.ts';
export * from './upsert-qr-code.ts';
export * from './upsert-qr-codes.ts';

/** Every action, in the order hosts list them. */
export const actions = [
  createQrCode,
  updateQrCode,
  upsertQrCode,
  getQrCode,
  listQrCodes,
  deleteQrCode,
  bulkCreateQrCodes,
  bulkDeleteQrCodes,
  upsertQrCodes,
  getQrCodeImage,
  getScanAnalytics,
  listScans,
  listTags,
  createTag,
  listFolders,
  createFolder,
] as const;

/** Every polling trigger. */
export const triggers = [newScan, scanCountChanged, newQrCode] as const;

/** The one registry: actions, then triggers. */
export const operations = [...actions, ...triggers] as const;

export type AnyAction = (typeof actions)[number];
export type AnyTrigger = (typeof triggers)[number];
export type AnyOperation = (typeof operations)[number];
export type OperationKey = AnyOperation['key'];

const byKey: ReadonlyMap<string, AnyOperation> = new Map(operations.map((op) => [op.key, op]));

/** The operation with this key (`createQrCode`, `newScan`, ...), or undefined. */
export function getOperation<K extends OperationKey>(key: K): Extract<AnyOperation, { key: K }>;
export function getOperation(key: string): AnyOperation | undefined;
export function getOperation(key: string): AnyOperation | undefined {
  return byKey.get(key);
}

/** `createQrCode` → `create-qr-code`: the GitHub Action's command names and file names. */
export function kebabKey(key: string): string {
  // `utm_source` → `utm-source`: action input names are kebab-case throughout
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** The trigger with this key (`newScan`, `scanCountChanged`, `newQrCode`), or undefined (actions are not triggers). */
export function getTrigger<K extends AnyTrigger['key']>(key: K): Extract<AnyTrigger, { key: K }>;
export function getTrigger(key: string): AnyTrigger | undefined;
export function getTrigger(key: string): AnyTrigger | undefined {
  const op = byKey.get(key);
  return op?.kind === 'trigger' ? (op as AnyTrigger) : undefined;
}
