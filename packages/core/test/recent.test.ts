/**
 * Stateless reads (`recentScans`, `recentQrCodes`, `recentScanCounts`): everything of a time window, newest first,
 * over as many pages as it takes, for hosts that dedupe by `id` themselves (Zapier). Against the sandbox on a frozen
 * clock: bursts larger than a page, the window's edge, deletions, counts that claim nothing they cannot know, and
 * every cap saying what it left out.
 */
import {
  createCodeQrClient,
  createFetchTransport,
  RECENT_LOOKBACK_MS,
  RecentScanCount,
  recentQrCodes,
  recentReaders,
  recentScanCounts,
  recentScans,
  type Transport,
} from '@codeqr-integrations/core';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MIN = 60_000;
let clock = Date.UTC(2026, 5, 1, 12, 0, 0);
const now = () => clock;
let sb: Sandbox;

const KEYS = Array.from({ length: 12 }, (_, i) => ({ key: `recent_${i}`, plan: i < 2 ? 'free' : 'business' }) as const);

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({ keys: [...KEYS], seed: 14, now });
});
afterAll(() => sb.close(), 30_000);

const taken = new Set<string>();

/** A fresh project (its own key) per test, so windows and counts do not mix. */
async function project(plan: 'business' | 'free' = 'business') {
  const found = KEYS.find((k) => k.plan === plan && !taken.has(k.key));
  if (!found) throw new Error('out of sandbox keys');
  taken.add(found.key);
  return { key: found.key, client: createCodeQrClient({ apiKey: found.key, baseUrl: sb.url }) };
}

async function scan(key: string, body: object) {
  const res = await sandboxControl(sb.url, key, '/scans', body);
  expect(res.status).toBe(200);
  return (await res.json()) as { recorded: { id: string; timestamp: string }[] };
}

