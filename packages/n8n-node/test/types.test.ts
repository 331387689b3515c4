/**
 * Every QR type through the node's execute path against the sandbox, as the form sends it (the type's content field
 * at the top, shown for that type): created, updated, upserted (one item, and many through the bulk endpoints and
 * Create Many / Create or Update Many), with the record CodeQR stored checked each time, and rendered (Get Image).
 */
import { describeFields, getOperation } from '@codeqr-integrations/core/base';
import { QR_TYPE_SAMPLES } from '@codeqr-integrations/test/support/qr-type-samples';
import type { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { codeQrNode, sandboxPerFile } from './sandbox.ts';

const KEY = 'codeqr_n8n_types';
const sandbox = sandboxPerFile({ keys: [{ key: KEY, plan: 'business' }], seed: 17 });
const { run, failure } = codeQrNode(sandbox);

const TYPES = (describeFields(getOperation('createQrCode').input).find((s) => s.key === 'type')?.options ?? []).map(
  (o) => String(o.value),
);
const CREATABLE = TYPES.filter((type) => type !== 'geo');

const qr = (operation: string, fields: Record<string, unknown>) => ({ resource: 'qrCode', operation, ...fields });

/** The record as CodeQR stores it (read back with the API, not through the node). */
const stored = (id: unknown) => sandbox.api('GET', `/qrcodes/info?qrCodeId=${encodeURIComponent(String(id))}`);

/**
 * Types CodeQR stores but never answers (its QR code schema has no `pix`): sent as static codes, whose answer holds
 * what they encode (`contentStatic`, the BR Code), checked instead.
 */
const UNANSWERED = new Set(['pix']);
const extra = (type: string) => (UNANSWERED.has(type) ? { static: true } : {});

/** What CodeQR keeps of `content` under the type's own key: each given sub-field, as given. */
function expectStored(record: Record<string, unknown>, type: string, content: unknown) {
  expect(record.type, type).toBe(type);
  if (UNANSWERED.has(type)) {
    expect(String(record.contentStatic), type).toContain((content as { key: string }).key);
  } else if (typeof content === 'object' && content !== null) {
    expect(record[type], type).toMatchObject(content as Record<string, unknown>);
  } else {
    expect(record[type], type).toBe(content);
  }
}

describe('every QR type through the node', () => {
  it('offers the 13 types of CodeQR', () => {
    expect(TYPES).toHaveLength(13);
    expect(Object.keys(QR_TYPE_SAMPLES).sort()).toEqual(CREATABLE.sort());
  });

  it.each(CREATABLE)('%s: create, update, upsert (changed and unchanged), render', async (type) => {
    const [first, second] = QR_TYPE_SAMPLES[type] as [unknown, unknown];
    const externalId = `type-${type}`;
    const [created] = (await run([qr('create', { type, [type]: first, externalId, additionalFields: extra(type) })]))
      .items;
    expect(created?.json.type).toBe(type);
    expectStored(await stored(created?.json.id), type, first);

    // Update picks the QR code by External ID; the content is an added field (no type is chosen in an update)
    const locator = { __rl: true, mode: 'externalId', value: externalId };
    const [updated] = (await run([qr('update', { id: locator, additionalFields: { [type]: second } })])).items;
    expect(updated?.json.id).toBe(created?.json.id);
    expectStored(await stored(created?.json.id), type, second);

    const upsert = (content: unknown) =>
      qr('upsert', { type, [type]: content, externalId, matchBy: 'externalId', additionalFields: extra(type) });
    const [back] = (await run([upsert(first)])).items;
    expect(back?.json).toMatchObject({ action: 'updated', qrCode: { id: created?.json.id } });
    expectStored(await stored(created?.json.id), type, first);
    // (CodeQR never answers a Pix code's content, so core cannot see it unchanged: it writes it again)
    const again = UNANSWERED.has(type) ? 'updated' : 'unchanged';
    expect((await run([upsert(first)])).items[0]?.json.action).toBe(again);

    const image = (await run([qr('getImage', { id: { __rl: true, mode: 'id', value: created?.json.id } })])).items[0];
    expect(image?.binary?.data?.mimeType).toBe('image/png');
    expect(Number(image?.binary?.data?.fileSize)).toBeGreaterThan(100);
  });

  it('creates and upserts every type as many items at once (bulk endpoints), each stored as sent', async () => {
    const items = CREATABLE.map((type) =>
      qr('create', {
        type,
        [type]: QR_TYPE_SAMPLES[type]?.[0],
        externalId: `bulk-${type}`,
        additionalFields: extra(type),
      }),
    );
    const created = await run(items);
    expect(created.calls.filter((c) => c.method === 'POST' && c.url.includes('/qrcodes/bulk'))).toHaveLength(1);
    for (const [i, type] of CREATABLE.entries()) {
      expectStored(await stored(created.items[i]?.json.id), type, QR_TYPE_SAMPLES[type]?.[0]);
    }
    const upserts = CREATABLE.map((type) =>
      qr('upsert', {
        ...{ type, [type]: QR_TYPE_SAMPLES[type]?.[1], externalId: `bulk-${type}` },
        ...{ matchBy: 'externalId', additionalFields: extra(type) },
      }),
    );
    const upserted = await run(upserts);
    expect(upserted.items.map((item) => item.json.action)).toEqual(CREATABLE.map(() => 'updated'));
    for (const [i, type] of CREATABLE.entries()) {
      expect(upserted.items[i]?.json.qrCode).toMatchObject({ id: created.items[i]?.json.id });
      expectStored(await stored(created.items[i]?.json.id), type, QR_TYPE_SAMPLES[type]?.[1]);
    }
  });

  it('creates and upserts every type with Create Many and Create or Update Many', async () => {
    const list = CREATABLE.map((type) => ({
      type,
      [type]: QR_TYPE_SAMPLES[type]?.[0],
      externalId: `many-${type}`,
      ...extra(type),
    }));
    const created = await run([qr('createMany', { items: JSON.stringify(list) })]);
    expect(created.items.map((item) => item.json.ok)).toEqual(CREATABLE.map(() => true));
    for (const [i, type] of CREATABLE.entries()) {
      const qrCode = created.items[i]?.json.qrCode as Record<string, unknown>;
      expectStored(await stored(qrCode.id), type, QR_TYPE_SAMPLES[type]?.[0]);
    }
    const changed = CREATABLE.map((type) => ({
      type,
      [type]: QR_TYPE_SAMPLES[type]?.[1],
      externalId: `many-${type}`,
      ...extra(type),
    }));
    const upserted = await run([qr('upsertMany', { items: JSON.stringify(changed), matchBy: 'externalId' })]);
    expect(upserted.items.map((item) => item.json.action)).toEqual(CREATABLE.map(() => 'updated'));
    for (const [i, type] of CREATABLE.entries()) {
      const qrCode = upserted.items[i]?.json.qrCode as Record<string, unknown>;
      expectStored(await stored(qrCode.id), type, QR_TYPE_SAMPLES[type]?.[1]);
    }
  });

  it('refuses a Geo code before sending anything, saying what to use instead', async () => {
    const { error, calls } = await failure([qr('create', { type: 'geo' })]);
    expect((error as NodeOperationError).message).toMatch(/Location/);
    expect(calls).toHaveLength(0);
  });

  it("reads only the chosen type's content (another type's value left in the workflow is not sent)", async () => {
    const [created] = (
      await run([
        qr('create', { type: 'text', text: 'Only this', wifi: { ssid: 'Stale' }, url: 'https://stale.example' }),
      ])
    ).items;
    const record = await stored(created?.json.id);
    expect(record).toMatchObject({ type: 'text', text: 'Only this' });
    expect(record.wifi ?? null).toBeNull();
  });

  it('updates and deletes a QR code picked by its short link', async () => {
    const [created] = (await run([qr('create', { url: 'https://example.com/s', key: 'by-link' })])).items;
    const link = { __rl: true, mode: 'shortLink', value: String(created?.json.shortLink) };
    const [updated] = (await run([qr('update', { id: link, title: 'Renamed' })])).items;
    expect(updated?.json).toMatchObject({ id: created?.json.id, title: 'Renamed' });
    const [deleted] = (await run([qr('delete', { id: link })])).items;
    expect(deleted?.json.id).toBe(created?.json.id);
    const missing = await failure([qr('delete', { id: link })]);
    expect(String((missing.error as Error).message)).toMatch(/not found/i);
  });
});
