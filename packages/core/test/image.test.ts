import { crc32, inflateSync } from 'node:zlib';
import { scanQr } from '@codeqr-integrations/test/support/qr-decode';
import { PNG } from 'pngjs';
import { create } from 'qrcode/lib/core/qrcode.js';
import { describe, expect, it } from 'vitest';
import { isCodeQrError } from '../src/errors.ts';
import { createQrMatrix, isQrModuleDark, type QrMatrix } from '../src/image/index.ts';
import { type QrImageOptions, qrImageContent, renderQrPng, renderQrSvg } from '../src/index.ts';
import { QrCode } from '../src/schemas/qr-code.ts';

type Level = NonNullable<QrImageOptions['level']>;

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

function rgba(hex: string): Rgba {
  let digits = hex.slice(1);
  if (digits.length === 3) digits = [...digits].map((digit) => digit + digit).join('');
  const channel = (index: number) => Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16);
  return { r: channel(0), g: channel(1), b: channel(2), a: digits.length === 8 ? channel(3) : 255 };
}

/** The reference matrix, straight from qrcode's core (not through the renderer's wrapper). */
function referenceMatrix(content: string, level: Level): { size: number; dark: (row: number, col: number) => boolean } {
  const { modules } = create(content, { errorCorrectionLevel: level });
  const inside = (index: number) => index >= 0 && index < modules.size;
  return { size: modules.size, dark: (row, col) => inside(row) && inside(col) && modules.get(row, col) === 1 };
}

function decodePng(png: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const image = PNG.sync.read(Buffer.from(png));
  return { width: image.width, height: image.height, data: new Uint8Array(image.data) };
}

function pixel(data: Uint8Array, width: number, x: number, y: number): Rgba {
  const offset = (y * width + x) * 4;
  return { r: data[offset]!, g: data[offset + 1]!, b: data[offset + 2]!, a: data[offset + 3]! };
}

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  crcInput: Uint8Array;
}

function readChunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    chunks.push({
      type,
      data: png.subarray(offset + 8, offset + 8 + length),
      crc: view.getUint32(offset + 8 + length),
      crcInput: png.subarray(offset + 4, offset + 8 + length),
    });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
}

interface ParsedSvg {
  width: number;
  height: number;
  viewBox: number;
  background: string | undefined;
  foreground: string | undefined;
  foregroundOpacity: string | undefined;
  /** Dark cells as `x,y` in viewBox (module) units. */
  dark: Set<string>;
}

/** Reads back the SVG the renderer writes: a background rect and one path of `M x y h n v1 h -n z` runs. */
function parseSvg(svg: string): ParsedSvg {
  const attribute = (tag: string | undefined, name: string) =>
    tag === undefined ? undefined : new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const rect = /<rect\b[^>]*\/>/.exec(svg)?.[0];
  const path = /<path\b[^>]*\/>/.exec(svg)?.[0];
  expect(root).toBeDefined();
  const viewBox = attribute(root, 'viewBox')?.split(' ').map(Number) ?? [];
  expect(viewBox.slice(0, 2)).toEqual([0, 0]);
  expect(viewBox[2]).toBe(viewBox[3]);
  const dark = new Set<string>();
  const d = attribute(path, 'd') ?? '';
  const runs = [...d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  // the path must consist of nothing but runs
  expect(runs.map((run) => run[0]).join('')).toBe(d);
  for (const [, x, y, length, back] of runs) {
    expect(back).toBe(length);
    for (let offset = 0; offset < Number(length); offset++) {
      const key = `${Number(x) + offset},${y}`;
      expect(dark.has(key)).toBe(false);
      dark.add(key);
    }
  }
  return {
    width: Number(attribute(root, 'width')),
    height: Number(attribute(root, 'height')),
    viewBox: viewBox[2]!,
    background: attribute(rect, 'fill'),
    foreground: attribute(path, 'fill'),
    foregroundOpacity: attribute(path, 'fill-opacity'),
    dark,
  };
}

/** Draws the parsed SVG at `scale` pixels per module into RGBA. */
function rasterise(svg: ParsedSvg, scale: number): { data: Uint8Array; width: number } {
  const width = svg.viewBox * scale;
  const data = new Uint8Array(width * width * 4);
  const bg = rgba(svg.background ?? '#ffffff');
  const fg = rgba(svg.foreground ?? '#000000');
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) {
      const color = svg.dark.has(`${Math.floor(x / scale)},${Math.floor(y / scale)}`) ? fg : bg;
      data.set([color.r, color.g, color.b, 255], (y * width + x) * 4);
    }
  }
  return { data, width };
}