describe('recentScans', () => {
  it('answers all 300 scans of one millisecond (three pages), newest first, each once', async () => {
    const { key, client } = await project();
    const qr = await client.qrcodes.create({ url: 'https://example.com/burst' });
    const { recorded } = await scan(key, { qrCodeId: qr.id, count: 300, timestamp: clock - 1000 });
    const read = await recentScans(client, { now, pageSize: 100 });
    expect(read.complete).toBe(true);
    expect(read.stop).toBeUndefined();
    expect(read.items).toHaveLength(300);
    expect(new Set(read.items.map((s) => s.id))).toEqual(new Set(recorded.map((r) => r.id)));
  });

  it('answers scans spread over 25 s newest first, and nothing stamped before the window', async () => {
    const { key, client } = await project();
    const qr = await client.qrcodes.create({ url: 'https://example.com/spread' });
    const old = await scan(key, { qrCodeId: qr.id, count: 5, timestamp: clock - RECENT_LOOKBACK_MS - 1 });
    const { recorded } = await scan(key, { qrCodeId: qr.id, count: 250, timestamp: clock - 30_000, intervalMs: 100 });
    const read = await recentScans(client, { now, qrCodeId: qr.id });
    expect(read.items.map((s) => s.id)).toEqual(recorded.map((r) => r.id).reverse());
    expect(read.items.some((s) => old.recorded.some((r) => r.id === s.id))).toBe(false);
    expect(read.windowStart).toBe(new Date(clock - RECENT_LOOKBACK_MS).toISOString());
  });

  it('keeps a deleted QR code’s scans (its link fields gone) and reads on past them', async () => {
    const { key, client } = await project();
    const gone = await client.qrcodes.create({ url: 'https://example.com/gone' });
    const kept = await client.qrcodes.create({ url: 'https://example.com/kept' });
    await scan(key, { qrCodeId: kept.id, count: 2, timestamp: clock - 3000 });
    await scan(key, { qrCodeId: gone.id, count: 2, timestamp: clock - 2000 });
    await client.qrcodes.delete(gone.id);
    const read = await recentScans(client, { now });
    expect(read.items).toHaveLength(4);
    expect(read.items.filter((s) => s.qrCodeId === kept.id)).toHaveLength(2);
  });

  it('caps: the newest maxItems, with the reason and how far it got', async () => {
    const { key, client } = await project();
    const qr = await client.qrcodes.create({ url: 'https://example.com/cap' });
    const { recorded } = await scan(key, { qrCodeId: qr.id, count: 30, timestamp: clock - 60_000, intervalMs: 1000 });
    const read = await recentScans(client, { now, maxItems: 10, pageSize: 7 });
    expect(read.complete).toBe(false);
    expect(read.stop).toMatchObject({ reason: 'maxItems', oldest: recorded[20]!.timestamp });
    expect(read.items.map((s) => s.id)).toEqual(
      recorded
        .slice(20)
        .map((r) => r.id)
        .reverse(),
    );
    const bytes = await recentScans(client, { now, maxBytes: 2000 });
    expect(bytes.stop?.reason).toBe('maxBytes');
    expect(JSON.stringify(bytes.items).length).toBeLessThanOrEqual(2000 + bytes.items.length);
    expect(bytes.items.length).toBeGreaterThan(0);
  });

  it('stops reading new pages once its time is up, and answers what it read when a later page fails', async () => {
    const { key, client } = await project();
    const qr = await client.qrcodes.create({ url: 'https://example.com/slow' });
    await scan(key, { qrCodeId: qr.id, count: 50, timestamp: clock - 60_000, intervalMs: 100 });
    let reads = 0;
    const ticking = () => clock + 1000 * reads++; // every look at the clock: a second later
    const timed = await recentScans(client, { now: ticking, pageSize: 10, budgetMs: 2500 });
    expect(timed.stop?.reason).toBe('time');
    expect(timed.items.length).toBeGreaterThanOrEqual(10);
    expect(timed.items).toHaveLength(30); // pages 1-3 (a second apart); the 4th would start 3 s in

    const http = createFetchTransport();
    const failing: Transport = (request) =>
      /[?&]page=2\b/.test(request.url)
        ? Promise.resolve({
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: '{"error":{"code":"bad_request","message":"boom"}}',
          })
        : http(request);
    const flaky = createCodeQrClient({ apiKey: key, baseUrl: sb.url, transport: failing });
    const partial = await recentScans(flaky, { now, pageSize: 10 });
    expect(partial.stop).toMatchObject({ reason: 'error', message: expect.stringMatching(/page 2 failed: .*boom/) });
    expect(partial.items).toHaveLength(10);
    // the first page failing fails the read: nothing was read to answer with
    const first: Transport = () =>
      Promise.resolve({ status: 401, headers: {}, body: '{"error":{"code":"unauthorized","message":"no"}}' });
    await expect(
      recentScans(createCodeQrClient({ apiKey: key, baseUrl: sb.url, transport: first }), { now }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('recentQrCodes', () => {
  it('answers all 150 codes created at once, and never a code created before the window, whatever is deleted', async () => {
    const { client } = await project();
    const old = await client.qrcodes.bulkCreate(
      Array.from({ length: 3 }, (_, i) => ({ url: `https://example.com/old/${i}` })),
    );
    clock += 2 * RECENT_LOOKBACK_MS;
    const fresh = await client.qrcodes.bulkCreate(
      Array.from({ length: 150 }, (_, i) => ({ url: `https://example.com/new/${i}` })),
    );
    const read = await recentQrCodes(client, { now });
    expect(read.complete).toBe(true);
    expect(read.items).toHaveLength(150);
    const ids = new Set(fresh.map((r) => (r.ok ? r.qrCode.id : undefined)));
    expect(read.items.every((qr) => ids.has(qr.id))).toBe(true);
    // deleting new codes pulls nothing older into the answer
    await client.qrcodes.bulkDelete([...ids].slice(0, 100) as string[]);
    const after = await recentQrCodes(client, { now });
    expect(after.items).toHaveLength(50);
    expect(after.items.some((qr) => old.some((r) => r.ok && r.qrCode.id === qr.id))).toBe(false);
  });

  it('takes the trigger’s filters', async () => {
    const { client } = await project();
    await client.tags.create({ name: 'event' });
    const tagged = await client.qrcodes.create({ url: 'https://example.com/tagged', tagNames: ['event'] });
    await client.qrcodes.create({ url: 'https://example.com/plain' });
    const read = await recentReaders.newQrCode!.read(client, { tagNames: ['event'] }, { now });
    expect((read.items as { id: string }[]).map((qr) => qr.id)).toEqual([tagged.id]);
  });
});

describe('recentScanCounts', () => {
  it('3 scans, then 2 more: each read shows the true total under an id of its own, and claims no previous count', async () => {
    const { key, client } = await project('free');
    const qr = await client.qrcodes.create({ url: 'https://example.com/count' });
    const idle = await client.qrcodes.create({ url: 'https://example.com/idle' });
    expect((await recentScanCounts(client, { now })).items).toEqual([]);
    await scan(key, { qrCodeId: qr.id, count: 3 });
    const first = await recentScanCounts(client, { now });
    expect(first.items).toEqual([expect.objectContaining({ id: `${qr.id}:3`, qrCodeId: qr.id, scans: 3 })]);
    clock += 5 * MIN;
    await scan(key, { qrCodeId: qr.id, count: 2 });
    const second = await recentScanCounts(client, { now });
    expect(second.items).toEqual([expect.objectContaining({ id: `${qr.id}:5`, scans: 5 })]);
    for (const item of [...first.items, ...second.items]) {
      expect(RecentScanCount.strict().safeParse(item).success).toBe(true);
      expect(item).not.toHaveProperty('previousScans');
      expect(item).not.toHaveProperty('newScans');
    }
    // one code, by id; a code last scanned before the window is not answered
    expect((await recentScanCounts(client, { now, qrCodeId: qr.id })).items.map((c) => c.id)).toEqual([`${qr.id}:5`]);
    expect((await recentScanCounts(client, { now, qrCodeId: idle.id })).items).toEqual([]);
    clock += 2 * RECENT_LOOKBACK_MS;
    expect((await recentScanCounts(client, { now })).items).toEqual([]);
  });
});
