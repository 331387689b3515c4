/**
 * Reading a catalogue file: CSV (through csv-parse: quoting, embedded newlines, BOM, `,` `;` or tab), a JSON array
 * of objects, or NDJSON, into columns and numbered rows (with the line each starts on, for annotations).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../errors.ts';

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
