import { createCodeQrClient, pollNewQrCodes, pollNewScans } from '@codeqr-integrations/core';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sb: Sandbox;
const keys = { business: 'poll_business', free: 'poll_free' };

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({
    keys: [
      { key: keys.business, plan: 'business' },
      { key: keys.free, plan: 'free' },
    ],
    seed: 5,
  });
});
afterAll(() => sb.close(), 30_000); // also fails if any request was not valid against the official spec

const clientFor = (key: string) => createCodeQrClient({ apiKey: key, baseUrl: sb.url });
async function scan(key: string, body: object) {
  const res = await fetch(`${sb.url}/__sandbox/scans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('pollNewScans (events strategy)', () => {
  it('primes, then emits each scan once, oldest first, including scans sharing a timestamp', async () => {
    const c = clientFor(keys.business);
    const qr = await c.qrcodes.create({ url: 'https://example.com/poll' });
    // settleMs 0: these scans are listed at once (the sandbox has no ingestion lag; burst.test.ts covers the window)
    const options = { strategy: 'events' as const, qrCodeId: qr.id, settleMs: 0 };
    const first = await pollNewScans(c, options);
    expect(first).toMatchObject({ primed: true, scans: [], truncated: false });

    await new Promise((r) => setTimeout(r, 5));
    const at = new Date().toISOString();
    await scan(keys.business, { qrCodeId: qr.id, timestamps: [at, at, at] });
    const second = await pollNewScans(c, options, first.cursor);
    expect(second.scans).toHaveLength(3);
    expect(second.scans.every((s) => s.timestamp === at && s.qrCodeId === qr.id && s.source === 'events')).toBe(true);

    // two more a millisecond later: emitted once, the earlier three not again (a scan that shows up later than
    // settleMs after its time, here at `at` itself, is outside the guarantee: the poll moved past that millisecond)
    const next = new Date(Date.parse(at) + 1).toISOString();
    await scan(keys.business, { qrCodeId: qr.id, timestamps: [next, next] });
    await new Promise((r) => setTimeout(r, 5));
    const third = await pollNewScans(c, options, JSON.parse(JSON.stringify(second.cursor)));
    expect(third.scans).toHaveLength(2);
    expect(new Set([...second.scans, ...third.scans].map((s) => s.id)).size).toBe(5);
    const again = await pollNewScans(c, options, third.cursor);
    expect(again.scans).toEqual([]);
    expect(again.cursor).toMatchObject(third.cursor); // (plus how wide the next read goes: `reach`)
  });

  it.each([
    ['spread over 350 ms', 1],
    ['all in the same millisecond', 0],
  ])(
    'drains a backlog larger than maxPages (%s) over several polls without loss or duplicates',
    async (_, intervalMs) => {
      const c = clientFor(keys.business);
      const qr = await c.qrcodes.create({ url: `https://example.com/backlog/${intervalMs}` });
      const primed = await pollNewScans(c, { strategy: 'events', qrCodeId: qr.id });
      await new Promise((r) => setTimeout(r, 400));
      const since = Date.parse((primed.cursor as { since: string }).since);
      await scan(keys.business, {
        qrCodeId: qr.id,
        count: 350,
        timestamp: new Date(since + 1).toISOString(),
        intervalMs,
      });
      const seen: string[] = [];
      let cursor: unknown = primed.cursor;
      const truncations: boolean[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await pollNewScans(c, { strategy: 'events', qrCodeId: qr.id, maxPages: 2, pageSize: 100 }, cursor);
        seen.push(...r.scans.map((s) => s.id));
        truncations.push(r.truncated);
        cursor = r.cursor;
        const times = r.scans.map((s) => Date.parse(s.timestamp));
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      expect(truncations[0]).toBe(true);
      expect(truncations.at(-1)).toBe(false);
      expect(seen).toHaveLength(350);
      expect(new Set(seen).size).toBe(350);
    },
  );
});

