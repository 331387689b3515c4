/**
 * The Action reports what core says an operation answers, never a guess from the value's shape: an empty list is a
 * list (count 0, no bulk tallies), and a bulk call with a bad item answers that item alone, by its field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, expectNoSecret, startE2E } from './support/env.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

describe('outputs follow what the operation answers', () => {
  it('replays safely (the replay rule): create-qr-code with the same external-id answers the same QR code', async () => {
    const inputs = { operation: 'create-qr-code', url: 'https://example.com/replay', 'external-id': 'action-replay' };
    const first = await e.run(inputs);
    const again = await e.run(inputs);
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(again.outputs.id).toBe(first.outputs.id);
  });

  it('list-qr-codes with nothing to list: count 0 and no bulk tallies', async () => {
    const r = await e.run({ operation: 'list-qr-codes', search: 'nothing-matches-this-search' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs.count).toBe('0');
    expect(r.outputs['created-count']).toBeUndefined();
    expect(r.outputs['failed-count']).toBeUndefined();
    expectNoSecret(r);
  });

  it('bulk-create-qr-codes with one bad item: the others are created, that item fails by its field, the step fails', async () => {
    const r = await e.run({
      operation: 'bulk-create-qr-codes',
      items: JSON.stringify([{ url: 'https://example.com/a1' }, { url: 'nope' }, { url: 'https://example.com/a3' }]),
    });
    expect(r.code).toBe(1);
    expect(r.outputs['created-count']).toBe('2');
    expect(r.outputs['failed-count']).toBe('1');
    const results = JSON.parse(r.outputs.result ?? '[]') as {
      index: number;
      ok: boolean;
      error?: { issues?: unknown[] };
    }[];
    expect(results.map((x) => x.ok)).toEqual([true, false, true]);
    expect(results[1]?.error?.issues).toEqual([expect.objectContaining({ field: 'url', label: 'Destination URL' })]);
    expect(r.errors[0]).toMatch(/1 of 3 items failed \(first: item 2: Invalid item 2: Destination URL/);
  });
});
