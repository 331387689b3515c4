/** Date-times from n8n's date picker (no offset) read in the workflow's time zone, as n8n means them. */
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../nodes/adapter/time-zone.ts';
import { codeQrNode, create, sandboxPerFile } from './sandbox.ts';

const sandbox = sandboxPerFile({ keys: [{ key: 'codeqr_n8n_time_zone', plan: 'business' }], seed: 17 });
const { run } = codeQrNode(sandbox);
const instant = (value: unknown) => new Date(String(value)).toISOString();

describe("date-times from n8n's date picker (no offset) are read in the workflow's time zone", () => {
  it('reads a picked value in the zone, at that date (DST), and leaves an offset or a date alone', () => {
    expect(inTimeZone('2026-12-31T10:00:00', 'Europe/Paris')).toBe('2026-12-31T10:00:00+01:00');
    expect(inTimeZone('2026-07-01T10:00:00', 'Europe/Paris')).toBe('2026-07-01T10:00:00+02:00');
    expect(inTimeZone('2026-07-01T10:00:00.250', 'America/New_York')).toBe('2026-07-01T10:00:00.250-04:00');
    expect(inTimeZone('2026-01-15T08:30', 'Asia/Kolkata')).toBe('2026-01-15T08:30:00+05:30');
    expect(inTimeZone('2026-01-15T08:30:00', 'UTC')).toBe('2026-01-15T08:30:00+00:00');
    expect(inTimeZone('2026-01-15T08:30:00Z', 'Europe/Paris')).toBe('2026-01-15T08:30:00Z');
    expect(inTimeZone('2026-01-15T08:30:00.000-05:00', 'Europe/Paris')).toBe('2026-01-15T08:30:00.000-05:00');
    expect(inTimeZone('2026-01-15', 'Europe/Paris')).toBe('2026-01-15');
    expect(inTimeZone('', 'Europe/Paris')).toBe('');
    expect(inTimeZone('2026-01-15T08:30:00', 'Not/AZone')).toBe('2026-01-15T08:30:00');
  });

  it('creates a QR code whose Expires At was picked in the editor (one item and batched)', async () => {
    const one = await run(
      [create({ url: 'https://example.com/exp', additionalFields: { expiresAt: '2026-12-31T10:00:00' } })],
      {
        timezone: 'Europe/Paris',
      },
    );
    expect(instant(one.items[0]?.json.expiresAt)).toBe('2026-12-31T09:00:00.000Z');

    const many = await run(
      [
        create({ url: 'https://example.com/e/1', additionalFields: { expiresAt: '2026-07-01T10:00:00' } }),
        create({ url: 'https://example.com/e/2', additionalFields: { expiresAt: '2026-07-01T10:00:00Z' } }),
      ],
      { timezone: 'Europe/Paris' },
    );
    expect(many.calls.filter((call) => call.url.endsWith('/qrcodes/bulk'))).toHaveLength(1);
    expect(many.items.map((item) => instant(item.json.expiresAt))).toEqual([
      '2026-07-01T08:00:00.000Z',
      '2026-07-01T10:00:00.000Z',
    ]);
  });

  it('sends filters picked in the editor (Created After) with the zone offset', async () => {
    const { calls } = await run(
      [
        {
          resource: 'qrCode',
          operation: 'getAll',
          returnAll: false,
          limit: 5,
          additionalFields: { createdAfter: '2026-01-01T00:00:00' },
        },
      ],
      { timezone: 'America/New_York' },
    );
    const sent = new URL(String(calls[0]?.url)).searchParams.get('createdAfter');
    expect(sent).toBe('2026-01-01T00:00:00-05:00');
  });
});
