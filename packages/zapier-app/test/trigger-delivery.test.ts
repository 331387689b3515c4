/**
 * Zapier's trigger model, the figures: the app's real `perform` under a simulated Zapier (id dedupe, the first
 * poll only fills the dedupe table, more than 100 new items held by flood protection and replayed by the user),
 * against the sandbox on a simulated clock. Each figure failed before: the triggers answered the newest 100 items
 * only (300 scans in 1 ms → 100, 250 scans over 25 s → 100, 150 new codes → 100; deleting codes pulled 3 of 3 old
 * codes into that window), and Scan Count Changed said `previousScans: 0, newScans: 5` after 3 + 2 scans.
 * The randomized model (bursts, late and out-of-order scans, creates, deletes, random poll intervals) is
 * `resilience/triggers.model.test.ts`, with a short run here.
 */
import { createCodeQrClient } from '@codeqr-integrations/core';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { propertySeeds } from '@codeqr-integrations/test/support/seeds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../src/index.ts';
import { MAX_POLL_BYTES, MAX_POLL_ITEMS, POLL_LOOKBACK_MS, pollOptions } from '../src/triggers/index.ts';
import { runTriggerModel } from './trigger-model.ts';
import { type Item, runTrigger, type Sim, SimulatedZap, startSim, triggerFor } from './zap-sim.ts';

const MIN = 60_000;
const MODEL_SEEDS = propertySeeds('zapier triggers model (short)', [7]);
const KEYS = [
  'zt_scans300',
  'zt_scans250',
  'zt_codes150',
  'zt_count',
  'zt_delete',
  'zt_sample',
  ...MODEL_SEEDS.map((_, i) => `zt_model_${i}`),
];
let sim: Sim;

beforeAll(async () => {
  sim = await startSim(KEYS);
});
afterAll(() => sim?.close(), 30_000);

const clientOf = (key: string) => createCodeQrClient({ apiKey: key, baseUrl: sim.sb.url });

async function scan(key: string, body: object) {
  const res = await sandboxControl(sim.sb.url, key, '/scans', body);
  expect(res.status).toBe(200);
  return (await res.json()) as { scans: number; recorded: { id: string; timestamp: string }[] };
}

describe('New Scan delivers every scan, however many came in between two polls', () => {
  it('300 scans in one millisecond → 300 delivered (held by flood protection, replayed), none twice', async () => {
    const key = 'zt_scans300';
    const qr = await clientOf(key).qrcodes.create({ url: 'https://example.com/burst' });
    const zap = new SimulatedZap('newScan', key);
    await zap.turnOn();
    sim.advance(MIN);
    const { recorded } = await scan(key, { qrCodeId: qr.id, count: 300, timestamp: sim.now() - 1 });
    sim.advance(MIN);
    const { fresh, held } = await zap.poll();
    expect(fresh).toHaveLength(300);
    expect(held).toBe(true);
    expect(new Set(zap.deliveredIds())).toEqual(new Set(recorded.map((r) => r.id)));
    sim.advance(5 * MIN);
    expect((await zap.poll()).fresh).toEqual([]);
  });

  it('250 scans over 25 s → 250 delivered, newest first within the poll', async () => {
    const key = 'zt_scans250';
    const qr = await clientOf(key).qrcodes.create({ url: 'https://example.com/spread' });
    const zap = new SimulatedZap('newScan', key, { qrCodeId: qr.id });
    await zap.turnOn();
    sim.advance(MIN);
    const { recorded } = await scan(key, { qrCodeId: qr.id, count: 250, timestamp: sim.now(), intervalMs: 100 });
    sim.advance(15 * MIN); // Zapier's longest polling interval
    const { fresh } = await zap.poll();
    expect(fresh.map((s) => s.id)).toEqual(recorded.map((r) => r.id).reverse());
    expect(zap.heldBatches).toEqual([250]);
  });
});

describe('New QR Code', () => {
  it('150 new QR codes at once → 150 delivered', async () => {
    const key = 'zt_codes150';
    const client = clientOf(key);
    const zap = new SimulatedZap('newQrCode', key);
    await zap.turnOn();
    sim.advance(MIN);
    const made = await client.qrcodes.bulkCreate(
      Array.from({ length: 150 }, (_, i) => ({ url: `https://example.com/new/${i}` })),
    );
    sim.advance(2 * MIN);
    const { fresh, held } = await zap.poll();
    expect(held).toBe(true);
    expect(new Set(fresh.map((qr) => qr.id))).toEqual(new Set(made.map((r) => (r.ok ? r.qrCode.id : r.error.code))));
  });

  it('deleting codes never fires older codes as new (3 of 3 fired when the trigger answered the newest 100)', async () => {
    const key = 'zt_delete';
    const client = clientOf(key);
    // 103 codes made two hours before the Zap was turned on
    await client.qrcodes.bulkCreate(Array.from({ length: 103 }, (_, i) => ({ url: `https://example.com/old/${i}` })));
    sim.advance(2 * POLL_LOOKBACK_MS);
    const zap = new SimulatedZap('newQrCode', key);
    await zap.turnOn();
    sim.advance(MIN);
    // the three newest go: an answer of "the newest 100" would now reach three codes it never showed
    const newest = await client.qrcodes.list({ sort: 'createdAt', pageSize: 3 });
    await client.qrcodes.bulkDelete(newest.map((qr) => qr.id));
    sim.advance(MIN);
    expect((await zap.poll()).fresh).toEqual([]);
    const made = await client.qrcodes.create({ url: 'https://example.com/after' });
    sim.advance(MIN);
    expect((await zap.poll()).fresh.map((qr) => qr.id)).toEqual([made.id]);
  });
});

