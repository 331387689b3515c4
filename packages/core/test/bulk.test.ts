import type { BulkItemResult } from '@codeqr-integrations/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from './support/sandbox.ts';

// Bulk create: one result per item whatever the fault, answers matched by identity (never by position), and every
// exactly-once test run against both bulk answer styles: CodeQR's docs (input order, errors in place) and Dub's
// code (`[...created, ...errors]`, items whose externalId exists left out).

const env = useSandbox({ key: 'codeqr_test_bulk', seed: 3 });
const { exchanges, client, control, fault, hits } = env;
const failed = (results: BulkItemResult[]) => results.filter((r) => !r.ok);

describe.each(['docs', 'dub'] as const)('bulk create, %s-style answers', (style) => {
  beforeEach(async () => {
    env.sb.behaviour.bulkAnswers = style;
  });

  it('never rejects: a lost answer whose reconciliation reads fail too gives outcome_unknown with the externalId, and the rerun creates nothing twice', async () => {
    const c = client();
    const items = Array.from({ length: 150 }, (_, i) => ({ url: `https://example.com/u/${i}` }));
    await fault('POST /qrcodes/bulk', 'drop'); // chunk 1 lands, its answer is lost
    await fault('GET /qrcodes*', 'status', { status: 500, count: 1000 }); // and CodeQR cannot be asked
    const results = await c.qrcodes.bulkCreate(items, { concurrency: 1 });
    expect(results).toHaveLength(150);
    expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    const unknown = failed(results);
    expect(unknown).toHaveLength(100);
    for (const r of unknown) {
      const externalId = r.ok ? undefined : r.error.externalId;
      // the message names the externalId that makes a rerun safe
      expect(r).toMatchObject({
        ok: false,
        error: {
          code: 'outcome_unknown',
          externalId: expect.stringMatching(/^cqr_/),
          message: expect.stringContaining(`"${externalId}"`),
        },
      });
    }
    expect(results.slice(100).every((r) => r.ok)).toBe(true);
    // the lookups stop at the first one that fails: a failing CodeQR is not asked 100 times more
    expect(hits('GET', '/qrcodes/info')).toBeLessThanOrEqual(4 * 4);

    await control('/faults', undefined, 'DELETE');
    const rerun = await c.qrcodes.bulkCreate(
      items.map((item, i) => {
        const r = results[i]!;
        return { ...item, externalId: r.ok ? r.qrCode.externalId! : r.error.externalId! };
      }),
    );
    expect(failed(rerun)).toEqual([]);
    expect(await c.qrcodes.count()).toBe(150);
    expect(rerun.slice(0, 100).map((r) => (r.ok ? r.qrCode.url : ''))).toEqual(items.slice(0, 100).map((i) => i.url));
  });

  it('matches answers by identity: without externalIds, an error in the middle lands on its own item', async () => {
    const c = client();
    await c.qrcodes.create({ url: 'https://example.com/taken', key: 'taken' });
    const items = [
      { url: 'https://example.com/a' },
      { url: 'https://example.com/b', key: 'taken' },
      { url: 'https://example.com/c' },
      { url: 'https://example.com/d', key: 'mine' },
    ];
    const results = await c.qrcodes.bulkCreate(items, { assignExternalIds: false });
    const answer = exchanges.find((x) => x.method === 'POST' && x.path === '/qrcodes/bulk')?.responseBody as object[];
    expect('error' in answer[style === 'dub' ? 3 : 1]!).toBe(true); // Dub's code puts the errors last
    expect(results[0]).toMatchObject({ ok: true, qrCode: { url: 'https://example.com/a' } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(results[2]).toMatchObject({ ok: true, qrCode: { url: 'https://example.com/c' } });
    expect(results[3]).toMatchObject({ ok: true, qrCode: { url: 'https://example.com/d', key: 'mine' } });
    expect(await c.qrcodes.count()).toBe(4);
  });

  it('an item the answer leaves out (its externalId exists) is looked up: ours → ok, another code → conflict', async () => {
    const c = client();
    const mine = await c.qrcodes.create({ url: 'https://example.com/same', externalId: 'sku-1' });
    await c.qrcodes.create({ url: 'https://example.com/theirs', externalId: 'sku-2' });
    const results = await c.qrcodes.bulkCreate([
      { url: 'https://example.com/new', externalId: 'sku-0' },
      { url: 'https://example.com/same', externalId: 'sku-1' },
      { url: 'https://example.com/mine', externalId: 'sku-2' },
    ]);
    const answer = exchanges.find((x) => x.method === 'POST' && x.path === '/qrcodes/bulk')?.responseBody as unknown[];
    expect(answer).toHaveLength(style === 'dub' ? 1 : 3); // Dub's code leaves out both existing externalIds
    expect(results[0]).toMatchObject({ ok: true, qrCode: { externalId: 'sku-0' } });
    expect(results[1]).toMatchObject({ ok: true, qrCode: { id: mine.id } });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'conflict', externalId: 'sku-2' } });
    if (!results[2]!.ok)
      expect(results[2]!.error.message).toMatch(/A different QR code already uses externalId "sku-2"/);
    expect(await c.qrcodes.count()).toBe(3);
  });

  it.each([
    ['drop', {}],
    ['truncate', {}],
    ['status', { status: 502 }],
    ['delay', { delayMs: 300 }],
  ])('loses nothing and duplicates nothing when chunks hit %s', async (mode, extra) => {
    const c = client({ timeoutMs: 200 });
    await fault('POST /qrcodes/bulk', mode, { ...extra, count: 2 });
    const items = Array.from({ length: 150 }, (_, i) => ({ url: `https://example.com/f/${i}` }));
    const results = await c.qrcodes.bulkCreate(items, { concurrency: 2 });
    if (mode === 'delay') await new Promise((r) => setTimeout(r, 350)); // let delayed attempts land
    expect(failed(results)).toEqual([]);
    expect(new Set(results.map((r) => (r.ok ? r.qrCode.id : ''))).size).toBe(150);
    expect(results.map((r) => (r.ok ? r.qrCode.url : ''))).toEqual(items.map((i) => i.url));
    expect(await c.qrcodes.count()).toBe(150);
  });

  it('a time budget that runs out stops sending: unsent items say rate_limit_exceeded, nothing rejects', async () => {
    const c = client({ timeBudgetMs: 5_000 });
    await fault('POST /qrcodes/bulk', 'status', { status: 429, retryAfter: 30, count: 10 });
    const results = await c.qrcodes.bulkCreate(
      Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/t/${i}` })),
      { concurrency: 1 },
    );
    expect(results).toHaveLength(250);
    expect(results.every((r) => !r.ok && r.error.code === 'rate_limit_exceeded')).toBe(true);
    expect(await c.qrcodes.count()).toBe(0);
  });

  it('a key given with and without the primary domain is one short link; each answer lands on its own item', async () => {
    const c = client();
    const { domain } = await c.qrcodes.create({ url: 'https://example.com/first' });
    const results = await c.qrcodes.bulkCreate(
      [
        { url: 'https://example.com/a', key: 'same' },
        { url: 'https://example.com/b', key: 'same', domain },
      ],
      { assignExternalIds: false },
    );
    expect(results[0]).toMatchObject({ ok: true, qrCode: { url: 'https://example.com/a', key: 'same' } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a time budget that runs out mid-bulk (a chunk timing out) still answers every item, and the rerun with the ids given creates each once', async () => {
    const c = client({ timeBudgetMs: 1500, timeoutMs: 1000 });
    await fault('POST /qrcodes/bulk', 'delay', { delayMs: 1200 }); // chunk 1 times out, then lands
    const items = Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/b/${i}` }));
    const results = await c.qrcodes.bulkCreate(items, { concurrency: 1 });
    expect(results).toHaveLength(250);
    expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    for (const r of results) expect(r.ok ? r.qrCode.externalId : r.error.externalId).toMatch(/^cqr_/);
    await new Promise((r) => setTimeout(r, 400)); // let the delayed chunk land
    const rerun = await client().qrcodes.bulkCreate(
      items.map((item, i) => {
        const r = results[i]!;
        return { ...item, externalId: r.ok ? r.qrCode.externalId! : r.error.externalId! };
      }),
    );
    expect(failed(rerun)).toEqual([]);
    expect(await c.qrcodes.count()).toBe(250);
  });

  it('an externalId that begins with ext_ is reconciled like any other', async () => {
    const c = client();
    await fault('POST /qrcodes/bulk', 'drop');
    await fault('GET /qrcodes', 'status', { status: 500, count: 100 }); // the listing fails: lookups by externalId
    const results = await c.qrcodes.bulkCreate([
      { url: 'https://example.com/e1', externalId: 'ext_1' },
      { url: 'https://example.com/e2', externalId: 'ext_ext_2' },
    ]);
    expect(results.map((r) => (r.ok ? r.qrCode.externalId : r.error.code))).toEqual(['ext_1', 'ext_ext_2']);
    expect(await c.qrcodes.count()).toBe(2);
  });
});
