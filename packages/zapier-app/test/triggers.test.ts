/**
 * The triggers against the sandbox over successive polls under Zapier's id dedupe, and the hidden dropdown triggers.
 * (Delivery under a simulated Zapier, flood protection included: `trigger-delivery.test.ts`.)
 */
import { createCodeQrClient } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { app, c, failure, type Item, keys, must, run, t, useSandbox, zapierDedupe } from './app-harness.ts';

const sandbox = useSandbox();

describe('triggers over successive polls (Zapier dedupes on id)', () => {
  it('New QR Code surfaces each new QR code once', async () => {
    const dedupe = zapierDedupe();
    dedupe.prime(await run<Item[]>(t('newQrCode'), {}, { meta: { isPopulatingDedupe: true } }));
    const a = await run(c('createQrCode'), { url: 'https://example.com/new/1' });
    const b = await run(c('createQrCode'), { url: 'https://example.com/new/2' });
    const second = dedupe.fresh(await run<Item[]>(t('newQrCode')));
    expect(second.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(dedupe.fresh(await run<Item[]>(t('newQrCode')))).toEqual([]);
  });

  it('New Scan surfaces each scan once, for one QR code picked in the dropdown', async () => {
    const qr = await run(c('createQrCode'), { url: 'https://example.com/scanned' });
    const other = await run(c('createQrCode'), { url: 'https://example.com/other' });
    await sandbox.scan(keys.business, { qrCodeId: qr.id, count: 2 });
    const dedupe = zapierDedupe();
    const first = await run<Item[]>(t('newScan'), { qrCodeId: qr.id });
    expect(first).toHaveLength(2);
    dedupe.prime(first);
    const at = new Date().toISOString();
    await sandbox.scan(keys.business, { qrCodeId: qr.id, timestamps: [at, at, at], country: 'FR' });
    await sandbox.scan(keys.business, { qrCodeId: other.id, count: 1 });
    const second = dedupe.fresh(await run<Item[]>(t('newScan'), { qrCodeId: qr.id }));
    expect(second).toHaveLength(3);
    expect(second.every((s) => s.qrCodeId === qr.id && s.country === 'FR')).toBe(true);
    expect(dedupe.fresh(await run<Item[]>(t('newScan'), { qrCodeId: qr.id }))).toEqual([]);
  });

  it('Updated Scan Count fires once per new total on a Free plan', async () => {
    const a = await run(c('createQrCode'), { url: 'https://example.com/count/a' }, { key: keys.free });
    const b = await run(c('createQrCode'), { url: 'https://example.com/count/b' }, { key: keys.free });
    const dedupe = zapierDedupe();
    dedupe.prime(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }));
    await sandbox.scan(keys.free, { qrCodeId: a.id, count: 2 });
    await sandbox.scan(keys.free, { qrCodeId: b.id, count: 1 });
    const second = dedupe.fresh(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }));
    expect(second.map((c) => c.qrCodeId).sort()).toEqual([a.id, b.id].sort());
    expect(dedupe.fresh(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }))).toEqual([]);
    await sandbox.scan(keys.free, { qrCodeId: a.id, count: 3 });
    const third = dedupe.fresh(await run<Item[]>(t('updatedScanCount'), {}, { key: keys.free }));
    expect(third).toEqual([expect.objectContaining({ qrCodeId: a.id, scans: 5 })]);
  });

  it('New Scan on a Free plan fails with CodeQR plan message', async () => {
    const error = await failure(run(t('newScan'), {}, { key: keys.free }));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/plan/i);
  });
});

describe('hidden dropdown triggers', () => {
  it('QR codes, a page at a time, as { id, name }', async () => {
    const client = createCodeQrClient({ apiKey: keys.dropdowns, baseUrl: sandbox.sb.url });
    const results = await client.qrcodes.bulkCreate(
      Array.from({ length: 105 }, (_, i) => ({ url: `https://example.com/dd/${i}`, title: `Code ${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const dropdown = must(app.triggers.qrCodesDropdown).operation;
    expect(dropdown.canPaginate).toBe(true);
    const page0 = await run<Item[]>(dropdown.perform, {}, { key: keys.dropdowns, meta: { page: 0 } });
    const page1 = await run<Item[]>(dropdown.perform, {}, { key: keys.dropdowns, meta: { page: 1 } });
    expect(page0).toHaveLength(100);
    expect(page1).toHaveLength(5);
    expect(new Set([...page0, ...page1].map((o) => o.id)).size).toBe(105);
    expect(page0[0]).toEqual({ id: expect.any(String), name: expect.stringMatching(/^Code \d+ \(http/) });
  });

  it('domains, tags and folders', async () => {
    const client = createCodeQrClient({ apiKey: keys.dropdowns, baseUrl: sandbox.sb.url });
    await client.tags.create({ name: 'spring' });
    await fetch(`${sandbox.sb.url}/folders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.dropdowns}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Campaigns' }),
    });
    const opts = { key: keys.dropdowns, meta: { page: 0 } };
    expect(await run(t('domainsDropdown'), {}, opts)).toContainEqual({
      id: sandbox.sb.linkDomain,
      name: sandbox.sb.linkDomain,
    });
    expect(await run(t('tagsDropdown'), {}, opts)).toEqual([{ id: 'spring', name: 'spring' }]);
    expect(await run(t('foldersDropdown'), {}, opts)).toEqual([{ id: expect.any(String), name: 'Campaigns' }]);
  });
});
