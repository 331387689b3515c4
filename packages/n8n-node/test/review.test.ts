/**
 * Found in review: date-times from n8n's picker read in the workflow's time zone, credential set-up errors,
 * bulk items whose outcome is unknown.
 */
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { sandboxControl } from '@codeqr-integrations/test/support/sandbox-control';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeQr } from '../nodes/CodeQr/CodeQr.node.ts';
import { inTimeZone } from '../nodes/shared/fields.ts';
import { fakeContext } from './fake-n8n.ts';

const KEY = 'codeqr_n8n_review';
let sb: Sandbox;
let credentials: Record<string, unknown>;

beforeAll(async () => {
  sb = await startSpecCheckedSandbox({ keys: [{ key: KEY, plan: 'business' }], seed: 17 });
  credentials = { apiKey: KEY, baseUrl: sb.url };
});
afterAll(async () => {
  await sb?.close();
}, 30_000);
beforeEach(async () => {
  await control('DELETE', '/faults');
  await control('POST', '/reset');
});

async function control(method: string, path: string, body?: unknown) {
  const res = await sandboxControl(sb.url, KEY, path, body, method);
  expect(res.ok, await res.clone().text()).toBe(true);
  return res.json();
}

const node = new CodeQr();

async function run(
  params: Record<string, unknown>[],
  options: { continueOnFail?: boolean; credentials?: Record<string, unknown>; timezone?: string } = {},
) {
  const fake = fakeContext({ params, ...options, credentials: options.credentials ?? credentials });
  const output = await node.execute.call(fake.executeCtx as unknown as IExecuteFunctions);
  return { items: output[0] as INodeExecutionData[], calls: fake.calls };
}

async function failure(params: Record<string, unknown>[], options: { credentials?: Record<string, unknown> }) {
  const fake = fakeContext({ params, credentials: options.credentials ?? credentials });
  const error = await node.execute.call(fake.executeCtx as unknown as IExecuteFunctions).catch((e: unknown) => e);
  return { error, calls: fake.calls };
}

const create = (fields: Record<string, unknown>) => ({ resource: 'qrCode', operation: 'create', ...fields });
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

describe('credential set-up errors (invalid_configuration) tell the user to fix the credential', () => {
  it('names the Base URL of the CodeQR API credential, sends nothing', async () => {
    const { error, calls } = await failure([create({ url: 'https://example.com/a' })], {
      credentials: { apiKey: KEY, baseUrl: 'ftp://api.codeqr.io' },
    });
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toMatch(/CodeQR API credential.*Base URL/);
    expect((error as NodeOperationError).description).toMatch(/Open the CodeQR API credential.*Base URL/);
    expect(calls).toHaveLength(0);
  });

  it('names the API Key when it holds a pasted invisible character, never quoting the key', async () => {
    const key = 'codeqr_secret\u200bvalue';
    const { error, calls } = await failure([create({ url: 'https://example.com/a' })], {
      credentials: { apiKey: key, baseUrl: sb.url },
    });
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toMatch(/API Key/);
    expect((error as NodeOperationError).description).toMatch(/fix its API Key/);
    expect(calls).toHaveLength(0);
    const text =
      JSON.stringify(error) + String((error as Error).stack) + String((error as NodeOperationError).description);
    expect(text).not.toContain('codeqr_secret');
  });
});

describe('a bulk item whose outcome is unknown (outcome_unknown)', () => {
  it('stays on its item with its External ID and says the rerun is safe; the other items go on', async () => {
    await control('POST', '/faults', { route: 'POST /qrcodes/bulk', mode: 'drop' });
    await control('POST', '/faults', { route: 'GET /qrcodes*', mode: 'status', status: 500, count: 1000 });
    const params = [
      create({ url: 'https://example.com/o/1', externalId: 'row-1' }),
      create({ url: 'https://example.com/o/2', externalId: 'row-2' }),
    ];
    const { items } = await run(params, { continueOnFail: true });
    expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    for (const [i, item] of items.entries()) {
      expect(item.json).toMatchObject({ details: { code: 'outcome_unknown', externalId: `row-${i + 1}` } });
      expect(String((item.json.details as Record<string, unknown>).description)).toMatch(
        new RegExp(`again is safe.*row-${i + 1}`),
      );
      // core's message already explains; the node adds its advice once, in the description
      expect(String(item.json.error)).not.toMatch(/Run the workflow again/);
    }
    await control('DELETE', '/faults');
    const rerun = await run(params);
    expect(rerun.items.map((item) => item.json.externalId)).toEqual(['row-1', 'row-2']);
    const listed = await run([{ resource: 'qrCode', operation: 'getAll', returnAll: true }]);
    expect(listed.items).toHaveLength(2); // created once each
  }, 60_000);
});

describe('batched failures and the polling cursor', () => {
  it('puts a failed bulk call on every item of it, paired, with continue-on-fail', async () => {
    const { items } = await run(
      [create({ url: 'https://example.com/w/1' }), create({ url: 'https://example.com/w/2' })],
      { continueOnFail: true, credentials: { apiKey: 'codeqr_wrong', baseUrl: sb.url } },
    );
    // a bulk item's failure carries CodeQR's code (not the HTTP status) and the same hint as a single call's
    expect(items.map((item) => [(item.json.details as Record<string, unknown>).code, item.pairedItem])).toEqual([
      ['unauthorized', { item: 0 }],
      ['unauthorized', { item: 1 }],
    ]);
    for (const item of items)
      expect(String((item.json.details as Record<string, unknown>).description)).toMatch(
        /API key in the CodeQR API credential/,
      );
    expect(JSON.stringify(items)).not.toContain('codeqr_wrong');
  });

  it('starts over (primes, emits nothing) when the QR code filter changes', async () => {
    const { CodeQrTrigger } = await import('../nodes/CodeQrTrigger/CodeQrTrigger.node.ts');
    const trigger = new CodeQrTrigger();
    const made = await run([create({ url: 'https://example.com/f/a' })]);
    const other = await run([create({ url: 'https://example.com/f/b' })]);
    const [a, b] = [made.items[0]?.json.id, other.items[0]?.json.id];
    const staticData = {};
    const poll = (id: unknown) =>
      trigger.poll.call(
        fakeContext({
          params: [{ event: 'newScan', qrCodeId: { __rl: true, mode: 'id', value: id } }],
          credentials,
          staticData,
        }).nodeCtx as never,
      );
    expect(await poll(a)).toBeNull();
    await control('POST', '/scans', { qrCodeId: b, count: 2 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await poll(b)).toBeNull(); // a new filter: its first poll only records where things stand
    expect(JSON.stringify(staticData)).toContain(String(b));
  }, 30_000);
});