describe('pollNewScans (counts strategy, plans without /events)', () => {
  it('emits one change per QR code whose scan count grew', async () => {
    const c = clientFor(keys.free);
    const a = await c.qrcodes.create({ url: 'https://example.com/a' });
    const b = await c.qrcodes.create({ url: 'https://example.com/b' });
    await scan(keys.free, { qrCodeId: a.id, count: 2 });
    const primed = await pollNewScans(c, { strategy: 'counts' });
    expect(primed).toMatchObject({ primed: true, changes: [] });
    await scan(keys.free, { qrCodeId: a.id, count: 3 });
    await scan(keys.free, { qrCodeId: b.id, count: 1 });
    const next = await pollNewScans(c, { strategy: 'counts' }, primed.cursor);
    const byId = Object.fromEntries(next.changes.map((ch) => [ch.qrCodeId, ch]));
    expect(byId[a.id]).toMatchObject({ previousScans: 2, scans: 5, newScans: 3, id: `${a.id}:5` });
    expect(byId[b.id]).toMatchObject({ previousScans: 0, scans: 1, newScans: 1 });
    expect((await pollNewScans(c, { strategy: 'counts' }, next.cursor)).changes).toEqual([]);
  });

  it('a poll cut short by maxPages reads the rest next time instead of skipping it', async () => {
    const c = clientFor(keys.free);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push(await c.qrcodes.create({ url: `https://example.com/cut/${i}` }));
    const primed = await pollNewScans(c, { strategy: 'counts' });
    for (const code of codes) {
      await new Promise((r) => setTimeout(r, 3)); // distinct lastClicked
      await scan(keys.free, { qrCodeId: code.id, count: 2 });
    }
    const seen = new Map<string, number>();
    let cursor: unknown = primed.cursor;
    for (let i = 0; i < 4; i++) {
      const r = await pollNewScans(c, { strategy: 'counts', maxPages: 1, pageSize: 1 }, cursor);
      for (const change of r.changes) seen.set(change.qrCodeId, (seen.get(change.qrCodeId) ?? 0) + change.newScans);
      cursor = r.cursor;
    }
    for (const code of codes) expect(seen.get(code.id)).toBe(2);
  });

  it('a code whose scan shows up after a poll that saw a later-scanned code is still reported', async () => {
    const c = clientFor(keys.free);
    const a = await c.qrcodes.create({ url: 'https://example.com/lag/a' });
    const b = await c.qrcodes.create({ url: 'https://example.com/lag/b' });
    const primed = await pollNewScans(c, { strategy: 'counts' });
    const t = Date.now() - 500;
    await scan(keys.free, { qrCodeId: b.id, count: 1, timestamp: new Date(t).toISOString() });
    const first = await pollNewScans(c, { strategy: 'counts' }, primed.cursor);
    expect(first.changes.map((ch) => ch.qrCodeId)).toEqual([b.id]);
    // stamped before the newest scan the poll saw, but recorded after it
    await scan(keys.free, { qrCodeId: a.id, count: 1, timestamp: new Date(t - 500).toISOString() });
    const second = await pollNewScans(c, { strategy: 'counts' }, JSON.parse(JSON.stringify(first.cursor)));
    expect(second.changes).toEqual([expect.objectContaining({ qrCodeId: a.id, newScans: 1 })]);
    expect((await pollNewScans(c, { strategy: 'counts' }, second.cursor)).changes).toEqual([]);
  });

  it("the events strategy on a Free key fails with CodeQR's plan message", async () => {
    const c = clientFor(keys.free);
    await expect(pollNewScans(c, { strategy: 'events' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/Business plan/),
    });
  });
});

describe('pollNewQrCodes', () => {
  it('primes, then emits each new QR code once, oldest first', async () => {
    const c = clientFor(keys.business);
    const primed = await pollNewQrCodes(c);
    expect(primed.qrCodes).toEqual([]);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await c.qrcodes.create({ url: `https://example.com/new/${i}` }));
    await new Promise((r) => setTimeout(r, 5));
    const next = await pollNewQrCodes(c, { settleMs: 0 }, primed.cursor);
    expect(next.qrCodes.map((q) => q.id)).toEqual(made.map((q) => q.id));
    expect((await pollNewQrCodes(c, { settleMs: 0 }, next.cursor)).qrCodes).toEqual([]);
  });

  it('drains a backlog larger than maxPages oldest first over several polls, skipping nothing', async () => {
    const c = clientFor(keys.business); // 250 codes: past the Free plan's 10 a month (the sandbox enforces quotas)
    const primed = await pollNewQrCodes(c, { filters: { search: 'drain' } });
    const created = await c.qrcodes.bulkCreate(
      Array.from({ length: 250 }, (_, i) => ({ url: `https://example.com/drain/${i}`, key: `drain-${i}` })),
    );
    expect(created.every((r) => r.ok)).toBe(true);
    const emitted: string[] = [];
    let cursor: unknown = primed.cursor;
    const truncations: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const r = await pollNewQrCodes(
        c,
        { filters: { search: 'drain' }, maxPages: 1, pageSize: 100, settleMs: 0 },
        cursor,
      );
      emitted.push(...r.qrCodes.map((q) => q.id));
      truncations.push(r.truncated);
      cursor = r.cursor;
      // a code created between polls joins the queue behind the backlog, not ahead of it
      if (i === 0) await c.qrcodes.create({ url: 'https://example.com/drain/late', key: 'drain-late' });
    }
    expect(truncations[0]).toBe(true);
    expect(truncations.at(-1)).toBe(false);
    expect(emitted).toHaveLength(251);
    expect(new Set(emitted).size).toBe(251);
    const order = created.map((r) => (r.ok ? r.qrCode.id : ''));
    expect(emitted.slice(0, 250).sort()).toEqual([...order].sort());
  });

  it('leaves codes from the last seconds to the next poll (the window settles before it is read)', async () => {
    const c = clientFor(keys.business);
    const primed = await pollNewQrCodes(c);
    const fresh = await c.qrcodes.create({ url: 'https://example.com/settle' });
    expect((await pollNewQrCodes(c, { settleMs: 60_000 }, primed.cursor)).qrCodes).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    const later = await pollNewQrCodes(c, { settleMs: 0 }, primed.cursor);
    expect(later.qrCodes.map((q) => q.id)).toEqual([fresh.id]);
  });

  it('rejects a corrupted stored cursor with a fix', async () => {
    await expect(pollNewQrCodes(clientFor(keys.business), {}, { since: 'yesterday' })).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/reset the trigger/),
    });
  });
});
