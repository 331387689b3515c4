/** repository_dispatch bodies of a poll: within GitHub's batch, byte and property limits, filled greedily in order. */
import { getOperation } from '@codeqr-integrations/core/base';
import { describe, expect, it } from 'vitest';
import { dispatchBatches, MAX_DISPATCH_BYTES } from '../src/poll/dispatch.ts';
import { scansPlan, triggerPlan } from '../src/poll/plan.ts';

describe('dispatch batches', () => {
  const scan = (i: number, pad = 0) => ({
    id: `clk_${i}`,
    timestamp: '2026-01-01T00:00:00.000Z',
    note: 'x'.repeat(pad),
  });

  it('respect the batch size, the byte limit and the 10 top-level properties', () => {
    const small = dispatchBatches(
      'codeqr.scan',
      scansPlan('events'),
      Array.from({ length: 5 }, (_, i) => scan(i)),
      2,
    );
    expect(small.map((b) => (b.client_payload.scans as unknown[]).length)).toEqual([2, 2, 1]);
    expect(small.map((b) => [b.client_payload.batch, b.client_payload.batches])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    const big = dispatchBatches(
      'codeqr.scan',
      scansPlan('events'),
      Array.from({ length: 100 }, (_, i) => scan(i, 2000)),
      1000,
    );
    expect(big.length).toBeGreaterThan(3);
    for (const batch of big) {
      expect(Object.keys(batch.client_payload).length).toBeLessThanOrEqual(10);
      expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(MAX_DISPATCH_BYTES);
    }
    expect(big.flatMap((b) => (b.client_payload.scans as { id: string }[]).map((s) => s.id))).toHaveLength(100);
    expect(() => dispatchBatches('t', scansPlan('events'), [scan(1, 70_000)], 10)).toThrow(
      /larger than a repository_dispatch/,
    );
  });

  it('fill each batch as far as the limits allow, in order (sizes of mixed scans, incl. multibyte text)', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ ...scan(i, (i * 37) % 900), city: 'Zürich 東京' }));
    const batches = dispatchBatches('codeqr.scan', scansPlan('events'), items, 50);
    const size = (scans: unknown[]) =>
      Buffer.byteLength(JSON.stringify({ event_type: 'codeqr.scan', client_payload: { scans } })) + 400;
    let next = 0;
    for (const [i, batch] of batches.entries()) {
      const scans = batch.client_payload.scans as { id: string }[];
      expect(scans).toEqual(items.slice(next, next + scans.length));
      next += scans.length;
      expect(scans.length).toBeLessThanOrEqual(50);
      expect(size(scans)).toBeLessThanOrEqual(MAX_DISPATCH_BYTES);
      // greedy: a batch before the last is closed because it is full, or the next scan did not fit
      const closed =
        i === batches.length - 1 || scans.length === 50 || size([...scans, items[next]]) > MAX_DISPATCH_BYTES;
      expect(closed, `batch ${i + 1} could have taken the next scan`).toBe(true);
    }
    expect(next).toBe(items.length);
  });

  it('of a poll-<trigger> carry its items and the trigger (poll-scans keeps scans and strategy)', () => {
    const qrCodes = [{ id: 'qr_1' }, { id: 'qr_2' }, { id: 'qr_3' }];
    const [first, second] = dispatchBatches('codeqr.qr', triggerPlan(getOperation('newQrCode')), qrCodes, 2);
    expect(first?.client_payload).toEqual({
      items: [{ id: 'qr_1' }, { id: 'qr_2' }],
      count: 2,
      batch: 1,
      batches: 2,
      trigger: 'newQrCode',
      batchId: 'newQrCode:qr_1:qr_2:2',
      source: 'codeqr',
    });
    expect(second?.client_payload.items).toEqual([{ id: 'qr_3' }]);
    const [scans] = dispatchBatches('codeqr.scan', scansPlan('counts'), qrCodes, 5);
    expect(Object.keys(scans?.client_payload ?? {})).toEqual([
      'scans',
      'count',
      'batch',
      'batches',
      'strategy',
      'batchId',
      'source',
    ]);
    expect(scans?.client_payload.strategy).toBe('counts');
  });
});
