/** The per-row results file a later step reads: CSV (quoted as RFC 4180) or JSON, by extension. */
import { describe, expect, it } from 'vitest';
import { renderResults } from '../src/catalogue/results.ts';

describe('results files', () => {
  it('CSV quoting and JSON', () => {
    const rows = [{ row: 1, externalId: 'a,b', status: 'failed' as const, error: { code: 'x', message: 'say "hi"' } }];
    expect(renderResults('r.csv', rows).split('\n')[1]).toBe('1,"a,b",failed,,,,x,,"say ""hi"""');
    expect(JSON.parse(renderResults('r.json', rows))).toEqual(rows);
  });
});
