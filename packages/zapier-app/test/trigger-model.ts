/**
 * The model-based run behind `trigger-delivery.test.ts` (short) and `resilience/triggers.model.test.ts` (long): three
 * Zaps (New Scan, New QR Code, Updated Scan Count) on one project, each polling at its own plan's interval (1, 2, 5 or
 * 15 minutes, plus up to a minute of Zapier's queue jitter), while a seeded random mix of CodeQR activity happens
 * between polls: scan bursts in one millisecond (up to 350), scans spread over seconds, late and out-of-order scans
 * (stamped up to 10 minutes back), scans stamped a few minutes ahead, QR codes created (up to 150 at once) and
 * deleted (old and new ones, scanned or not). The sandbox's own state is the truth each poll is checked against.
 *
 * Invariants, per poll of each Zap (after its first poll, which only fills Zapier's dedupe table):
 * - New Scan: the new ids are exactly the scans recorded after the Zap was turned on, stamped by now, not yet
 *   delivered; at the end every such scan was delivered exactly once (held batches count once replayed).
 * - New QR Code: the new ids are exactly the live codes created after the Zap was turned on and not yet delivered
 *   (never an older code, whatever was deleted).
 * - Updated Scan Count: the new ids are exactly `<code>:<count>` for each live code whose count differs from the
 *   previous poll, and each item's `scans` is that code's true count (no other numbers are claimed).
 */
import { createCodeQrClient } from '@codeqr-integrations/core';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import { prng } from '@codeqr-integrations/test/support/seeds';
import { expect } from 'vitest';
import { type Item, type Sim, SimulatedZap } from './zap-sim.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface ModelOptions {
  /** Poll rounds after the Zaps are turned on. */
  steps: number;
}

export interface ModelReport {
  scansDelivered: number;
  codesDelivered: number;
  countsDelivered: number;
  heldBatches: number[];
  polls: number;
}