describe('Updated Scan Count (was Scan Count Changed)', () => {
  it('3 scans, then 2 more → scans 3, then scans 5, and no field that is not true', async () => {
    const key = 'zt_count';
    const client = clientOf(key);
    const qr = await client.qrcodes.create({ url: 'https://example.com/count' });
    const zap = new SimulatedZap('scanCountChanged', key);
    await zap.turnOn();
    sim.advance(MIN);
    const firstScan = new Date(sim.now()).toISOString();
    await scan(key, { qrCodeId: qr.id, count: 3 });
    sim.advance(MIN);
    const first = (await zap.poll()).fresh;
    sim.advance(5 * MIN);
    const secondScan = new Date(sim.now()).toISOString();
    await scan(key, { qrCodeId: qr.id, count: 2 });
    sim.advance(MIN);
    const second = (await zap.poll()).fresh;
    const fields = { domain: qr.domain, key: qr.key, shortLink: qr.shortLink, url: qr.url, qrCodeId: qr.id };
    // (the trigger answered `previousScans: 0, newScans: 5` here: it compared with nothing)
    expect(second).toEqual([{ id: `${qr.id}:5`, scans: 5, lastScannedAt: secondScan, ...fields }]);
    expect(first).toEqual([{ id: `${qr.id}:3`, scans: 3, lastScannedAt: firstScan, ...fields }]);
    // what Zapier shows for it: exactly these fields, under Zapier's New/Updated name
    const { key: zapierKey } = triggerFor('scanCountChanged');
    const trigger = (app.triggers as Record<string, { noun: string; display: { label: string } }>)[zapierKey];
    expect(zapierKey).toBe('updatedScanCount');
    expect(trigger).toMatchObject({ noun: 'Scan Count', display: { label: 'Updated Scan Count' } });
    const shown = (app.triggers as Record<string, { operation: { outputFields: { key: string }[] } }>)[zapierKey];
    expect(shown?.operation.outputFields.map((f) => f.key).sort()).toEqual(Object.keys(second[0] as Item).sort());
  });
});

describe('what one poll reads', () => {
  it('a live poll (limit -1): the last hour, up to 10,000 items and 5 MB, new pages for 15 s', () => {
    expect(pollOptions({ meta: { limit: -1 } } as never)).toEqual({
      lookbackMs: POLL_LOOKBACK_MS,
      maxItems: MAX_POLL_ITEMS,
      maxBytes: MAX_POLL_BYTES,
      budgetMs: 15_000,
    });
    expect(POLL_LOOKBACK_MS).toBe(60 * MIN);
    expect(pollOptions({ meta: { limit: 50_000 } } as never).maxItems).toBe(MAX_POLL_ITEMS);
  });

  it('"Test trigger" in the editor: the newest few of the last 30 days, however old', async () => {
    expect(pollOptions({ meta: { isLoadingSample: true, limit: 3 } } as never)).toMatchObject({ maxItems: 3 });
    const key = 'zt_sample';
    const qr = await clientOf(key).qrcodes.create({ url: 'https://example.com/sample' });
    await scan(key, { qrCodeId: qr.id, count: 5, timestamp: sim.now() - 1000 });
    sim.advance(3 * POLL_LOOKBACK_MS);
    const { perform } = triggerFor('newScan');
    expect(await runTrigger(perform, key, {})).toEqual([]);
    const sample = await runTrigger(perform, key, {}, { isLoadingSample: true, limit: 3 });
    expect(sample).toHaveLength(3);
    expect(sample.every((s) => s.qrCodeId === qr.id)).toBe(true);
  });
});

describe('the model, a short run (the long one: resilience/triggers.model.test.ts)', () => {
  for (const [i, seed] of MODEL_SEEDS.entries()) {
    it(`seed ${seed}: every scan, new code and count change delivered once, no false count`, async () => {
      const report = await runTriggerModel(sim, `zt_model_${i}`, seed, { steps: 6 });
      expect(report.scansDelivered).toBeGreaterThan(0);
    });
  }
});
