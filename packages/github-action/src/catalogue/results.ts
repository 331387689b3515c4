/**
 * A catalogue's per-row results: a row's failure in the catalogue's words (its column, not the field key), and the
 * results file (CSV or JSON) a later step reads.
 */
import { extname } from 'node:path';
import type { FieldIssue } from '@codeqr-integrations/core/base';

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
