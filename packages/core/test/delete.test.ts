import { createCodeQrClient } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/sandbox.ts';

// Deletes under a lost answer: the retry that finds the code gone reports the delete as done.

const KEY = 'codeqr_test_delete';
const env = useSandbox({ key: KEY, seed: 7 });
const { client, fault, hits } = env;

describe('delete under a lost answer', () => {
  it.each(['drop', 'truncate'])(
    'a delete whose answer is lost (%s) and whose retry finds the code gone is done',
    async (mode) => {
      const c = client();
      const qr = await c.qrcodes.create({ url: 'https://example.com/gone', externalId: `gone-${mode}` });
      await fault('DELETE /qrcodes/*', mode);
      expect(await c.qrcodes.delete(qr.id)).toEqual({ id: qr.id });
      expect(hits('DELETE', `/qrcodes/${qr.id}`)).toBe(2); // the lost attempt, then the retry that found it gone
      await expect(c.qrcodes.get({ id: qr.id })).rejects.toMatchObject({ code: 'not_found' });
    },
  );

  it('the same holds for a delete by ext_<externalId>', async () => {
    const c = client();
    await c.qrcodes.create({ url: 'https://example.com/gone', externalId: 'ext-gone' });
    await fault('DELETE /qrcodes/*', 'drop');
    expect(await c.qrcodes.delete('ext_ext-gone')).toEqual({ id: 'ext_ext-gone' });
    expect(await c.qrcodes.count()).toBe(0);
  });

  it('a code that never existed is still not_found (no retry happened)', async () => {
    const c = client();
    await expect(c.qrcodes.delete('qr_missing')).rejects.toMatchObject({ code: 'not_found', attempts: 1 });
  });
});

describe('bulk delete under a lost answer', () => {
  it('150 codes with one dropped chunk: deletedCount 150, all gone', async () => {
    const c = client();
    const created = await c.qrcodes.bulkCreate(
      Array.from({ length: 150 }, (_, i) => ({ url: `https://example.com/d/${i}` })),
    );
    const ids = created.flatMap((r) => (r.ok ? [r.qrCode.id] : []));
    await fault('DELETE /qrcodes/bulk', 'drop');
    expect(await c.qrcodes.bulkDelete(ids)).toEqual({ deletedCount: 150 });
    expect(hits('DELETE', '/qrcodes/bulk')).toBe(3); // chunk 1 lost, chunk 1 again, chunk 2
    expect(await c.qrcodes.count()).toBe(0);
  });

  it('without a fault, ids CodeQR does not know are not counted', async () => {
    const c = client();
    const created = await c.qrcodes.bulkCreate([{ url: 'https://example.com/x' }, { url: 'https://example.com/y' }]);
    const ids = created.flatMap((r) => (r.ok ? [r.qrCode.id] : []));
    expect(await c.qrcodes.bulkDelete([...ids, 'qr_unknown', ids[0]!])).toEqual({ deletedCount: 2 });
  });

  it('a chunk that fails for good after others were deleted says how far it got', async () => {
    const c = client();
    const created = await c.qrcodes.bulkCreate(
      Array.from({ length: 120 }, (_, i) => ({ url: `https://example.com/e/${i}` })),
    );
    const ids = created.flatMap((r) => (r.ok ? [r.qrCode.id] : []));
    // the first chunk goes through, the second meets a run of 500s longer than the retries
    let deletes = 0;
    const flaky = createCodeQrClient({
      apiKey: KEY,
      baseUrl: env.sb.url,
      sleep: async () => {},
      transport: async (request) => {
        if (request.method === 'DELETE' && ++deletes > 1) return { status: 500, headers: {}, body: '' };
        const res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
        return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      },
    });
    const error = await flaky.qrcodes.bulkDelete(ids).catch((e) => e);
    expect(error).toMatchObject({ code: 'internal_server_error' });
    expect(error.message).toMatch(/after 100 of 120 QR codes were deleted; deleting the same ids again is safe/);
    expect(await c.qrcodes.bulkDelete(ids)).toEqual({ deletedCount: 20 });
  });
});