function expectValidationError(render: () => unknown, field: string): void {
  let thrown: unknown;
  try {
    render();
  } catch (error) {
    thrown = error;
  }
  expect(isCodeQrError(thrown)).toBe(true);
  if (!isCodeQrError(thrown)) return;
  expect(thrown.code).toBe('validation_error');
  expect(thrown.issues.map((issue) => issue.field)).toEqual([field]);
  expect(thrown.message).toContain(field);
}

const PNG_CASES: { content: string; options: QrImageOptions }[] = [
  { content: 'https://cqr.ink/abc123', options: { size: 256, level: 'L' } },
  { content: 'https://cqr.ink/abc123', options: { size: 256, level: 'H' } },
  { content: 'HELLO', options: { size: 64, level: 'L' } },
  {
    content: 'https://example.com/landing/page?utm_source=n8n&utm_medium=workflow&q=caf%C3%A9',
    options: { size: 1024, level: 'H', fgColor: '#1a3d7c', bgColor: '#fdf6e3' },
  },
  { content: 'WIFI:T:WPA;S:My\\;Net;P:p\\:ss;;', options: { size: 512, level: 'Q', fgColor: '#800', bgColor: '#ffd' } },
  { content: 'Grüße aus Köln — ✓', options: { size: 300, level: 'M', margin: 2, fgColor: '#0b6e4f' } },
  { content: 'tel:+4915112345678', options: { size: 200, level: 'L', margin: 0 } },
  { content: 'https://cqr.ink/inverted', options: { size: 256, fgColor: '#ffffff', bgColor: '#000000' } },
];

