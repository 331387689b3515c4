/**
 * The replay rule, the same for every create path: with an External ID, a create that finds the QR code already
 * there (same destination, domain, key and type) answers it as it is and says so where the answer has room
 * (`unchanged` in bulk results); another destination under that External ID is a conflict that names what differs.
 */
import { getOperation, type Operation, runItems } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/sandbox.ts';

const env = useSandbox({ key: 'codeqr_replay', seed: 43 });

describe('replaying a create with the same External IDs', () => {
  it('single create: answers the same QR code, creates nothing', async () => {
    const client = env.client();
    const first = await client.qrcodes.create({ url: 'https://example.com/r1', externalId: 'rp-1', title: 'One' });
    const again = await client.qrcodes.create({ url: 'https://example.com/r1', externalId: 'rp-1', title: 'One' });
    expect(again.id).toBe(first.id);
    expect(await client.qrcodes.count()).toBe(1);
  });

  it('bulk create: every line says unchanged the second time, no duplicate; the title is left as it was', async () => {
    const client = env.client();
    const items = Array.from({ length: 120 }, (_, i) => ({
      url: `https://example.com/b/${i}`,
      externalId: `rp-b-${i}`,
      title: `T${i}`,
    }));
    const op = getOperation('bulkCreateQrCodes');
    const first = (await op.execute(client, { items })) as { ok: boolean; action?: string }[];
    expect(first.map((r) => r.action)).toEqual(items.map(() => 'created'));
    const renamed = items.map((item) => ({ ...item, title: `${item.title} (new)` }));
    const second = (await op.execute(client, { items: renamed })) as {
      ok: boolean;
      action?: string;
      qrCode?: { title: string };
    }[];
    expect(second.map((r) => r.action)).toEqual(items.map(() => 'unchanged'));
    expect(second[0]?.qrCode?.title).toBe('T0');
    expect(await client.qrcodes.count()).toBe(120);
  });

  it('single and batched creates through runItems answer the existing code, the same way', async () => {
    const client = env.client();
    const create = getOperation('createQrCode') as unknown as Operation;
    const raws = [1, 2, 3].map((i) => ({ url: `https://example.com/n/${i}`, externalId: `rp-n-${i}` }));
    const once = await runItems(client, create, raws);
    const batched = await runItems(client, create, raws);
    const oneByOne = await runItems(client, create, raws, { batch: false });
    const ids = (outcomes: typeof once) => outcomes.map((o) => (o.ok ? (o.value as { id: string }).id : o.error.code));
    expect(ids(batched)).toEqual(ids(once));
    expect(ids(oneByOne)).toEqual(ids(once));
    expect(await client.qrcodes.count()).toBe(3);
  });

  it('another destination under an existing External ID is a conflict naming it, single and bulk', async () => {
    const client = env.client();
    await client.qrcodes.create({ url: 'https://example.com/c1', externalId: 'rp-c' });
    await expect(client.qrcodes.create({ url: 'https://example.com/c2', externalId: 'rp-c' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/url differs/),
    });
    const [result] = (await getOperation('bulkCreateQrCodes').execute(client, {
      items: [{ url: 'https://example.com/c2', externalId: 'rp-c' }],
    })) as { ok: boolean; error?: { code: string; message: string } }[];
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/url differs/) },
    });
  });
});
