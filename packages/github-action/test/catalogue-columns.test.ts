/** A catalogue's columns: which field each feeds, and which shard of a matrix each External ID belongs to. */
import { describe, expect, it } from 'vitest';
import { mapColumns, parseShard, shardOf } from '../src/catalogue/columns.ts';
import { findCommand } from '../src/commands.ts';

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

describe('column mapping', () => {
  it('accepts keys, input names and labels', () => {
    const upsert = findCommand('upsert')!;
    const map = mapColumns(['SKU', 'Destination URL', 'tags', 'fg-color', 'WiFi.SSID'], upsert.fields, 'SKU', []);
    expect([...map.fields]).toEqual([
      ['Destination URL', ['url']],
      ['tags', ['tagNames']],
      ['fg-color', ['fgColor']],
      ['WiFi.SSID', ['wifi', 'ssid']],
    ]);
  });
});
