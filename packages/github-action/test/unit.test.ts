/** The pure parts: shard split, dispatch batching, Markdown truncation, the output-file parser, error sentences. */
import { CodeQrError } from '@codeqr-integrations/core/base';
import { describe, expect, it } from 'vitest';
import { mapColumns, parseShard, renderResults, shardOf } from '../src/catalogue.ts';
import { failureMessage } from '../src/errors.ts';
import { accepts, findCommand } from '../src/inputs.ts';
import { COMMENT_LIMITS, cell, renderReport } from '../src/markdown.ts';
import { dispatchBatches, MAX_DISPATCH_BYTES } from '../src/poll.ts';
import { parseStructured } from '../src/read.ts';
import type { ReportRow } from '../src/report.ts';
import { parseOutputFile } from './support/run-action.ts';

describe('structured inputs (fields, wifi, items)', () => {
  it('read YAML scalars as text for core to coerce: leading zeros kept, empty = not set, only ~/null are null', async () => {
    expect(await parseStructured('fields', 'externalId: 007\ntitle:\nsize: 512\nexpiresAt: ~\nnote: "null"')).toEqual({
      externalId: '007',
      title: '',
      size: '512',
      expiresAt: null,
      note: 'null',
    });
    expect(await parseStructured('fields', '{"size": 512, "expiresAt": null}')).toEqual({ size: 512, expiresAt: null });
    await expect(parseStructured('fields', 'a: [1')).rejects.toThrow(
      /^Input "fields" is neither valid JSON nor valid YAML: .*\d\.$/,
    );
  });
});

describe('shards', () => {
  it('split ids deterministically and about evenly, each id in exactly one shard', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `sku-${i}`);
    const sizes = [0, 0, 0, 0];
    for (const id of ids) sizes[shardOf(id, 4)]! += 1;
    expect(sizes.reduce((a, b) => a + b)).toBe(4000);
    for (const n of sizes) expect(n).toBeGreaterThan(850);
    expect(shardOf('sku-1', 4)).toBe(shardOf('sku-1', 4));
    expect(shardOf('sku-1', 1)).toBe(0);
    // pinned (FNV-1a 32-bit of the UTF-8 bytes: "a" = 0xe40c292c): the split must never change between releases
    expect(['a', 'b', 'sku-0001', 'é'].map((id) => shardOf(id, 7))).toEqual([5, 6, 6, 2]);
  });

  it('parse i/n and reject anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 0, count: 1 });
    expect(parseShard('')).toBeUndefined();
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '1/300'])
      expect(() => parseShard(bad), bad).toThrow(/Input "shard"/);
  });
});

describe('dispatch batches', () => {
  const scan = (i: number, pad = 0) => ({
    id: `clk_${i}`,
    timestamp: '2026-01-01T00:00:00.000Z',
    note: 'x'.repeat(pad),
  });

  it('respect the batch size, the byte limit and the 10 top-level properties', () => {
    const small = dispatchBatches(
      'codeqr.scan',
      'events',
      Array.from({ length: 5 }, (_, i) => scan(i)),
      2,
    );
    expect(small.map((b) => (b.client_payload.scans as unknown[]).length)).toEqual([2, 2, 1]);
    expect(small.map((b) => [b.client_payload.batch, b.client_payload.batches])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    const big = dispatchBatches(
      'codeqr.scan',
      'events',
      Array.from({ length: 100 }, (_, i) => scan(i, 2000)),
      1000,
    );
    expect(big.length).toBeGreaterThan(3);
    for (const batch of big) {
      expect(Object.keys(batch.client_payload).length).toBeLessThanOrEqual(10);
      expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(MAX_DISPATCH_BYTES);
    }
    expect(big.flatMap((b) => (b.client_payload.scans as { id: string }[]).map((s) => s.id))).toHaveLength(100);
    expect(() => dispatchBatches('t', 'events', [scan(1, 70_000)], 10)).toThrow(/larger than a repository_dispatch/);
  });

  it('fill each batch as far as the limits allow, in order (sizes of mixed scans, incl. multibyte text)', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ ...scan(i, (i * 37) % 900), city: 'Zürich 東京' }));
    const batches = dispatchBatches('codeqr.scan', 'events', items, 50);
    const size = (scans: unknown[]) =>
      Buffer.byteLength(JSON.stringify({ event_type: 'codeqr.scan', client_payload: { scans } })) + 400;
    let next = 0;
    for (const [i, batch] of batches.entries()) {
      const scans = batch.client_payload.scans as { id: string }[];
      expect(scans).toEqual(items.slice(next, next + scans.length));
      next += scans.length;
      expect(scans.length).toBeLessThanOrEqual(50);
      expect(size(scans)).toBeLessThanOrEqual(MAX_DISPATCH_BYTES);
      // greedy: the next scan did not fit (or the count was reached)
      const following = items[next];
      if (i < batches.length - 1 && following && scans.length < 50) {
        expect(size([...scans, following])).toBeGreaterThan(MAX_DISPATCH_BYTES);
      }
    }
    expect(next).toBe(items.length);
  });
});

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

