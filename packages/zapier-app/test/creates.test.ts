/**
 * The creates against the sandbox: Zapier strings and blanks straight to core, nested fields un-nested, Clear Fields,
 * comma lists, replays, and line items (one result per line; bad lines fail alone).
 */
import { createCodeQrClient } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { c, failure, type Item, keys, mapped, must, run, s, useSandbox } from './app-harness.ts';

const sandbox = useSandbox();

describe('creates', () => {
  it('Create QR Code: Zapier strings and blanks go straight to core, nested fields un-nest', async () => {
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/menu',
      title: 'Menu',
      externalId: 'zap-create-1',
      size: '512',
      static: 'false',
      description: '',
    });
    expect(qr).toMatchObject({ url: 'https://example.com/menu', title: 'Menu', externalId: 'zap-create-1', size: 512 });
    expect(qr.shortLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+/);
    expect(Date.parse(String(qr.createdAt))).not.toBeNaN();

    const wifi = await run(c('createQrCode'), {
      type: 'wifi',
      wifi__ssid: 'Cafe Guest',
      wifi__password: 'espresso42',
      wifi__encryption: 'WPA2',
    });
    expect(wifi).toMatchObject({ type: 'wifi' });
  });

  it('Update QR Code by ID or by ext_<External ID>; empty fields stay as they are', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/a', externalId: 'zap-upd' });
    const updated = await run(c('updateQrCode'), { id: qr.id, title: 'Renamed', url: '' });
    expect(updated).toMatchObject({ id: qr.id, title: 'Renamed', url: 'https://example.com/a' });
    const byExt = await run(c('updateQrCode'), { id: 'ext_zap-upd', comments: 'via external id' });
    expect(byExt).toMatchObject({ id: qr.id, comments: 'via external id' });
  });

  it('Update QR Code empties the fields picked in Clear Fields (Zapier cannot send null)', async () => {
    const client = createCodeQrClient({ apiKey: keys.business, baseUrl: sandbox.sb.url });
    await client.tags.create({ name: 'to-clear' });
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/clear',
      title: 'Keep me?',
      comments: 'internal',
      externalId: 'zap-clear',
      tagNames: 'to-clear',
    });
    expect(qr).toMatchObject({ title: 'Keep me?', comments: 'internal', tags: [expect.objectContaining({})] });
    // picked in the multi-select: one item per pick; blanks above stay as they are
    const cleared = await run(c('updateQrCode'), { id: qr.id, title: '', clearFields: ['title', 'tagNames'] });
    expect(cleared).toMatchObject({ id: qr.id, title: null, comments: 'internal', tags: [] });
    // mapped as text from an earlier step ("Comments, External ID" arrives as one item), by label
    const more = await run(c('updateQrCode'), { id: qr.id, clearFields: ['Comments, External ID'] });
    expect(more).toMatchObject({ id: qr.id, comments: null, externalId: null, url: 'https://example.com/clear' });
  });

  it('Update QR Code: a field both filled in and picked in Clear Fields fails, naming it, before anything is sent', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/clear-conflict', title: 'Stay' });
    const before = sandbox.sb.requests.length;
    const error = await failure(run(c('updateQrCode'), { id: qr.id, title: 'New', clearFields: ['title'] }));
    expect(error).toMatchObject({ code: 'validation_error' });
    expect(error.message).toMatch(/Title: is filled in and also picked in Clear Fields/);
    const unknown = await failure(run(c('updateQrCode'), { id: qr.id, clearFields: ['Size'] }));
    expect(unknown.message).toMatch(/Clear Fields: "Size" is not a field that can be cleared/);
    expect(sandbox.sb.requests.length).toBe(before);
  });

  it('a comma list mapped from an earlier step reaches CodeQR as separate items (tags, IDs)', async () => {
    const client = createCodeQrClient({ apiKey: keys.business, baseUrl: sandbox.sb.url });
    await client.tags.create({ name: 'north' });
    await client.tags.create({ name: 'south' });
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/mapped-tags',
      tagNames: mapped('createQrCode', 'tagNames', 'north,south'),
    });
    const sent = sandbox.sb.requests.filter((r) => r.method === 'POST' && r.path === '/qrcodes').pop();
    expect((must(sent).body as { tagNames?: unknown }).tagNames).toEqual(['north', 'south']);
    expect((qr.tags as { name: string }[]).map((t) => t.name).sort()).toEqual(['north', 'south']);

    const a = await run(c('createQrCode'), { url: 'https://example.com/ids/1' });
    const b = await run(c('createQrCode'), { url: 'https://example.com/ids/2' });
    const deleted = await run(c('bulkDeleteQrCodes'), {
      ids: mapped('bulkDeleteQrCodes', 'ids', `${a.id}, ${b.id}`),
    });
    expect(deleted).toEqual({ deletedCount: 2 });
  });

  it('Create or Update QR Code says created, unchanged or updated', async () => {
    const input = { url: 'https://example.com/upsert', externalId: 'zap-upsert', title: 'First' };
    expect(await run(c('upsertQrCode'), input)).toMatchObject({ action: 'created' });
    expect(await run(c('upsertQrCode'), input)).toMatchObject({ action: 'unchanged' });
    const changed = await run(c('upsertQrCode'), { ...input, title: 'Second' });
    expect(changed).toMatchObject({ action: 'updated', qrCode: { title: 'Second', externalId: 'zap-upsert' } });
  });

  it('Delete QR Code, then Find QR Code finds nothing (an empty list, not an error)', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/delete-me' });
    expect(await run(c('deleteQrCode'), { id: qr.id })).toEqual({ id: qr.id });
    expect(await run(s('getQrCode'), { id: qr.id })).toEqual([]);
  });

  it('Bulk Create QR Codes: one result per line; bad lines fail alone and the good ones are created', async () => {
    await run(c('createQrCode'), { url: 'https://example.com/taken', key: 'taken-key' });
    const result = await run<{ total: number; succeeded: number; failed: number; results: Item[] }>(
      c('bulkCreateQrCodes'),
      {
        items: [
          { url: 'https://example.com/p/1', externalId: 'sku-1', title: 'Product 1' },
          { url: 'not a url', externalId: 'sku-2' },
          { url: 'https://example.com/p/3', key: 'taken-key' },
          { url: 'https://example.com/p/4', bgColor: 'blurple' },
          { url: 'https://example.com/p/5', size: '256', tagNames: '' },
        ],
      },
    );
    expect(result).toMatchObject({ total: 5, succeeded: 2, failed: 3 });
    const [one, two, three, four, five] = result.results;
    expect(one).toMatchObject({ line: 1, status: 'created', externalId: 'sku-1', errorMessage: null });
    expect(two).toMatchObject({ line: 2, status: 'failed', externalId: 'sku-2', errorCode: 'validation_error' });
    expect(two?.errorMessage).toMatch(/Destination URL/);
    // core checks each line alone and names its own line and the field, relative to the line
    expect(two?.errorMessage).toMatch(/^Invalid item 2: Destination URL \(url\)/);
    expect(two?.errorField).toBe('Destination URL');
    expect(four?.errorMessage).toMatch(/^Invalid item 4: Background Color \(bgColor\)/);
    expect(three).toMatchObject({ line: 3, status: 'failed' });
    expect(String(three?.errorMessage)).toMatch(/taken-key|already/i);
    expect(four).toMatchObject({ line: 4, status: 'failed', errorCode: 'validation_error' });
    expect(four?.errorMessage).toMatch(/Background Color/);
    expect(four?.errorField).toBe('Background Color');
    expect(five).toMatchObject({ line: 5, status: 'created' });
    // the good lines really exist
    const found = await run<Item[]>(s('getQrCode'), { externalId: 'sku-1' });
    expect(found[0]).toMatchObject({ title: 'Product 1' });
  });

  it('replays are safe (the replay rule): Create and Bulk Create with the same External IDs answer the codes already there', async () => {
    const first = await run<Item>(c('createQrCode'), { url: 'https://example.com/replay', externalId: 'zap-replay' });
    const again = await run<Item>(c('createQrCode'), { url: 'https://example.com/replay', externalId: 'zap-replay' });
    expect(again.id).toBe(first.id);
    const lines = {
      items: [1, 2].map((i) => ({ url: `https://example.com/replay/${i}`, externalId: `zap-line-${i}` })),
    };
    const once = await run<{ results: Item[] }>(c('bulkCreateQrCodes'), lines);
    const twice = await run<{ results: Item[] }>(c('bulkCreateQrCodes'), lines);
    expect(once.results.map((r) => r.status)).toEqual(['created', 'created']);
    expect(twice.results.map((r) => [r.status, r.id])).toEqual(once.results.map((r) => ['unchanged', r.id]));
  });

  it('Bulk Create with every line bad fails the step, naming each line', async () => {
    const error = await failure(
      run(c('bulkCreateQrCodes'), {
        items: [{ url: 'nope' }, { url: 'https://x.example', size: 'big' }],
      }),
    );
    expect(error.message).toMatch(/line 1: .*Destination URL/);
    expect(error.message).toMatch(/line 2: .*Size/);
  });

  it('Bulk Create with the lines mapped as JSON text: core reads it, same one-line-per-item output', async () => {
    const result = await run<{ total: number; succeeded: number; results: Item[] }>(c('bulkCreateQrCodes'), {
      items: JSON.stringify([{ url: 'https://example.com/json/1' }, { url: 'https://example.com/json/2' }]),
    });
    expect(result).toMatchObject({ total: 2, succeeded: 2 });
    expect(result.results.map((r) => r.status)).toEqual(['created', 'created']);
  });

  it('Create or Update QR Codes (line items) reports created / updated per line', async () => {
    const first = await run<{ results: Item[] }>(c('upsertQrCodes'), {
      items: [
        { url: 'https://example.com/m/1', externalId: 'many-1' },
        { url: 'https://example.com/m/2', externalId: 'many-2' },
      ],
    });
    expect(first.results.map((r) => r.status)).toEqual(['created', 'created']);
    const second = await run<{ results: Item[] }>(c('upsertQrCodes'), {
      items: [
        { url: 'https://example.com/m/1', externalId: 'many-1' },
        { url: 'https://example.com/m/2b', externalId: 'many-2' },
        { url: 'bad', externalId: 'many-3' },
      ],
    });
    expect(second.results.map((r) => r.status)).toEqual(['unchanged', 'updated', 'failed']);
  });

  it('Delete QR Codes in Bulk takes a list of IDs', async () => {
    const a = await run(c('createQrCode'), { url: 'https://example.com/bd/1' });
    const b = await run(c('createQrCode'), { url: 'https://example.com/bd/2' });
    // Zapier joins mapped line items with commas into the one IDs field
    expect(await run(c('bulkDeleteQrCodes'), { ids: `${a.id},${b.id}` })).toEqual({ deletedCount: 2 });
  });
});
