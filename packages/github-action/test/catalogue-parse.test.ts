/**
 * Catalogue files as spreadsheets export them, parsed in-process (no sandbox): BOM, CRLF, quoted commas and line
 * breaks, blank rows, ragged rows, duplicate and missing External IDs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalIdColumnOf, mapColumns } from '../src/catalogue/columns.ts';
import { readCatalogue } from '../src/catalogue/file.ts';
import { buildItems } from '../src/catalogue/items.ts';
import { findCommand } from '../src/commands.ts';

const dir = mkdtempSync(join(tmpdir(), 'codeqr-catalogue-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function itemsOf(path: string, shard?: { index: number; count: number }) {
  const parsed = await readCatalogue(path, 'csv');
  const upsert = findCommand('upsert-qr-code')!;
  const idColumn = externalIdColumnOf(parsed.columns, '');
  const map = mapColumns(parsed.columns, upsert.fields, idColumn, ['price']);
  return { parsed, ...buildItems(parsed, map, {}, shard) };
}

describe('CSV catalogues as spreadsheets export them', () => {
  it('BOM, CRLF, quoted commas and line breaks; blank and `,,,` rows are no rows (and no failures)', async () => {
    const path = file(
      'export.csv',
      '\uFEFFsku,url,title,price\r\n' +
        'A1,https://e.com/a1,"Hello, world",1\r\n' +
        '\r\n' +
        'A2,https://e.com/a2,"two\r\nlines",2\r\n' +
        ',,,\r\n' +
        ' , ,,\r\n' +
        '\r\n\r\n',
    );
    const { parsed, items, failures } = await itemsOf(path);
    expect(parsed.columns).toEqual(['sku', 'url', 'title', 'price']);
    expect(failures).toEqual([]);
    // row n = the n-th data row of the sheet: the blank line before A2 keeps its number
    expect(items.map((i) => [i.row, i.externalId, i.fields.title])).toEqual([
      [1, 'A1', 'Hello, world'],
      [3, 'A2', 'two\r\nlines'],
    ]);
    // the line each row starts on, for annotations on the file (A2's cell spans lines 4 and 5)
    expect(parsed.rows.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('NDJSON rows carry their line, blank lines included', async () => {
    const path = file('c.ndjson', '{"sku":"A1","url":"https://e.com/1"}\n\n{"sku":"A2","url":"https://e.com/2"}\n');
    const parsed = await readCatalogue(path, 'ndjson');
    expect(parsed.rows.map((r) => [r.row, r.line])).toEqual([
      [1, 1],
      [2, 3],
    ]);
  });

  it('a short row (trailing empty cells dropped) is read; a row with extra cells fails alone', async () => {
    const path = file(
      'ragged.csv',
      'sku,url,title,price\nA1,https://e.com/a1\nA2,https://e.com/a2,Mug, blue,3\nA3,https://e.com/a3,Cap,4\n',
    );
    const { items, failures } = await itemsOf(path);
    expect(items.map((i) => i.externalId)).toEqual(['A1', 'A3']);
    expect(failures).toEqual([
      {
        row: 2,
        externalId: 'A2',
        error: expect.objectContaining({ message: expect.stringMatching(/has 5 cells but the header has 4 columns/) }),
      },
    ]);
  });

  it('semicolon- and tab-separated exports (spreadsheets in many locales) are read by their header', async () => {
    for (const [name, d] of [
      ['semicolon.csv', ';'],
      ['tab.csv', '\t'],
    ] as const) {
      const path = file(name, [`sku${d}url${d}title`, `A1${d}https://e.com/a1${d}"Mug, blue; XL"`].join('\r\n'));
      const { items, failures } = await itemsOf(path);
      expect(failures, name).toEqual([]);
      expect(
        items.map((i) => [i.externalId, i.fields.url, i.fields.title]),
        name,
      ).toEqual([['A1', 'https://e.com/a1', 'Mug, blue; XL']]);
    }
    // a comma file whose titles hold semicolons stays a comma file
    const commas = file('commas.csv', 'sku,url,title\nA1,https://e.com/a1,"a; b; c"\n');
    expect((await itemsOf(commas)).items[0]?.fields.title).toBe('a; b; c');
  });

  it('duplicate and missing External IDs fail on their own row', async () => {
    const path = file('dups.csv', 'sku,url\nA1,https://e.com/1\nA1,https://e.com/2\n,https://e.com/3\n');
    const { items, failures } = await itemsOf(path);
    expect(items.map((i) => i.row)).toEqual([1]);
    expect(failures.map((f) => [f.row, f.error.message])).toEqual([
      [2, 'repeats the External ID "A1" of row 1'],
      [3, 'has no External ID in column "sku"'],
    ]);
  });
});
