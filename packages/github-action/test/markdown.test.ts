/** The job summary and PR comment Markdown: escaped cells, failures first, long tables cut with a count. */
import { describe, expect, it } from 'vitest';
import { COMMENT_LIMITS, cell, renderReport } from '../src/markdown.ts';
import type { ReportRow } from '../src/report.ts';

describe('markdown', () => {
  it('escapes cells and puts failures first, truncating long tables with a count of the rest', () => {
    expect(cell('a|b\n<c>')).toBe('a\\|b &lt;c&gt;');
    const rows: ReportRow[] = Array.from({ length: 120 }, (_, i) => ({
      row: i + 1,
      status: 'unchanged',
      id: `q${i}`,
      shortLink: `https://cqr.link/${i}`,
      imageUrl: `https://api.codeqr.io/qr?url=${i}`,
    }));
    rows.push({
      row: 121,
      status: 'failed',
      error: { code: 'validation_error', message: 'must be a URL', field: 'url' },
    });
    const text = renderReport({ operation: 'upsert-qr-code', rows, notes: [] }, COMMENT_LIMITS);
    expect(text.indexOf('❌ failed')).toBeLessThan(text.indexOf('✔️ unchanged'));
    expect(text).toContain('…and 71 more (71 unchanged)');
    // the failed row (first) has no image: the next rows up to maxImages do
    expect(text.match(/<img /g)).toHaveLength(COMMENT_LIMITS.maxImages - 1);
    expect(text.length).toBeLessThan(COMMENT_LIMITS.maxChars);
  });
});
