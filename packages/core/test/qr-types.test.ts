import { decodeQrPng } from '@codeqr-integrations/test/support/qr-decode';
import { describe, expect, it } from 'vitest';
import { describeFields } from '../src/fields/index.ts';
import { crc16CcittFalse } from '../src/image/payloads.ts';
import { createCodeQrClient, qrImageContent, renderQrPng, type TransportRequest } from '../src/index.ts';
import { getOperation } from '../src/operations/index.ts';
import { QR_TYPE_LABELS } from '../src/operations/qr-code-content.ts';
import { WRITABLE_TYPES } from '../src/operations/qr-code-input.ts';
import { QR_CODE_TYPES } from '../src/schemas/common.ts';

function decode(content: string): string | undefined {
  return decodeQrPng(renderQrPng(content, { size: 600 }));
}

const base = { domain: 'cqr.link', key: 'k', static: true } as const;

/** A client whose transport records each request and answers a created QR code. */
function recordingClient() {
  const sent: TransportRequest[] = [];
  const client = createCodeQrClient({
    apiKey: 'k',
    baseUrl: 'http://127.0.0.1:9',
    sleep: async () => {},
    transport: async (request) => {
      sent.push(request);
      const body = JSON.parse(request.body ?? '{}');
      const now = '2026-01-01T00:00:00.000Z';
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'q1',
          domain: 'cqr.link',
          key: 'k',
          url: null,
          ...body,
          createdAt: now,
          updatedAt: now,
        }),
      };
    },
  });
  return { client, sent };
}

async function issuesOf(raw: Record<string, unknown>): Promise<string[]> {
  const { client, sent } = recordingClient();
  try {
    await getOperation('createQrCode').execute(client, raw);
  } catch (error) {
    expect(sent).toEqual([]);
    return ((error as { issues?: { field: string }[] }).issues ?? []).map((issue) => issue.field);
  }
  return [];
}

