/**
 * `runItems`: many inputs of one action, as hosts hand them over (n8n input items, Zapier line items, catalogue rows):
 * one outcome per item in input order, each item validated once on its own, batchable actions sent in bulk, failures
 * carrying the error the item would have thrown alone. Against the spec-checked sandbox.
 */
import { getOperation, isCodeQrError, runItems } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/sandbox.ts';

const env = useSandbox({ key: 'codeqr_run_items', seed: 41 });
const create = getOperation('createQrCode');
const upsert = getOperation('upsertQrCode');

describe('runItems', () => {
  it('sends many creates as bulk calls and answers each item in order, an invalid one alone with its label', async () => {
    const client = env.client();
    const raws = [
      { url: 'https://example.com/a', externalId: 'ri-a' },
      { url: 'not a url', externalId: 'ri-b' },
      { url: 'https://example.com/c', size: '512' }, // host-style text, coerced once
      { url: 'https://example.com/d', titel: 'typo' },
    ];
    const outcomes = await runItems(client, create, raws);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false]);
    expect(env.hits('POST', '/qrcodes/bulk')).toBe(1);
    expect(env.hits('POST', '/qrcodes')).toBe(0);
    const [a, b, c, d] = outcomes;
    expect(a?.ok && (a.value as { url: string }).url).toBe('https://example.com/a');
    expect(c?.ok && (c.value as { size: number }).size).toBe(512);
    expect(!b?.ok && b?.error.issues[0]).toMatchObject({ field: 'url', label: 'Destination URL' });
    expect(!d?.ok && d?.error.issues[0]?.rule).toMatch(/did you mean "title"/);
    expect(outcomes.every((o) => o.ok || isCodeQrError(o.error))).toBe(true);
  });

  it('groups upserts by their shared Match By and answers created / updated / unchanged per item', async () => {
    const client = env.client();
    await runItems(client, create, [{ url: 'https://example.com/u1', externalId: 'ri-u1', title: 'One' }]);
    const outcomes = await runItems(client, upsert, [
      { url: 'https://example.com/u1', externalId: 'ri-u1', title: 'One', matchBy: 'externalId' },
      { url: 'https://example.com/u2', externalId: 'ri-u2', matchBy: 'externalId' },
      { url: 'https://example.com/u1', title: 'Renamed', matchBy: 'url' },
    ]);
    expect(outcomes.map((o) => o.ok && (o.value as { action: string }).action)).toEqual([
      'unchanged',
      'created',
      'updated',
    ]);
  });

  it('stops before sending anything when an item is invalid and the host stops at the first failure', async () => {
    const client = env.client();
    env.exchanges.length = 0;
    const outcomes = await runItems(client, create, [{ url: 'https://example.com/s1' }, { url: 'bad' }], {
      stopAtFirstFailure: true,
    });
    expect(env.exchanges).toEqual([]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message.slice(0, 8)))).toEqual(['Not run:', 'Invalid ']);
  });

  it('runs one at a time without batching, and stops after the first failure when asked', async () => {
    const client = env.client();
    const outcomes = await runItems(
      client,
      create,
      [
        { url: 'https://example.com/o1' },
        { url: 'https://example.com/o1', key: 'same' },
        { url: 'https://example.com/o1', key: 'same' },
        { url: 'https://example.com/o4' },
      ],
      { batch: false, stopAtFirstFailure: true },
    );
    expect(env.hits('POST', '/qrcodes/bulk')).toBe(0);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'ok', 'conflict', 'validation_error']);
    expect(!outcomes[3]?.ok && outcomes[3]?.error.message).toMatch(/^Not run/);
  });

  it('answers the lines of an items action one by one, a bad line in its place (n8n "Create Many" with one item)', async () => {
    const client = env.client();
    const bulk = getOperation('bulkCreateQrCodes');
    const [outcome] = await runItems(client, bulk, [
      { items: [{ url: 'https://example.com/l1' }, { url: 'not a url' }, { url: 'https://example.com/l3' }] },
    ]);
    expect(outcome?.ok).toBe(true);
    const lines = (outcome?.ok ? outcome.value : []) as { index: number; ok: boolean }[];
    expect(lines.map((line) => [line.index, line.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
  });

  it('answers a row repeated under the same External ID like its first one, batched or not (the replay rule)', async () => {
    const client = env.client();
    const row = { url: 'https://example.com/twice', externalId: 'ri-twice' };
    const ids = (outcomes: Awaited<ReturnType<typeof runItems>>) =>
      outcomes.map((o) => (o.ok ? (o.value as { id: string }).id : o.error.code));
    const batched = await runItems(client, create, [row, row]);
    const single = await runItems(client, create, [row, row], { batch: false });
    expect(batched.every((o) => o.ok)).toBe(true);
    expect(ids(batched)).toEqual([ids(batched)[0], ids(batched)[0]]);
    expect(ids(single)).toEqual(ids(batched));
    const upserted = await runItems(client, upsert, [
      { ...row, matchBy: 'externalId' },
      { ...row, matchBy: 'externalId' },
    ]);
    expect(upserted.map((o) => o.ok && (o.value as { action: string }).action)).toEqual(['unchanged', 'unchanged']);
    // the same External ID on another destination is still a conflict, batched as alone
    const other = await runItems(client, create, [row, { ...row, url: 'https://example.com/elsewhere' }]);
    expect(other.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'conflict']);
  });
});
