/**
 * A catalogue's columns as the bulk operation's fields: which column feeds which field (by key, input name or label),
 * which holds the External ID, and which shard of a matrix a row belongs to. The catalogue's inputs are the bulk
 * operation's item fields (`catalogueCommand`).
 */
import { describeFields, type FieldSpec, getOperation, type Operation } from '@codeqr-integrations/core/base';
import type { Command } from '../commands.ts';
import { InputError } from '../errors.ts';
import { inputName } from '../fields.ts';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Where a column goes: a field path (`url`, `wifi.ssid`), or the External ID. */
export interface ColumnMap {
  /** column → field path (dotted for nested objects). */
  fields: Map<string, string[]>;
  externalIdColumn: string;
}

/**
 * Maps columns to fields by key, input name or label (any case, punctuation ignored: `URL`, `Destination URL`,
 * `tag-names`, `tags`); `a.b` reaches a nested field. Unknown columns fail unless ignored.
 */
export function mapColumns(
  columns: string[],
  fields: { name: string; spec: FieldSpec }[],
  externalIdColumn: string,
  ignore: string[],
): ColumnMap {
  const match = (specs: FieldSpec[], text: string, names: Map<string, string> = new Map()) =>
    specs.find((s) => [s.key, s.label, names.get(s.key) ?? ''].some((n) => n && norm(n) === norm(text)));
  const inputNames = new Map(fields.map((f) => [f.spec.key, f.name]));
  const specs = fields.map((f) => f.spec);
  const out = new Map<string, string[]>();
  const unknown: string[] = [];
  for (const column of columns) {
    if (ignore.includes(column)) continue;
    const direct = match(specs, column, inputNames);
    if (direct) {
      out.set(column, [direct.key]);
      continue;
    }
    const [head, ...rest] = column.split('.');
    const parent = rest.length > 0 && head ? match(specs, head, inputNames) : undefined;
    const child = parent?.children ? match(parent.children, rest.join('.')) : undefined;
    if (parent && child) {
      out.set(column, [parent.key, child.key]);
      continue;
    }
    if (column !== externalIdColumn) unknown.push(column);
  }
  if (unknown.length > 0) {
    const known = fields.map((f) => f.name).join(', ');
    throw new InputError(
      'file',
      `The catalogue has column(s) that are no QR-code field: ${unknown.map((c) => `"${c}"`).join(', ')}. ` +
        `Rename them to fields (${known}) or list them in ignore-columns.`,
    );
  }
  return { fields: out, externalIdColumn };
}

/** The External ID column: the one the user named, else the externalId column, else the first column. */
export function externalIdColumnOf(columns: string[], requested: string): string {
  if (requested) {
    if (!columns.includes(requested)) {
      throw new InputError(
        'external-id-column',
        `Input "external-id-column" names "${requested}", which is not a column of the file; columns: ${columns.join(', ')}.`,
      );
    }
    return requested;
  }
  const byName = columns.find((c) => norm(c) === 'externalid');
  const first = columns[0];
  if (byName) return byName;
  if (!first) throw new InputError('file', 'Input "file" has no columns.');
  return first;
}

/** `i/n` → 0-based shard and count. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  if (text === '') return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const i = Number(match?.[1]);
  const n = Number(match?.[2]);
  if (!match || n < 1 || n > 256 || i < 1 || i > n) {
    throw new InputError(
      'shard',
      `Input "shard" must be i/n with 1 <= i <= n <= 256, e.g. shard: \${{ matrix.shard }}/4; got "${text}".`,
    );
  }
  return { index: i - 1, count: n };
}

/** FNV-1a (32-bit) of the External ID: the same shard for the same id on every machine and run. */
export function shardOf(externalId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(externalId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** The registry's bulk operation behind a catalogue command (the overrides name them). */
export function bulkOperationFor(command: Command, bulkKey: string): Operation {
  const op = getOperation(bulkKey);
  if (op && op.kind === 'action') return op;
  throw new Error(`core has no ${bulkKey} operation (catalogue mode of ${command.name})`);
}

/**
 * The inputs of catalogue mode: each column (and step-level default) is a field of one bulk item; the bulk
 * operation's other fields (`matchBy`) are step-level options.
 */
export function catalogueCommand(command: Command, bulk: Operation): { command: Command; optionKeys: string[] } {
  const specs = describeFields(bulk.input);
  const items = specs.find((s) => s.key === 'items');
  if (!items?.children) throw new Error(`${bulk.key} has no items field`);
  const options = specs.filter((s) => s.key !== 'items');
  const fields = [...items.children, ...options].map((spec) => ({ name: inputName(spec.key), spec }));
  return { command: { ...command, fields }, optionKeys: options.map((s) => s.key) };
}
