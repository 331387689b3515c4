import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc16CcittFalse, pixBrCode } from '../src/payloads/pix.ts';
import { vcardText } from '../src/payloads/standard.ts';
import { startSandbox } from '../src/server.ts';
import { api } from './helpers.ts';

describe('payload encoders', () => {
  it("Pix: the CRC's check value, and the BCB manual's example BR Code", () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    const key = '123e4567-e12b-12d1-a456-426655440000';
    expect(pixBrCode({ key, name: 'Fulano de Tal', city: 'BRASILIA' })).toBe(
      `00020126580014br.gov.bcb.pix0136${key}5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D`,
    );
  });

  it('vCard 3.0: N and FN always, ADR only with an address, text escaped, CRLF line ends', () => {
    expect(vcardText({ name: 'A;B', city: 'Paris' })).toBe(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:;A\\;B;;;\r\nFN:A\\;B\r\nEND:VCARD',
    );
  });
});

describe('pix is stored, never answered', () => {
  it('a Pix code answers without `pix`, encodes it, and keeps it across a restart (--data)', async () => {
    const dataFile = path.join(mkdtempSync(path.join(tmpdir(), 'sandbox-pix-')), 'data.json');
    const options = { keys: [{ key: 'k', plan: 'business' as const }], dataFile, log: () => {} };
    const pix = { key: 'pix@example.com', name: 'Loja', city: 'Recife' };
    const first = await startSandbox(options);
    const created = (await api(first.url, 'k')('POST', '/qrcodes', { type: 'pix', pix, static: true })).body;
    await first.close();
    expect(created).not.toHaveProperty('pix');
    expect(created.contentStatic).toBe(pixBrCode(pix));

    const second = await startSandbox(options);
    const call = api(second.url, 'k');
    // a change re-encodes from the stored pix: lost at the restart, it would encode an empty string
    const retitled = (await call('PUT', `/qrcodes/${created.id}`, { title: 'Till 2' })).body;
    const renamed = (await call('PUT', `/qrcodes/${created.id}`, { pix: { ...pix, name: 'Loja 2' } })).body;
    const listed = (await call('GET', '/qrcodes')).body;
    await second.close();
    expect(retitled.contentStatic).toBe(pixBrCode(pix));
    expect(renamed.contentStatic).toBe(pixBrCode({ ...pix, name: 'Loja 2' }));
    expect(listed[0]).not.toHaveProperty('pix');
  });
});