describe('GITHUB_OUTPUT parser', () => {
  it('reads heredoc blocks with multiline values', () => {
    expect(parseOutputFile('a<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nb<<d\n\nd\nc=1\n')).toEqual({
      a: 'line 1\nline 2',
      b: '',
      c: '1',
    });
    expect(() => parseOutputFile('a<<d\nno end\n')).toThrow(/unterminated/);
  });
});

describe('messages', () => {
  it('a 403 on a read names the plan, never write access', () => {
    const forbidden = new CodeQrError({ code: 'forbidden', status: 403, message: 'Unauthorized: Need higher plan.' });
    const lookup = { inputFor: () => undefined, acceptsFor: () => undefined };
    expect(failureMessage(forbidden, { ...lookup, reads: true })).toMatch(/Business plan or higher.*strategy: counts/);
    expect(failureMessage(forbidden, { ...lookup, reads: true })).not.toMatch(/use a key with write access/);
    expect(failureMessage(forbidden, lookup)).toMatch(/write access/);
  });

  it('name the input and what it accepts', () => {
    const create = findCommand('create')!;
    const lookup = {
      inputFor: (k: string) => create.fields.find((f) => f.spec.key === k)?.name,
      acceptsFor: (k: string) => {
        const f = create.fields.find((x) => x.spec.key === k);
        return f ? accepts(f.spec) : undefined;
      },
    };
    const error = new CodeQrError({
      code: 'validation_error',
      message: 'x',
      issues: [
        // core's own checks: structured (label and rule), so nothing is read out of the sentence
        {
          field: 'fgColor',
          label: 'Foreground Color',
          rule: 'must be a hex colour',
          message: 'Foreground Color (fgColor) must be a hex colour',
        },
        {
          field: 'wifi.ssid',
          label: 'Wi-Fi › SSID',
          rule: 'is required',
          message: 'Wi-Fi › SSID (wifi.ssid) is required',
        },
        // what CodeQR answered for a field (no rule): its words, and what the input accepts
        { field: 'size', message: 'Invalid input: expected number, received string' },
      ],
    });
    expect(failureMessage(error, lookup)).toBe(
      'Input "fg-color" (Foreground Color) must be a hex colour. Input "wifi" (Wi-Fi › SSID) is required. ' +
        'Input "size" Invalid input: expected number, received string; it accepts a number from 16 to 4096.',
    );
    expect(failureMessage(new CodeQrError({ code: 'unauthorized', status: 401, message: 'Invalid API key.' }))).toBe(
      'CodeQR: Invalid API key (HTTP 401, unauthorized). Check that api-key holds a valid CodeQR API key (Settings > API Keys in CodeQR).',
    );
  });

  it('column mapping accepts keys, input names and labels', () => {
    const upsert = findCommand('upsert')!;
    const map = mapColumns(['SKU', 'Destination URL', 'tags', 'fg-color', 'WiFi.SSID'], upsert.fields, 'SKU', []);
    expect([...map.fields]).toEqual([
      ['Destination URL', ['url']],
      ['tags', ['tagNames']],
      ['fg-color', ['fgColor']],
      ['WiFi.SSID', ['wifi', 'ssid']],
    ]);
  });

  it('results files: CSV quoting and JSON', () => {
    const rows = [{ row: 1, externalId: 'a,b', status: 'failed' as const, error: { code: 'x', message: 'say "hi"' } }];
    expect(renderResults('r.csv', rows).split('\n')[1]).toBe('1,"a,b",failed,,,,x,,"say ""hi"""');
    expect(JSON.parse(renderResults('r.json', rows))).toEqual(rows);
  });
});
