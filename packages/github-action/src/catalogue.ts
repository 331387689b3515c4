/**
 * Catalogue mode: a CSV / JSON / NDJSON file of QR codes, one per row, each with a stable External ID (from a named
 * column), sent through core's bulk operation so that a rerun of the same file creates nothing new. Optional
 * sharding splits one file across matrix jobs by External ID.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  describeFields,
  type FieldIssue,
  type FieldSpec,
  getOperation,
  type Operation,
} from '@codeqr-integrations/core/base';
import { InputError } from './errors.ts';
import { type Command, inputName } from './inputs.ts';

export type FileFormat = 'csv' | 'json' | 'ndjson';

/** One record of the file: its 1-based position among the data records, and its cells. */
export interface SourceRow {
  row: number;
  cells: Record<string, unknown>;
  /** Why the record cannot be read as a row (a CSV record with more cells than the header has columns). */
  problem?: string;
  /** The line of the file it starts on (CSV and NDJSON), for annotations. */
  line?: number;
}

export interface ParsedFile {
  columns: string[];
  rows: SourceRow[];
}

export function formatOf(path: string, requested: 'auto' | FileFormat): FileFormat {
  if (requested !== 'auto') return requested;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new InputError(
    'file-format',
    `Input "file" has the extension "${ext || '(none)'}"; name it .csv, .json or .ndjson, or set file-format to csv, json or ndjson.`,
  );
}

/**
 * The CSV's delimiter, from its header line: a comma, or the semicolon (spreadsheets in many locales) or tab it uses
 * more often, outside quotes.
 */
export function delimiterOf(text: string): string {
  const header =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '') ?? '';
  const unquoted = header.replace(/"[^"]*"/g, '');
  const count = (c: string) => unquoted.split(c).length - 1;
  const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a));
  return best && count(best) > 0 ? best : ',';
}