describe('renderQrPng', () => {
  it.each(PNG_CASES)('decodes back to $content ($options.level, $options.size px)', ({ content, options }) => {
    const png = renderQrPng(content, options);
    expect(png).toBeInstanceOf(Uint8Array);
    const { width, height, data } = decodePng(png);
    expect(width).toBe(options.size);
    expect(height).toBe(options.size);
    expect(scanQr(data, width, height)).toBe(content);
  });

  it('draws every module of the reference matrix in the requested colours, margin included', () => {
    const content = 'https://cqr.ink/pixels';
    const size = 370; // not a multiple of the module count
    const margin = 3;
    const fgColor = '#123456';
    const bgColor = '#fedcba';
    const { width, data } = decodePng(renderQrPng(content, { size, margin, fgColor, bgColor, level: 'Q' }));
    const matrix = referenceMatrix(content, 'Q');
    const total = matrix.size + margin * 2;
    const fg = rgba(fgColor);
    const bg = rgba(bgColor);
    // every module is the same whole number of pixels; the leftover pixels widen the quiet zone, centred
    const modulePx = Math.floor(size / total);
    const offset = Math.floor((size - modulePx * total) / 2);
    let dark = 0;
    for (let row = 0; row < total; row++) {
      for (let col = 0; col < total; col++) {
        // every pixel of the module
        for (const [dx, dy] of [
          [0, 0],
          [modulePx - 1, modulePx - 1],
          [0, modulePx - 1],
        ] as const) {
          const x = offset + col * modulePx + dx;
          const y = offset + row * modulePx + dy;
          const isDark = matrix.dark(row - margin, col - margin);
          expect(pixel(data, width, x, y), `module ${row},${col}`).toEqual(isDark ? fg : bg);
        }
        const x = offset + Math.floor((col + 0.5) * modulePx);
        const y = offset + Math.floor((row + 0.5) * modulePx);
        const isDark = matrix.dark(row - margin, col - margin);
        if (isDark) dark++;
        expect(pixel(data, width, x, y), `module ${row},${col}`).toEqual(isDark ? fg : bg);
      }
    }
    expect(dark).toBeGreaterThan(100);
    // corners are quiet zone, the finder pattern's corner is dark
    expect(pixel(data, width, 0, 0)).toEqual(bg);
    expect(pixel(data, width, size - 1, size - 1)).toEqual(bg);
    const finder = offset + margin * modulePx;
    expect(pixel(data, width, finder, finder)).toEqual(fg);
    expect(pixel(data, width, finder - 1, finder - 1)).toEqual(bg);
  });

  it('keeps the alpha of #rrggbbaa colours', () => {
    const { width, data } = decodePng(
      renderQrPng('alpha', { size: 64, margin: 1, fgColor: '#ff000080', bgColor: '#00ff0000' }),
    );
    expect(pixel(data, width, 0, 0)).toEqual({ r: 0, g: 255, b: 0, a: 0 });
    const matrix = referenceMatrix('alpha', 'M');
    const total = matrix.size + 2;
    const modulePx = Math.floor(64 / total);
    // module (1,1) is the finder's dark corner
    const centre = Math.floor((64 - modulePx * total) / 2) + Math.floor(1.5 * modulePx);
    expect(pixel(data, width, centre, centre)).toEqual({ r: 255, g: 0, b: 0, a: 128 });
  });

  it('writes a well-formed PNG: signature, IHDR first, valid CRCs, IEND last, 1-bit palette', () => {
    const png = renderQrPng('https://cqr.ink/chunks', { size: 100 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = readChunks(png);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    for (const chunk of chunks) expect(chunk.crc, chunk.type).toBe(crc32(chunk.crcInput));
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([100, 100]);
    expect([...chunks[0]!.data.subarray(8)]).toEqual([1, 3, 0, 0, 0]);
    expect([...chunks[1]!.data]).toEqual([255, 255, 255, 0, 0, 0]);
    expect(chunks[3]!.data.length).toBe(0);
    // transparency only when asked for
    const translucent = readChunks(renderQrPng('x', { size: 100, bgColor: '#ffffff00' }));
    expect(translucent.map((chunk) => chunk.type)).toEqual(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
    expect([...translucent[2]!.data]).toEqual([0, 255]);
  });

  it('defaults to 1024 px, level M, black on white, and is deterministic', () => {
    const content = 'https://cqr.ink/defaults';
    const png = renderQrPng(content);
    const { width, height, data } = decodePng(png);
    expect([width, height]).toEqual([1024, 1024]);
    expect(scanQr(data, width, height)).toBe(content);
    expect(pixel(data, width, 0, 0)).toEqual({ r: 255, g: 255, b: 255, a: 255 });
    expect(renderQrPng(content)).toEqual(png);
    expect(renderQrPng(content, { level: 'M', size: 1024, margin: 4 })).toEqual(png);
    expect(renderQrPng(content, { level: 'H' })).not.toEqual(png);
  });

  it('renders the largest size', () => {
    const png = renderQrPng('https://cqr.ink/big', { size: 4096, level: 'L' });
    const [ihdr, , idat] = readChunks(png);
    expect(ihdr!.type).toBe('IHDR');
    expect(new DataView(ihdr!.data.buffer, ihdr!.data.byteOffset, 8).getUint32(0)).toBe(4096);
    expect(new DataView(ihdr!.data.buffer, ihdr!.data.byteOffset, 8).getUint32(4)).toBe(4096);
    expect(idat!.type).toBe('IDAT');
    // 4096 rows of a filter byte + 4096 one-bit pixels
    expect(inflateSync(idat!.data).length).toBe(4096 * (1 + 512));
    expect(png.length).toBeLessThan(64 * 1024);
  });

  it('refuses a size below 2 px per module, naming the smallest size that scans', () => {
    // version 1 = 21 modules; with margin 0 it needs 42 px
    const { width, height, data } = decodePng(renderQrPng('a', { size: 42, margin: 0, level: 'L' }));
    expect(width).toBe(42);
    expect(scanQr(data, width, height)).toBe('a');
    expectValidationError(() => renderQrPng('a', { size: 41, margin: 0, level: 'L' }), 'size');
    expectValidationError(() => renderQrPng('https://cqr.ink/abc', { size: 16 }), 'size');
    expect(() => renderQrPng('a', { size: 21, margin: 0, level: 'L' })).toThrow(/at least 42 px/);
  });

  // Sizes 40-64 once drew modules of 1 and 2 px side by side, which no reader decodes. Every size now either
  // decodes or fails up front with the smallest size that would.
  it.each([
    { content: 'https://cqr.ink/abc123', level: 'L' as const, margin: 4 },
    { content: 'https://cqr.ink/abc123', level: 'M' as const, margin: 1 },
    { content: 'HELLO', level: 'L' as const, margin: 0 },
  ])('every size from 40 to 80 px decodes or names its minimum ($content, $level, margin $margin)', (options) => {
    let decoded = 0;
    for (let size = 40; size <= 80; size++) {
      let png: Uint8Array;
      try {
        png = renderQrPng(options.content, { size, level: options.level, margin: options.margin });
      } catch (error) {
        expect(isCodeQrError(error) && error.issues[0]?.field).toBe('size');
        expect((error as Error).message).toMatch(/at least (\d+) px/);
        const needed = Number(/at least (\d+) px/.exec((error as Error).message)![1]);
        expect(needed).toBeGreaterThan(size);
        continue;
      }
      const { width, height, data } = decodePng(png);
      expect(width, `${size} px`).toBe(size);
      expect(scanQr(data, width, height), `${size} px`).toBe(options.content);
      decoded++;
    }
    expect(decoded).toBeGreaterThan(0);
  });
});

describe('renderQrSvg', () => {
  const SVG_CASES: { content: string; level: Level; margin?: number }[] = [
    { content: 'https://cqr.ink/abc123', level: 'L' },
    { content: 'https://cqr.ink/abc123', level: 'H', margin: 0 },
    { content: 'WIFI:T:WPA;S:Cafe;P:espresso;;', level: 'Q', margin: 16 },
    { content: 'Ünïcødé <&> "quotes"', level: 'M', margin: 2 },
  ];

  it.each(SVG_CASES)('draws exactly the dark modules of $content ($level)', ({ content, level, margin }) => {
    const svg = parseSvg(renderQrSvg(content, { level, margin, size: 512 }));
    const matrix = referenceMatrix(content, level);
    const quiet = margin ?? 4;
    expect(svg.viewBox).toBe(matrix.size + quiet * 2);
    const expected = new Set<string>();
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        if (matrix.dark(row, col)) expected.add(`${col + quiet},${row + quiet}`);
      }
    }
    expect(expected.size).toBeGreaterThan(100);
    expect([...svg.dark].sort()).toEqual([...expected].sort());
  });

  it.each(SVG_CASES)('rasterises and scans back to $content ($level)', ({ content, level, margin }) => {
    const svg = parseSvg(renderQrSvg(content, { level, margin, fgColor: '#2b2d42', bgColor: '#edf2f4' }));
    const { data, width } = rasterise(svg, 4);
    expect(scanQr(data, width, width)).toBe(content);
  });

  it('sets size, colours, viewBox and crisp edges', () => {
    const text = renderQrSvg('https://cqr.ink/x', { size: 64, fgColor: '#A0B', bgColor: '#fdf6e3' });
    expect(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(text).toContain('shape-rendering="crispEdges"');
    expect((text.match(/<path\b/g) ?? []).length).toBe(1);
    const svg = parseSvg(text);
    expect([svg.width, svg.height]).toEqual([64, 64]);
    expect(svg.background).toBe('#fdf6e3');
    expect(svg.foreground).toBe('#aa00bb');
    expect(svg.foregroundOpacity).toBeUndefined();
  });

  it('defaults to 1024 px with a 4-module margin, black on white', () => {
    const svg = parseSvg(renderQrSvg('https://cqr.ink/defaults'));
    expect([svg.width, svg.height]).toEqual([1024, 1024]);
    expect(svg.viewBox).toBe(referenceMatrix('https://cqr.ink/defaults', 'M').size + 8);
    expect([svg.background, svg.foreground]).toEqual(['#ffffff', '#000000']);
  });

  it('expresses alpha as fill-opacity and drops a fully transparent background', () => {
    const text = renderQrSvg('alpha', { fgColor: '#ff000080', bgColor: '#ffffff00', size: 16 });
    const svg = parseSvg(text);
    expect(text).not.toContain('<rect');
    expect(svg.foreground).toBe('#ff0000');
    expect(svg.foregroundOpacity).toBe('0.502');
    expect(svg.width).toBe(16); // vector output may be smaller than the module count
  });
});

describe('validation', () => {
  const renderers = { svg: renderQrSvg, png: renderQrPng };
  const BAD_OPTIONS: [field: string, options: Record<string, unknown>][] = [
    ['fgColor', { fgColor: 'red' }],
    ['fgColor', { fgColor: '#12' }],
    ['fgColor', { fgColor: '#12345' }],
    ['fgColor', { fgColor: '#gggggg' }],
    ['fgColor', { fgColor: 0 }],
    ['bgColor', { bgColor: 'ffffff' }],
    ['bgColor', { bgColor: '#ffffff0' }],
    ['size', { size: 15 }],
    ['size', { size: 4097 }],
    ['size', { size: 100.5 }],
    ['size', { size: '256' }],
    ['size', { size: Number.NaN }],
    ['level', { level: 'X' }],
    ['level', { level: 2 }],
    ['margin', { margin: -1 }],
    ['margin', { margin: 17 }],
    ['margin', { margin: 1.5 }],
  ];

  for (const [name, render] of Object.entries(renderers)) {
    it.each(BAD_OPTIONS)(`${name}: rejects a bad %s (%o)`, (field, options) => {
      expectValidationError(() => render('https://cqr.ink/x', options as QrImageOptions), field);
    });

    it(`${name}: rejects empty or oversized content`, () => {
      expectValidationError(() => render(''), 'content');
      expectValidationError(() => render('x'.repeat(3000), { level: 'H' }), 'content');
    });
  }

  it('accepts the boundaries and a lower-case level', () => {
    expect(() => renderQrSvg('a', { size: 16, margin: 0 })).not.toThrow();
    expect(() => renderQrSvg('a', { size: 4096, margin: 16 })).not.toThrow();
    expect(parseSvg(renderQrSvg('a', { level: 'h' as Level })).dark).toEqual(
      parseSvg(renderQrSvg('a', { level: 'H' })).dark,
    );
    expect(parseSvg(renderQrSvg('a', { level: 'h' as Level })).dark).not.toEqual(
      parseSvg(renderQrSvg('a', { level: 'L' })).dark,
    );
  });
});

describe('qrImageContent', () => {
  const base = { domain: 'cqr.ink', key: 'abc' };

  it('encodes the short link of a dynamic code', () => {
    expect(qrImageContent({ ...base, shortLink: 'https://go.example.com/abc', url: 'https://example.com' })).toBe(
      'https://go.example.com/abc',
    );
    expect(qrImageContent({ ...base, static: false, url: 'https://example.com' })).toBe('https://cqr.ink/abc');
    expect(qrImageContent({ ...base, static: false, type: 'wifi', wifi: { ssid: 'x' } })).toBe('https://cqr.ink/abc');
  });

  it('accepts a parsed CodeQR QrCode', () => {
    const qr = QrCode.parse({
      id: 'qr_1',
      domain: 'cqr.ink',
      key: 'promo',
      url: 'https://example.com',
      type: 'url',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(qrImageContent(qr)).toBe('https://cqr.ink/promo');
    expect(qrImageContent({ ...qr, static: true })).toBe('https://example.com');
  });

  it('encodes the content of a static code', () => {
    const s = { ...base, static: true };
    expect(qrImageContent({ ...s, type: 'url', url: 'https://example.com/a?b=c' })).toBe('https://example.com/a?b=c');
    expect(qrImageContent({ ...s, url: 'https://example.com' })).toBe('https://example.com');
    expect(qrImageContent({ ...s, type: 'text', text: '  Hello, world!\n' })).toBe('  Hello, world!\n');
    expect(qrImageContent({ ...s, type: 'phone', phone: '+49 151 1234 5678' })).toBe('tel:+4915112345678');
    expect(
      qrImageContent({
        ...s,
        type: 'email',
        email: { email: 'hello@example.com', subject: 'Hi & bye', body: 'Line 1\nLine 2?' },
      }),
    ).toBe('mailto:hello@example.com?subject=Hi%20%26%20bye&body=Line%201%0ALine%202%3F');
    expect(qrImageContent({ ...s, type: 'email', email: { email: 'a@b.co' } })).toBe('mailto:a@b.co');
    expect(qrImageContent({ ...s, type: 'sms', sms: { tel: '+1 555 0100', subject: 'Ping me' } })).toBe(
      'SMSTO:+15550100:Ping me',
    );
    expect(qrImageContent({ ...s, type: 'sms', sms: { tel: '5550100' } })).toBe('SMSTO:5550100:');
    expect(
      qrImageContent({ ...s, type: 'whatsapp', whatsapp: { number: '4915112345678', message: 'Hi there & more' } }),
    ).toBe('https://wa.me/4915112345678?text=Hi%20there%20%26%20more');
    expect(qrImageContent({ ...s, type: 'whatsapp', whatsapp: { number: '+49 151 12345678' } })).toBe(
      'https://wa.me/4915112345678',
    );
  });

  it('escapes special characters in Wi-Fi content', () => {
    const s = { ...base, static: true, type: 'wifi' };
    expect(
      qrImageContent({ ...s, wifi: { ssid: 'Café;Guest:5G', password: 'p\\a;s,s:w"rd ', encryption: 'WPA' } }),
    ).toBe('WIFI:T:WPA;S:Café\\;Guest\\:5G;P:p\\\\a\\;s\\,s\\:w\\"rd ;;');
    expect(qrImageContent({ ...s, wifi: { ssid: 'Open', encryption: 'nopass' } })).toBe('WIFI:T:nopass;S:Open;;');
    expect(qrImageContent({ ...s, wifi: { ssid: 'Open' } })).toBe('WIFI:T:nopass;S:Open;;');
    expect(qrImageContent({ ...s, wifi: { ssid: 'Legacy', password: 'abcde', encryption: 'wep' } })).toBe(
      'WIFI:T:WEP;S:Legacy;P:abcde;;',
    );
    expect(qrImageContent({ ...s, wifi: { ssid: 'Home', password: 'secret', hidden: 'true' } })).toBe(
      'WIFI:T:WPA;S:Home;P:secret;H:true;;',
    );
  });

  it('round-trips a Wi-Fi code through the PNG renderer', () => {
    const content = qrImageContent({
      ...base,
      static: true,
      type: 'wifi',
      wifi: { ssid: 'A;B', password: 'c:d', encryption: 'WPA' },
    });
    const { width, height, data } = decodePng(renderQrPng(content, { size: 256 }));
    expect(scanQr(data, width, height)).toBe('WIFI:T:WPA;S:A\\;B;P:c\\:d;;');
  });

  it('rejects static content it cannot render locally or that is missing', () => {
    const s = { ...base, static: true };
    expectValidationError(() => qrImageContent({ ...s, type: 'hologram' }), 'type');
    expectValidationError(() => qrImageContent({ ...s, type: 'vcard' }), 'vcard');
    expectValidationError(() => qrImageContent({ ...s, type: 'crypto' }), 'crypto.cryptocurrency');
    expectValidationError(() => qrImageContent({ ...s, type: 'url', url: null }), 'url');
    expectValidationError(() => qrImageContent({ ...s }), 'url');
    expectValidationError(() => qrImageContent({ ...s, type: 'text', text: '   ' }), 'text');
    expectValidationError(() => qrImageContent({ ...s, type: 'phone' }), 'phone');
    expectValidationError(() => qrImageContent({ ...s, type: 'wifi', wifi: { password: 'x' } }), 'wifi.ssid');
    expectValidationError(() => qrImageContent({ ...s, type: 'email', email: null }), 'email.email');
    expectValidationError(() => qrImageContent({ ...s, type: 'sms', sms: {} }), 'sms.tel');
    expectValidationError(
      () => qrImageContent({ ...s, type: 'whatsapp', whatsapp: { number: '+' } }),
      'whatsapp.number',
    );
    expect(() => qrImageContent({ ...s, type: 'hologram' })).toThrow(/hologram.*cannot be rendered locally/);
  });
});

describe('createQrMatrix', () => {
  it('matches qrcode core and reports version and level', () => {
    const matrix: QrMatrix = createQrMatrix('https://cqr.ink/matrix', 'Q');
    const reference = referenceMatrix('https://cqr.ink/matrix', 'Q');
    expect(matrix.size).toBe(reference.size);
    expect(matrix.version).toBe((reference.size - 17) / 4);
    expect(matrix.level).toBe('Q');
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        expect(isQrModuleDark(matrix, row, col)).toBe(reference.dark(row, col));
      }
    }
    expect(isQrModuleDark(matrix, -1, 0)).toBe(false);
    expect(isQrModuleDark(matrix, 0, matrix.size)).toBe(false);
  });
});
