/** The Markdown of the job summary and of the sticky PR comment, truncated to stay readable and within limits. */
import type { Report, ReportRow, RowStatus } from './report.ts';

export interface RenderOptions {
  /** Table rows at most; the rest are counted. */
  maxRows: number;
  /** Rows (from the top) that show their QR image. */
  maxImages: number;
  /** Hard cap on the text (GitHub: 65,536 characters per comment, 1 MiB per step summary). */
  maxChars: number;
  heading: string;
}

export const SUMMARY_LIMITS: RenderOptions = { maxRows: 200, maxImages: 30, maxChars: 900_000, heading: '### CodeQR' };
export const COMMENT_LIMITS: RenderOptions = { maxRows: 50, maxImages: 10, maxChars: 60_000, heading: '### CodeQR' };

/** Fields of scan data never shown in a summary or comment. */
const PRIVATE_KEYS = new Set(['ip']);

/** Failures first, then what changed, then the rest: a large unchanged catalogue never hides an error. */
const ORDER: Record<RowStatus, number> = { failed: 0, created: 1, updated: 2, deleted: 3, found: 4, unchanged: 5 };

const LABEL: Record<RowStatus, string> = {
  failed: '❌ failed',
  created: '🆕 created',
  updated: '✏️ updated',
  unchanged: '✔️ unchanged',
  found: 'found',
  deleted: '🗑️ deleted',
};

/** Table cell text: no pipes or line breaks, HTML-escaped, shortened. */
export function cell(value: string | null | undefined, max = 120): string {
  if (!value) return '';
  const text = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function countLine(rows: ReportRow[]): string {
  const counts = new Map<RowStatus, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => ORDER[a[0]] - ORDER[b[0]])
    .map(([status, n]) => `${n} ${status}`)
    .join(' · ');
}

function tableRow(row: ReportRow, withImage: boolean, showRowNumbers: boolean): string {
  const name = cell(row.title || row.externalId || row.id || '');
  const link = row.shortLink ? `[${cell(row.shortLink, 80)}](${row.shortLink})` : '';
  const image = withImage && row.imageUrl ? `<img src="${attr(row.imageUrl)}" width="72" alt="QR code">` : '';
  const detail = row.error
    ? cell(`${row.error.field ? `${row.error.field}: ` : ''}${row.error.message}`, 200)
    : cell(row.url ?? '', 80);
  const cells = [LABEL[row.status], name, link, detail, image];
  if (showRowNumbers) cells.unshift(row.row === undefined ? '' : String(row.row));
  return `| ${cells.join(' | ')} |`;
}

export function renderReport(report: Report, options: RenderOptions): string {
  const lines: string[] = [`${options.heading} · \`${report.operation}\``, ''];
  const rows = [...report.rows].sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.row ?? 0) - (b.row ?? 0));
  if (rows.length > 1) lines.push(`**${countLine(rows)}**`, '');
  if (rows.length > 0) {
    const showRowNumbers = rows.some((r) => r.row !== undefined);
    const head = ['Status', 'QR code', 'Short link', 'Destination / error', 'QR'];
    if (showRowNumbers) head.unshift('Row');
    lines.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
    const shown = rows.slice(0, options.maxRows);
    shown.forEach((row, i) => {
      lines.push(tableRow(row, i < options.maxImages, showRowNumbers));
    });
    if (rows.length > shown.length) {
      const rest = rows.slice(shown.length);
      lines.push('', `…and ${rest.length} more (${countLine(rest)}); every row is in the results file.`);
    }
    lines.push('');
  }
  if (report.data !== undefined) {
    // summaries and comments of a public repository are public: no scanner's IP address (outputs keep it)
    const json = JSON.stringify(report.data, (key, value) => (PRIVATE_KEYS.has(key) ? undefined : value), 2);
    const cut = json.length > 20_000 ? `${json.slice(0, 20_000)}\n…(truncated)` : json;
    lines.push('```json', cut, '```', '');
  }
  for (const note of report.notes) lines.push(note, '');
  let text = lines.join('\n');
  if (text.length > options.maxChars) {
    text = `${text.slice(0, options.maxChars - 200)}\n\n…(truncated to stay within GitHub's size limit)\n`;
  }
  return text;
}
