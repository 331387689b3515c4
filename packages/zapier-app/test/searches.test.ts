/** The searches and the search-or-create against the sandbox: found, or an empty list (never an error). */
import { describe, expect, it } from 'vitest';
import { app, c, type Item, keys, must, run, s, useSandbox } from './app-harness.ts';

const sandbox = useSandbox();

describe('searches and search-or-create', () => {
  it('Find QR Code by ID, External ID, or domain + key', async () => {
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/find',
      externalId: 'zap-find',
      key: 'find-me',
    });
    for (const input of [{ id: qr.id }, { externalId: 'zap-find' }, { domain: qr.domain, key: 'find-me' }]) {
      const found = await run<Item[]>(s('getQrCode'), input);
      expect(found, JSON.stringify(input)).toHaveLength(1);
      expect(found[0]).toMatchObject({ id: qr.id });
    }
    expect(await run(s('getQrCode'), { externalId: 'nobody' })).toEqual([]);
  });

  it('Find or Create QR Code: the search finds nothing, the create makes it, the search then finds it', async () => {
    const pair = must(app.searchOrCreates.getQrCode);
    expect(pair).toMatchObject({ search: 'getQrCode', create: 'createQrCode' });
    const input = { externalId: 'zap-foc' };
    expect(await run(s(pair.search), input)).toEqual([]);
    const created = await run(c(pair.create), {
      ...input,
      url: 'https://example.com/foc',
    });
    const found = await run<Item[]>(s('getQrCode'), input);
    expect(found[0]).toMatchObject({ id: created.id });
  });

  it('Find Scan Analytics: totals as one result, series as line items', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/stats' });
    await sandbox.scan(keys.business, { qrCodeId: qr.id, count: 4 });
    const [count] = await run<Item[]>(s('getScanAnalytics'), { qrcodeId: qr.id, interval: '24h' });
    expect(count).toMatchObject({ scans: 4 });
    const [series] = await run<Item[]>(s('getScanAnalytics'), {
      qrcodeId: qr.id,
      groupBy: 'timeseries',
      interval: '24h',
    });
    expect(Array.isArray(series?.rows)).toBe(true);
  });
});