export async function runTriggerModel(sim: Sim, key: string, seed: number, options: ModelOptions) {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const client = createCodeQrClient({ apiKey: key, baseUrl: sim.sb.url });
  const project = () => sim.sb.project(key);
  const liveCodes = () => [...project().qrById.values()];
  const allScans = () => project().data.scans;
  const log: string[] = [];
  const say = (line: string) => log.push(`${new Date(sim.now()).toISOString()} ${line}`);

  async function scans(body: Record<string, unknown>) {
    const res = await sandboxControl(sim.sb.url, key, '/scans', body);
    expect(res.status, JSON.stringify(body)).toBe(200);
  }
  async function create(n: number) {
    for (let done = 0; done < n; done += 100) {
      const batch = Math.min(100, n - done);
      const made = await client.qrcodes.bulkCreate(
        Array.from({ length: batch }, (_, i) => ({ url: `https://example.com/m/${seed}/${sim.now()}/${done + i}` })),
      );
      expect(made.every((r) => r.ok)).toBe(true);
    }
    say(`created ${n}`);
  }
  async function remove(k: number) {
    const codes = liveCodes();
    if (codes.length === 0) return;
    const ids = [...new Set(Array.from({ length: k }, () => pick(codes).id))];
    await client.qrcodes.bulkDelete(ids);
    say(`deleted ${ids.length}`);
  }
  async function someScans() {
    const codes = liveCodes();
    if (codes.length === 0) return create(1);
    const qr = pick(codes);
    const now = sim.now();
    switch (int(0, 4)) {
      case 0: {
        const count = pick([1, 3, 40, 120, 300, 350]);
        say(`burst of ${count} in one ms on ${qr.id}`);
        return scans({ qrCodeId: qr.id, count, timestamp: now - int(0, 2000) });
      }
      case 1: {
        const count = int(10, 250);
        const intervalMs = int(10, 200);
        say(`${count} scans over ${(count * intervalMs) / 1000} s on ${qr.id}`);
        return scans({ qrCodeId: qr.id, count, timestamp: now - count * intervalMs, intervalMs });
      }
      case 2:
      case 3: {
        // late and out of order: stamped up to 10 minutes back, recorded now, in no particular order
        const timestamps = Array.from({ length: int(1, 25) }, () => now - int(0, 10 * MIN));
        say(`${timestamps.length} late scans on ${qr.id}`);
        return scans({ qrCodeId: qr.id, timestamps });
      }
      default: {
        const timestamps = Array.from({ length: int(1, 5) }, () => now + int(1, 5 * MIN));
        say(`${timestamps.length} scans stamped ahead on ${qr.id}`);
        return scans({ qrCodeId: qr.id, timestamps });
      }
    }
  }
  async function act() {
    const roll = random();
    if (roll < 0.55) return someScans();
    if (roll < 0.8) return create(pick([1, 2, 5, 20, 101, 150]));
    return remove(int(1, 6));
  }

  // History before the Zaps exist: codes and scans from two hours ago (outside any window) and from just before.
  await create(int(3, 8));
  for (let i = 0; i < 4; i++) await someScans();
  sim.advance(2 * HOUR);
  await create(int(1, 5));
  for (let i = 0; i < 3; i++) await someScans();
  sim.advance(int(1, 10) * 1000);

  // The truth when the Zaps are turned on: the scans CodeQR shows by then (a scan stamped later, even if recorded
  // earlier, is new to the Zap once it shows), the live codes, the counts.
  const turnedOnAt = sim.now();
  const existing = new Set(
    allScans()
      .filter((s) => s.timestamp <= turnedOnAt)
      .map((s) => s.id),
  );
  const codesBefore = new Set(liveCodes().map((qr) => qr.id));
  const countsAt = () => new Map(liveCodes().map((qr) => [qr.id, qr.scans]));
  let lastCounts = countsAt();

  const checkCount = (item: Item) => {
    const truth = project().qrById.get(String(item.qrCodeId));
    expect(truth, `${item.id}: a live code`).toBeDefined();
    expect(item.scans, `${item.id}: the true count`).toBe(truth?.scans);
    expect(item.id).toBe(`${item.qrCodeId}:${truth?.scans}`);
  };
  const zaps = {
    scans: new SimulatedZap('newScan', key),
    codes: new SimulatedZap('newQrCode', key),
    counts: new SimulatedZap('scanCountChanged', key, {}, checkCount),
  };
  for (const zap of Object.values(zaps)) await zap.turnOn();
  const interval = { scans: pick([1, 2, 5, 15]), codes: pick([1, 2, 5, 15]), counts: pick([1, 2, 5, 15]) };
  const nextAt = {
    scans: sim.now() + interval.scans * MIN,
    codes: sim.now() + interval.codes * MIN,
    counts: sim.now() + interval.counts * MIN,
  };
  say(`zaps on; intervals ${JSON.stringify(interval)} min`);

  const deliveredScans = new Set<string>();
  const deliveredCodes = new Set<string>();

  async function pollDue(force = false) {
    const now = sim.now();
    if (force || nextAt.scans <= now) {
      const expected = allScans()
        .filter((s) => !existing.has(s.id) && !deliveredScans.has(s.id) && s.timestamp <= now)
        .map((s) => s.id);
      const { fresh, held } = await zaps.scans.poll();
      say(`New Scan: ${fresh.length} new${held ? ' (held, replayed)' : ''}`);
      expect(new Set(fresh.map((s) => String(s.id))), `New Scan at ${new Date(now).toISOString()}`).toEqual(
        new Set(expected),
      );
      for (const s of fresh) deliveredScans.add(String(s.id));
      nextAt.scans = now + interval.scans * MIN + int(0, MIN);
    }
    if (force || nextAt.codes <= now) {
      const expected = liveCodes()
        .filter((qr) => !codesBefore.has(qr.id) && !deliveredCodes.has(qr.id))
        .map((qr) => qr.id);
      const { fresh, held } = await zaps.codes.poll();
      say(`New QR Code: ${fresh.length} new${held ? ' (held, replayed)' : ''}`);
      expect(new Set(fresh.map((qr) => String(qr.id))), `New QR Code at ${new Date(now).toISOString()}`).toEqual(
        new Set(expected),
      );
      for (const qr of fresh) deliveredCodes.add(String(qr.id));
      nextAt.codes = now + interval.codes * MIN + int(0, MIN);
    }
    if (force || nextAt.counts <= now) {
      const counts = countsAt();
      const expected = [...counts]
        .filter(([id, scans]) => scans > 0 && scans !== (lastCounts.get(id) ?? 0))
        .map(([id, scans]) => `${id}:${scans}`);
      const { fresh } = await zaps.counts.poll();
      say(`Updated Scan Count: ${fresh.length} new`);
      expect(new Set(fresh.map((c) => String(c.id))), `Updated Scan Count at ${new Date(now).toISOString()}`).toEqual(
        new Set(expected),
      );
      lastCounts = counts;
      nextAt.counts = now + interval.counts * MIN + int(0, MIN);
    }
  }

  try {
    for (let step = 0; step < options.steps; step++) {
      const next = Math.min(nextAt.scans, nextAt.codes, nextAt.counts);
      const times = Array.from({ length: int(0, 3) }, () => int(sim.now(), next - 1)).sort((a, b) => a - b);
      for (const at of times) {
        sim.set(at);
        await act();
      }
      sim.set(next);
      await pollDue();
    }
    // the scans stamped ahead come due; then one more poll of each
    sim.advance(6 * MIN);
    await pollDue(true);
  } catch (error) {
    console.log(`[model] seed ${seed}, what happened:\n${log.join('\n')}`);
    throw error;
  }

  const eligible = allScans().filter((s) => !existing.has(s.id));
  expect(zaps.scans.deliveredIds().length, 'no scan delivered twice').toBe(deliveredScans.size);
  expect(deliveredScans.size, 'every scan recorded after the Zap was turned on').toBe(eligible.length);
  const report: ModelReport = {
    scansDelivered: deliveredScans.size,
    codesDelivered: deliveredCodes.size,
    countsDelivered: zaps.counts.delivered.length,
    heldBatches: [...zaps.scans.heldBatches, ...zaps.codes.heldBatches, ...zaps.counts.heldBatches],
    polls: zaps.scans.polls + zaps.codes.polls + zaps.counts.polls,
  };
  console.log(`[model] seed ${seed}: ${JSON.stringify(report)}`);
  return report;
}
