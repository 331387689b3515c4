/** A catalogue's rows as bulk items: the step's inputs as defaults under each row, per-row problems set aside. */

import { type ColumnMap, shardOf } from './columns.ts';
import type { ParsedFile } from './file.ts';

export interface CatalogueItem {
  row: number;
  externalId: string;
  fields: Record<string, unknown>;
}

export interface RowFailure {
  row: number;
  externalId: string | null;
  error: { code: string; message: string; field?: string };
}

const isBlank = (value: unknown) => value === undefined || (typeof value === 'string' && value.trim() === '');

/** Rows → items (defaults from the step's own inputs under each row), with per-row problems set aside. */
export function buildItems(
  file: ParsedFile,
  map: ColumnMap,
  defaults: Record<string, unknown>,
  shard: { index: number; count: number } | undefined,
): { items: CatalogueItem[]; failures: RowFailure[]; skipped: number } {
  const items: CatalogueItem[] = [];
  const failures: RowFailure[] = [];
  const firstRowOf = new Map<string, number>();
  let skipped = 0;
  for (const { row, cells, problem } of file.rows) {
    const rawId = cells[map.externalIdColumn];
    const externalId = isBlank(rawId) ? '' : String(rawId).trim();
    if (!externalId) {
      if (shard && shard.index !== 0) {
        skipped++; // reported once, by shard 1
        continue;
      }
      failures.push({
        row,
        externalId: null,
        error: {
          code: 'validation_error',
          message: `has no External ID in column "${map.externalIdColumn}"`,
          field: map.externalIdColumn,
        },
      });
      continue;
    }
    if (shard && shardOf(externalId, shard.count) !== shard.index) {
      skipped++;
      continue;
    }
    if (problem) {
      failures.push({ row, externalId, error: { code: 'validation_error', message: problem } });
      continue;
    }
    const first = firstRowOf.get(externalId);
    if (first !== undefined) {
      failures.push({
        row,
        externalId,
        error: {
          code: 'validation_error',
          message: `repeats the External ID "${externalId}" of row ${first}`,
          field: map.externalIdColumn,
        },
      });
      continue;
    }
    firstRowOf.set(externalId, row);
    const fields: Record<string, unknown> = structuredClone(defaults);
    for (const [column, path] of map.fields) {
      const value = cells[column];
      if (isBlank(value)) continue;
      const [top, child] = path as [string, string?];
      if (child === undefined) fields[top] = value;
      else {
        const parent = (fields[top] && typeof fields[top] === 'object' ? fields[top] : {}) as Record<string, unknown>;
        parent[child] = value;
        fields[top] = parent;
      }
    }
    fields.externalId = externalId;
    items.push({ row, externalId, fields });
  }
  return { items, failures, skipped };
}