/** A CSV record with no content: an empty line, or only empty cells. */
const isBlankRecord = (record: string[]) => record.every((cell) => cell.trim() === '');

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Reads and parses the file (CSV through csv-parse: quoting, embedded newlines, BOM). */
export async function readCatalogue(path: string, format: FileFormat): Promise<ParsedFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError('file', `Input "file" names "${path}", which cannot be read (${code ?? 'error'}).`);
  }
  if (format === 'csv') {
    const { parse } = await import('csv-parse/sync');
    let raw: { record: string[]; raw: string }[];
    try {
      // record lengths are checked per row below: one ragged row must not block the others
      raw = parse(text, {
        bom: true,
        delimiter: delimiterOf(text),
        skip_empty_lines: false,
        relax_column_count: true,
        raw: true,
      }) as unknown as { record: string[]; raw: string }[];
    } catch (error) {
      throw new InputError('file', `Input "file" is not valid CSV: ${(error as Error).message}`);
    }
    // the line each record starts on: its raw text holds its own line breaks (cells), then maybe the one ending it
    const lines: number[] = [];
    let at = 1;
    for (const r of raw) {
      lines.push(at);
      at += (r.raw.replace(/(?:\r\n|\n|\r)$/, '').match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
    }
    const records = raw.map((r) => r.record);
    while (records.length > 0 && isBlankRecord(records[0] as string[])) {
      records.shift();
      lines.shift();
    }
    const [header, ...data] = records;
    if (!header || header.length === 0) throw new InputError('file', `Input "file" (${path}) has no header row.`);
    const columns = header.map((h) => h.trim());
    const seen = new Set<string>();
    for (const column of columns) {
      if (!column) throw new InputError('file', `The header row of ${path} has an empty column name.`);
      if (seen.has(column)) throw new InputError('file', `The header row of ${path} has the column "${column}" twice.`);
      seen.add(column);
    }
    // blank records (empty lines, or the `,,,` rows spreadsheets export) are no rows, but keep their number, so
    // that row n is the n-th data row of the sheet (spreadsheet row n + 1, the header being row 1)
    const rows: SourceRow[] = [];
    data.forEach((record, i) => {
      if (isBlankRecord(record)) return;
      // a shorter record lacks trailing empty cells (some exporters drop them); a longer one would lose data
      const cells = Object.fromEntries(columns.map((c, j) => [c, record[j] ?? '']));
      const extra = record.length > columns.length && record.slice(columns.length).some((v) => v.trim() !== '');
      rows.push({
        row: i + 1,
        cells,
        line: lines[i + 1] as number,
        ...(extra
          ? {
              problem:
                `has ${record.length} cells but the header has ${columns.length} columns ` +
                '(quote cells that contain a comma)',
            }
          : {}),
      });
    });
    return { columns, rows };
  }
  let values: unknown[];
  const lineOf: number[] = [];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError('file', `Input "file" is not valid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new InputError('file', `Input "file" must hold a JSON array of objects.`);
    values = parsed;
  } else {
    values = [];
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      try {
        values.push(JSON.parse(line));
        lineOf.push(i + 1);
      } catch (error) {
        throw new InputError('file', `Line ${i + 1} of "${path}" is not valid JSON: ${(error as Error).message}`);
      }
    }
  }
  const columns: string[] = [];
  const rows = values.map((value, i) => {
    if (!isPlainObject(value)) throw new InputError('file', `Row ${i + 1} of "${path}" is not a JSON object.`);
    for (const key of Object.keys(value)) if (!columns.includes(key)) columns.push(key);
    return { row: i + 1, cells: value, ...(lineOf[i] !== undefined ? { line: lineOf[i] } : {}) };
  });
  return { columns, rows };
}

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

/** The registry's bulk operation behind a catalogue command (the overrides name them). */
export function bulkOperationFor(command: Command, bulkKey: string): Operation {
  const op = getOperation(bulkKey);
  if (op && op.kind === 'action') return op as unknown as Operation;
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

/**
 * A row's failure in the catalogue's words: core's structured issues (field relative to the row, its rule) with each
 * field named by the catalogue column it came from, `Price URL: must be an absolute http(s) URL`; other failures
 * (CodeQR's answers) keep their message, with the column of their field.
 */
export function rowError(
  error: { code: string; message: string; field?: string; issues?: FieldIssue[] } | undefined,
  columnOf: (field: string) => string | undefined,
): NonNullable<RowResult['error']> {
  if (!error) return { code: 'unknown', message: 'CodeQR gave no answer for this row' };
  const column = (field: string) => columnOf(field.split('.')[0] ?? field) ?? field;
  if (error.code === 'validation_error' && error.issues && error.issues.length > 0) {
    const [only, ...more] = error.issues;
    // one bad field: the row's report names its column already; several: each rule with its column
    const message =
      only && more.length === 0
        ? (only.rule ?? only.message)
        : error.issues.map((i) => (i.field ? `${column(i.field)}: ${i.rule ?? i.message}` : i.message)).join('; ');
    return { code: error.code, message, ...(only?.field ? { field: column(only.field) } : {}) };
  }
  return {
    code: error.code,
    message: error.message,
    ...(error.field ? { field: column(error.field) } : {}),
  };
}

export interface RowResult {
  row: number;
  externalId: string | null;
  status: 'created' | 'updated' | 'unchanged' | 'failed';
  id?: string;
  shortLink?: string;
  url?: string | null;
  title?: string | null;
  error?: { code: string; message: string; field?: string };
}

const csvCell = (value: unknown) => {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The results file: CSV (one line per row) or JSON (an array), by extension. */
export function renderResults(path: string, results: RowResult[]): string {
  if (extname(path).toLowerCase() === '.csv') {
    const head = ['row', 'externalId', 'status', 'id', 'shortLink', 'url', 'errorCode', 'errorField', 'errorMessage'];
    const lines = results.map((r) =>
      [r.row, r.externalId, r.status, r.id, r.shortLink, r.url, r.error?.code, r.error?.field, r.error?.message]
        .map(csvCell)
        .join(','),
    );
    return `${[head.join(','), ...lines].join('\n')}\n`;
  }
  return `${JSON.stringify(results, null, 2)}\n`;
}
