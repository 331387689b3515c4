/** Many input items of Create / Create or Update through core's bulk operations, each result on its own item. */
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { codeQrNode, create, sandboxPerFile } from './sandbox.ts';

const sandbox = sandboxPerFile({ keys: [{ key: 'codeqr_n8n_batching', plan: 'business' }], seed: 8 });
const { run, failure } = codeQrNode(sandbox);

describe('the CodeQR node batches Create and Create or Update', () => {
  it('creates 250 items in a few bulk calls and maps every result back to its item in order', async () => {
    const params = Array.from({ length: 250 }, (_, i) =>
      create({ url: `https://example.com/p/${i}`, externalId: `row-${i}`, title: `Row ${i}` }),
    );
    const { items, calls } = await run(params);
    const bulkCalls = calls.filter((call) => call.method === 'POST' && call.url.endsWith('/qrcodes/bulk'));
    expect(bulkCalls).toHaveLength(3);
    expect(calls.filter((call) => call.method === 'POST' && call.url.endsWith('/qrcodes'))).toHaveLength(0);
    expect(items).toHaveLength(250);
    items.forEach((item, i) => {
      expect(item.pairedItem).toEqual({ item: i });
      expect(item.json).toMatchObject({ externalId: `row-${i}`, url: `https://example.com/p/${i}`, title: `Row ${i}` });
    });
  });

  it('keeps per-item failures per item: an invalid item is named, the rest are created', async () => {
    const params = [
      create({ url: 'https://example.com/ok-1' }),
      create({ url: 'nope' }),
      create({ url: 'https://example.com/ok-2' }),
    ];
    const { items } = await run(params, { continueOnFail: true });
    expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
    expect(items[0]?.json.url).toBe('https://example.com/ok-1');
    expect(items[1]?.json).toMatchObject({ details: { code: 'validation_error' } });
    expect(String(items[1]?.json.error)).toMatch(/Destination URL/);
    expect(items[2]?.json.url).toBe('https://example.com/ok-2');
    // what n8n routes to the error output ("On Error: Continue (using error output)"): an item whose JSON holds only
    // error / message / details (n8n-core's handleNodeErrorOutput), with structured issues to show
    const routed = (json: object) => Object.keys(json).every((key) => ['error', 'message', 'details'].includes(key));
    expect(items.map((item) => routed(item.json))).toEqual([false, true, false]);
    const details = items[1]?.json.details as { issues: unknown[] } | undefined;
    expect(details?.issues).toEqual([expect.objectContaining({ field: 'url', label: 'Destination URL' })]);
  });

  it('replays safely (the replay rule): the same items again answer the same QR codes, batched or one by one', async () => {
    const params = [1, 2, 3].map((i) => create({ url: `https://example.com/rp/${i}`, externalId: `n8n-rp-${i}` }));
    const once = await run(params);
    const batched = await run(params);
    const single = await run([params[0] as Record<string, unknown>]);
    expect(batched.items.map((item) => item.json.id)).toEqual(once.items.map((item) => item.json.id));
    expect(single.items[0]?.json.id).toBe(once.items[0]?.json.id);
  });

  it('stops before sending anything when an item is invalid and continue-on-fail is off', async () => {
    const { error, calls } = await failure([create({ url: 'https://example.com/ok' }), create({ url: 'nope' })]);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).context.itemIndex).toBe(1);
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0);
  });

  it('sends one call per item with batching turned off', async () => {
    const params = Array.from({ length: 4 }, (_, i) =>
      create({ url: `https://example.com/s/${i}`, options: { batching: false } }),
    );
    const { items, calls } = await run(params);
    expect(calls.filter((call) => call.method === 'POST' && call.url.endsWith('/qrcodes'))).toHaveLength(4);
    expect(items.map((item) => item.json.url)).toEqual(params.map((_, i) => `https://example.com/s/${i}`));
  });

  it('upserts many items in bulk: created, updated and unchanged, each on its own item', async () => {
    await run([create({ url: 'https://example.com/u/0', externalId: 'u-0', title: 'Same' })]);
    await run([create({ url: 'https://example.com/u/1', externalId: 'u-1', title: 'Old' })]);
    const upsert = (fields: Record<string, unknown>) => ({ resource: 'qrCode', operation: 'upsert', ...fields });
    const { items, calls } = await run([
      upsert({ url: 'https://example.com/u/0', externalId: 'u-0', title: 'Same' }),
      upsert({ url: 'https://example.com/u/1', externalId: 'u-1', title: 'New' }),
      upsert({ url: 'https://example.com/u/2', externalId: 'u-2', title: 'Fresh' }),
    ]);
    expect(items.map((item) => [item.json.action, (item.json.qrCode as { title?: string }).title])).toEqual([
      ['unchanged', 'Same'],
      ['updated', 'New'],
      ['created', 'Fresh'],
    ]);
    expect(calls.length).toBeLessThan(9);
  });
});
