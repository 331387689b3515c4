/**
 * CodeQR errors on n8n's failure path, beyond one bad field (node.test.ts): a credential set up wrong, a bulk item
 * whose outcome is unknown, a bulk call that failed as a whole.
 */
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { codeQrNode, create, sandboxPerFile } from './sandbox.ts';

const KEY = 'codeqr_n8n_errors';
const sandbox = sandboxPerFile({ keys: [{ key: KEY, plan: 'business' }], seed: 17 });
const { run, failure } = codeQrNode(sandbox);
const { control } = sandbox;

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
      credentials: sandbox.credentials(key),
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

describe('a failed bulk call', () => {
  it('puts a failed bulk call on every item of it, paired, with continue-on-fail', async () => {
    const { items } = await run(
      [create({ url: 'https://example.com/w/1' }), create({ url: 'https://example.com/w/2' })],
      { continueOnFail: true, credentials: sandbox.credentials('codeqr_wrong') },
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
});
