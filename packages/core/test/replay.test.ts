/**
 * The replay rule, the same for every create path: with an External ID, a create that finds the QR code already
 * there (same destination, domain, key and type) answers it as it is and says so where the answer has room
 * (`unchanged` in bulk results); another destination under that External ID is a conflict that names what differs.
 */
import { getOperation, runItems } from '@codeqr-integrations/core';
import { beforeEach, describe, expect, it } from 'vitest';
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
    const create = getOperation('createQrCode');
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

/**
 * A replay whose own bulk request hits a fault and is retried: the retry finds the codes there (refused, or left out
 * of the answer) and looks them up. Those created clearly before this run's request (on CodeQR's clock, measured from
 * its `Date` headers) are `unchanged`; those our own first attempt created are still `created`.
 */
describe.each(['docs', 'dub'] as const)('a replay whose bulk request is retried, %s-style answers', (style) => {
  beforeEach(() => {
    env.sb.behaviour.bulkAnswers = style;
  });
  // [name, mode, options, bulk requests the sandbox records (a reset connection's attempt is never answered)]
  const faults = [
    ['a 502', 'status', { status: 502, count: 1 }, 2],
    ['a reset connection', 'reset', { count: 1 }, 1],
    ['a dropped answer', 'drop', { count: 1 }, 2],
  ] as const;
  const items = [1, 2, 3].map((i) => ({ url: `https://example.com/f/${i}`, externalId: `rp-f-${i}` }));
  const HOUR = 3_600_000;
  /** Makes the stored codes `ms` older on CodeQR's clock: the earlier run happened then. */
  const age = (ms: number) => {
    for (const qr of env.sb.project('codeqr_replay').data.qrCodes) {
      qr.createdAt = new Date(Date.parse(qr.createdAt) - ms).toISOString();
      qr.updatedAt = new Date(Date.parse(qr.updatedAt as string) - ms).toISOString();
    }
  };
  const actions = (results: { ok: boolean; action?: string; error?: { code: string } }[]) =>
    results.map((r) => (r.ok ? r.action : r.error?.code));

  it.each(faults)('after %s: every item says unchanged, nothing is created twice', async (_name, mode, extra, sent) => {
    const client = env.client();
    expect(actions(await client.qrcodes.bulkCreate(items))).toEqual(['created', 'created', 'created']);
    age(60_000); // the first run was a minute ago
    await env.fault('POST /qrcodes/bulk', mode, extra);
    env.exchanges.length = 0;
    const again = await env.client().qrcodes.bulkCreate(items);
    expect(env.hits('POST', '/qrcodes/bulk')).toBe(sent); // the fault was hit and the request retried
    expect(actions(again)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await client.qrcodes.count()).toBe(3);
  });

  it.each(faults)('after %s, on a client clock an hour behind CodeQR: still unchanged', async (_name, mode, extra) => {
    const client = env.client();
    await client.qrcodes.bulkCreate(items);
    age(60_000);
    await env.fault('POST /qrcodes/bulk', mode, extra);
    // read on the client's own clock, the first run (a minute ago) would fall an hour after this one started
    const again = await env.client({ now: () => Date.now() - HOUR }).qrcodes.bulkCreate(items);
    expect(actions(again)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await client.qrcodes.count()).toBe(3);
  });

  it('a first run whose answer was dropped, on a client clock an hour ahead of CodeQR: created, not unchanged', async () => {
    await env.fault('POST /qrcodes/bulk', 'drop', { count: 1 }); // the first attempt lands, its answer is lost
    const client = env.client({ now: () => Date.now() + HOUR });
    // read on the client's own clock, the codes our first attempt made would be an hour older than this run
    expect(actions(await client.qrcodes.bulkCreate(items))).toEqual(['created', 'created', 'created']);
    expect(env.hits('POST', '/qrcodes/bulk')).toBe(2);
    expect(await client.qrcodes.count()).toBe(3);
  });
});
