/** The polling CodeQR Trigger: primes, emits each new item once, survives restarts, says which plan a read needs. */
import { getTrigger } from '@codeqr-integrations/core/base';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { CodeQrTrigger } from '../nodes/CodeQrTrigger/CodeQrTrigger.node.ts';
import { fakeContext } from './fake-n8n.ts';
import { codeQrNode, create, sandboxPerFile } from './sandbox.ts';

const FREE_KEY = 'codeqr_n8n_trigger_free';
const sandbox = sandboxPerFile({
  keys: [
    { key: 'codeqr_n8n_trigger', plan: 'business' },
    { key: FREE_KEY, plan: 'free' },
  ],
  seed: 9,
});
const { api } = sandbox;
const { run } = codeQrNode(sandbox);

const trigger = new CodeQrTrigger();
/** Core reads up to a couple of seconds before now (items stamped mid-poll come with the next poll). */
const settle = () => new Promise((r) => setTimeout(r, 2500));

function poller(params: Record<string, unknown>, staticData: IDataObject, mode: 'manual' | 'trigger' = 'trigger') {
  const fake = fakeContext({ params: [params], credentials: sandbox.credentials(), staticData, mode });
  return {
    poll: () => trigger.poll.call(fake.nodeCtx as unknown as IPollFunctions),
    calls: fake.calls,
  };
}

describe('CodeQR Trigger (polling)', () => {
  it('primes on the first poll, then emits each new scan exactly once, oldest first', async () => {
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/t' });
    await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 2 });
    const staticData: IDataObject = {};
    const p = poller({ event: 'newScan' }, staticData);
    expect(await p.poll()).toBeNull(); // first activation: nothing, only the cursor
    expect(staticData.codeqr).toMatchObject({ event: 'newScan' });
    const recorded = (await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 3, intervalMs: 10 }))
      .recorded as { id: string }[];
    await settle();
    const second = await p.poll();
    expect(second?.[0]?.map((item) => item.json.id)).toEqual(recorded.map((scan) => scan.id));
    expect(second?.[0]?.[0]?.json).toMatchObject({ qrCodeId: qr.id, source: 'events' });
    expect(await p.poll()).toBeNull();

    // a restart: a new context over the same stored static data
    await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 1 });
    await settle();
    const again = await poller({ event: 'newScan' }, JSON.parse(JSON.stringify(staticData))).poll();
    expect(again?.[0]).toHaveLength(1);
  });

  it('shows the newest item for "Fetch Test Event" without moving the cursor', async () => {
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/m' });
    const staticData: IDataObject = {};
    await poller({ event: 'newScan' }, staticData).poll();
    const before = JSON.stringify(staticData);
    const scans = (await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 2, intervalMs: 5 })).recorded as {
      id: string;
    }[];
    await settle();
    const manual = await poller({ event: 'newScan' }, staticData, 'manual').poll();
    expect(manual?.[0]?.map((item) => item.json.id)).toEqual([scans[1]?.id]);
    expect(JSON.stringify(staticData)).toBe(before);
    const next = await poller({ event: 'newScan' }, staticData).poll();
    expect(next?.[0]).toHaveLength(2);
  });

  it('New QR Code and Scan Count Changed; a changed event starts over', async () => {
    const staticData: IDataObject = {};
    expect(await poller({ event: 'newQrCode' }, staticData).poll()).toBeNull();
    const qr = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/n' });
    await settle();
    const created = await poller({ event: 'newQrCode' }, staticData).poll();
    expect(created?.[0]?.map((item) => item.json.id)).toEqual([qr.id]);

    expect(await poller({ event: 'scanCountChanged' }, staticData).poll()).toBeNull(); // primes again
    await api('POST', '/__sandbox/scans', { qrCodeId: qr.id, count: 4 });
    await settle();
    const counts = await poller({ event: 'scanCountChanged' }, staticData).poll();
    expect(counts?.[0]?.[0]?.json).toMatchObject({ qrCodeId: qr.id, newScans: 4, scans: 4 });
  });

  it('New Scan on a Free key says which plan it needs (a read: never "a key with write access")', async () => {
    const fake = fakeContext({ params: [{ event: 'newScan' }], credentials: sandbox.credentials(FREE_KEY) });
    const error = await trigger.poll.call(fake.nodeCtx as unknown as IPollFunctions).then(
      () => undefined,
      (caught: unknown) => caught as { message: string; description?: string; httpCode?: string },
    );
    expect(error?.httpCode).toBe('403');
    expect(error?.description).toBe(
      "New Scan needs CodeQR's Business plan or higher (it only reads, so the key's write access does not matter). " +
        `Upgrade the plan in CodeQR's billing settings, or use the ${getTrigger('scanCountChanged')?.title} event, ` +
        'which works on every plan.',
    );
    expect(`${error?.message} ${error?.description}`).not.toMatch(/write access\b(?! does not matter)/);
    // the scan-count strategy works on every plan: the same key primes Scan Count Changed
    const counts = fakeContext({
      params: [{ event: 'scanCountChanged' }],
      credentials: sandbox.credentials(FREE_KEY),
    });
    expect(await trigger.poll.call(counts.nodeCtx as unknown as IPollFunctions)).toBeNull();
  });

  it('filters by QR code through its resource locator', async () => {
    const a = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/a' });
    const b = await api('POST', '/qrcodes', { type: 'url', url: 'https://example.com/b' });
    const staticData: IDataObject = {};
    const params = { event: 'newScan', qrCodeId: { __rl: true, mode: 'list', value: a.id } };
    await poller(params, staticData).poll();
    await api('POST', '/__sandbox/scans', { qrCodeId: b.id, count: 2 });
    await api('POST', '/__sandbox/scans', { qrCodeId: a.id, count: 1 });
    await settle();
    const out = await poller(params, staticData).poll();
    expect(out?.[0]?.map((item) => item.json.qrCodeId)).toEqual([a.id]);
  });

  it('starts over (primes, emits nothing) when the QR code filter changes', async () => {
    const made = await run([create({ url: 'https://example.com/f/a' })]);
    const other = await run([create({ url: 'https://example.com/f/b' })]);
    const [a, b] = [made.items[0]?.json.id, other.items[0]?.json.id];
    const staticData = {};
    const poll = (id: unknown) =>
      trigger.poll.call(
        fakeContext({
          params: [{ event: 'newScan', qrCodeId: { __rl: true, mode: 'id', value: id } }],
          credentials: sandbox.credentials(),
          staticData,
        }).nodeCtx as never,
      );
    expect(await poll(a)).toBeNull();
    await sandbox.control('POST', '/scans', { qrCodeId: b, count: 2 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await poll(b)).toBeNull(); // a new filter: its first poll only records where things stand
    expect(JSON.stringify(staticData)).toContain(String(b));
  }, 30_000);
});