describe('the 13 QR types in the write operations', () => {
  it('offers every type CodeQR knows, with its dashboard label', () => {
    expect([...WRITABLE_TYPES]).toEqual([...QR_CODE_TYPES]);
    const type = describeFields(getOperation('createQrCode').input).find((field) => field.key === 'type');
    expect(type?.options?.map((option) => option.label)).toEqual(QR_CODE_TYPES.map((t) => QR_TYPE_LABELS[t]));
    expect(type?.initial).toBe('url');
    expect(Object.values(QR_TYPE_LABELS)).toEqual(expect.arrayContaining(['vCard', 'FaceTime', 'Location', 'Pix']));
    expect(Object.values(QR_TYPE_LABELS)).not.toEqual(expect.arrayContaining(['Latlog', 'Vcard', 'Facetime']));
  });

  it('has a content field keyed by each type (Geo excepted: its key is Country Targeting)', () => {
    const shape = getOperation('createQrCode').input.shape as Record<string, unknown>;
    for (const type of QR_CODE_TYPES.filter((t) => t !== 'geo')) expect(shape[type], type).toBeDefined();
  });

  it('sends CodeQR-named content, and the crypto address under email too', async () => {
    const { client, sent } = recordingClient();
    const op = getOperation('createQrCode');
    await op.execute(client, {
      type: 'vcard',
      static: true,
      vcard: { name: 'Ada', surname: 'Lovelace', phone: '+44 20 7946 0000', address: '1 St', city: 'London' },
    });
    await op.execute(client, {
      type: 'crypto',
      crypto: { cryptocurrency: 'bitcoin', address: 'bc1qxyz', amount: '0.01' },
    });
    await op.execute(client, { type: 'pix', static: true, pix: { key: 'a@b.co', name: 'Loja', city: 'Recife' } });
    await op.execute(client, { type: 'latlog', latlog: { latitude: '-23.55', longitude: '-46.63' } });
    await op.execute(client, { type: 'facetime', facetime: { phone: '+15551234567' } });
    const bodies = sent.map((request) => JSON.parse(request.body ?? '{}'));
    expect(bodies[0].vcard).toMatchObject({ name: 'Ada', surname: 'Lovelace', city: 'London' });
    expect(bodies[1].crypto).toEqual({
      cryptocurrency: 'bitcoin',
      address: 'bc1qxyz',
      amount: '0.01',
      email: 'bc1qxyz',
    });
    expect(bodies[2].pix).toEqual({ key: 'a@b.co', name: 'Loja', city: 'Recife' });
    expect(bodies[3].latlog).toEqual({ latitude: '-23.55', longitude: '-46.63' });
    expect(bodies[4].facetime).toEqual({ phone: '+15551234567' });
  });

  it('validates each type before sending, naming the field', async () => {
    expect(await issuesOf({ type: 'whatsapp', whatsapp: { number: '+55 11 9999' } })).toEqual(['whatsapp.number']);
    expect(
      await issuesOf({ type: 'crypto', crypto: { cryptocurrency: 'bitcoin', address: 'x', amount: '1,5' } }),
    ).toEqual(['crypto.amount']);
    expect(
      await issuesOf({ type: 'pix', pix: { key: 'k', name: 'A name far longer than twenty-five', city: 'São Paulo' } }),
    ).toEqual(['pix.name']);
    expect(await issuesOf({ type: 'pix', pix: { key: 'k', name: 'Loja', city: 'Rio de Janeiro RJ' } })).toEqual([
      'pix.city',
    ]);
    expect(await issuesOf({ type: 'pix', pix: { name: 'Loja', city: 'Recife' } })).toEqual(['pix.key']);
    expect(await issuesOf({ type: 'latlog', latlog: { latitude: '91', longitude: '-181' } })).toEqual([
      'latlog.latitude',
      'latlog.longitude',
    ]);
    expect(await issuesOf({ type: 'vcard', vcard: { email: 'nope' } })).toEqual(['vcard.email']);
    expect(await issuesOf({ type: 'facetime', facetime: {} })).toEqual(['facetime.phone']);
  });

  it('refuses a Geo code with the fix (choose Location), in the client too', async () => {
    const { client, sent } = recordingClient();
    let message = '';
    try {
      await getOperation('createQrCode').execute(client, { type: 'geo', latlog: { latitude: '1', longitude: '2' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Type \(type\) cannot be "geo".*Country Targeting.*"latlog" \(Location\)/);
    await expect(client.qrcodes.create({ type: 'geo' })).rejects.toThrow(/cannot be "geo"/);
    expect(sent).toEqual([]);
  });
});

describe('local rendering of every type with a standard payload (decoded back with jsqr)', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'vcard',
      {
        vcard: {
          name: 'Ada',
          surname: 'Lovelace',
          phone: '+44 20 7946 0000',
          telephone: '+44 20 7946 0001',
          email: 'ada@example.com',
          website: 'https://example.com',
          address: '12 St James, Sq',
          city: 'London',
          zipcode: 'SW1',
          country: 'UK',
        },
      },
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'N:Lovelace;Ada;;;',
        'FN:Ada Lovelace',
        'TEL;TYPE=CELL:+44 20 7946 0000',
        'TEL;TYPE=WORK:+44 20 7946 0001',
        'EMAIL:ada@example.com',
        'URL:https://example.com',
        'ADR:;;12 St James\\, Sq;London;;SW1;UK',
        'END:VCARD',
      ].join('\r\n'),
    ],
    ['latlog', { latlog: { latitude: '-23.5505', longitude: '-46.6333' } }, 'geo:-23.5505,-46.6333'],
    ['geo', { latlog: { latLog: '48.8584, 2.2945' } }, 'geo:48.8584,2.2945'],
    ['facetime', { facetime: { phone: '+1 555 123 4567' } }, 'facetime:+15551234567'],
    ['facetime', { facetime: { phone: 'ada@example.com', mode: 'audio' } }, 'facetime-audio:ada@example.com'],
    [
      'crypto',
      { crypto: { cryptocurrency: 'bitcoin', address: 'bc1qxyz', amount: '0.01', message: 'Thanks & bye' } },
      'bitcoin:bc1qxyz?amount=0.01&message=Thanks%20%26%20bye',
    ],
    // static codes: CodeQR's constructor reads `email` for the address
    ['crypto', { crypto: { cryptocurrency: 'ethereum', email: '0xabc' } }, 'ethereum:0xabc'],
  ];

  it.each(cases)('%s → %j', (type, content, expected) => {
    const payload = qrImageContent({ ...base, type, ...content });
    expect(payload).toBe(expected);
    expect(decode(payload)).toBe(expected);
  });

  it('renders Pix as a BR Code whose CRC-16/CCITT-FALSE checks out, and decodes it', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1); // the CRC's published check value
    const payload = qrImageContent({
      ...base,
      type: 'pix',
      pix: { key: '123e4567-e12b-12d1-a456-426655440000', name: 'Fulano de Tal', city: 'Brasília', amount: '10.5' },
    });
    expect(payload).toBe(
      '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000' +
        '52040000' +
        '5303986' +
        '540510.50' +
        '5802BR5913Fulano de Tal6008Brasilia62070503***6304' +
        payload.slice(-4),
    );
    const body = payload.slice(0, -4);
    expect(payload.slice(-4)).toBe(crc16CcittFalse(body).toString(16).toUpperCase().padStart(4, '0'));
    expect(decode(payload)).toBe(payload);
  });

  it('falls back to what CodeQR answered as contentStatic when it cannot build the payload', () => {
    expect(qrImageContent({ ...base, type: 'pix', contentStatic: '000201…6304ABCD' })).toBe('000201…6304ABCD');
    expect(qrImageContent({ ...base, type: 'hologram', contentStatic: 'X' })).toBe('X');
  });
});
