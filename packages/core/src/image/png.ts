// fflate's browser build, by subpath: the bare 'fflate' lists its "node" condition first (worker_threads via
// createRequire), which a bundler targeting Node would pick even with the browser condition on. Pure JS, no built-ins.
import { zlibSync } from 'fflate/browser';
import { createQrMatrix, type QrMatrix } from './matrix.ts';
import { type QrImageOptions, type QrImageRgba, qrImageValidationError, resolveQrImageOptions } from './options.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let crcTable: Uint32Array | undefined;

function getCrcTable(): Uint32Array {
  if (crcTable) return crcTable;
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  crcTable = table;
  return table;
}

/** CRC-32 (ISO 3309, as PNG uses it) of `bytes[start, end)`. */
function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const table = getCrcTable();
  let crc = 0xffffffff;
  for (let index = start; index < end; index++) {
    crc = table[(crc ^ (bytes[index] ?? 0)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, 4-letter type, data, CRC over type + data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let index = 0; index < 4; index++) out[4 + index] = type.charCodeAt(index);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Fewer pixels per module than this and readers (jsQR, phone cameras) stop decoding: modules blur into 1-2 px. */
export const QR_PNG_MIN_MODULE_PX = 2;

/**
 * Rasterises `matrix` plus a `margin`-module quiet zone into a `size` x `size` 1-bit palette PNG (index 0 = `bg`,
 * 1 = `fg`, alpha through tRNS). Every module is the same whole number of pixels, `floor(size / modules)`, at least
 * `QR_PNG_MIN_MODULE_PX`; the pixels left over widen the quiet zone (split evenly, centred), so the image is exactly
 * `size` pixels wide and scans. A size too small for 2 px per module is refused with the smallest size that works
 * (never silently scaled up: a host that asked for 64 px lays out 64 px).
 */
export function encodeQrMatrixPng(
  matrix: QrMatrix,
  { size, fg, bg, margin }: { size: number; fg: QrImageRgba; bg: QrImageRgba; margin: number },
): Uint8Array {
  const total = matrix.size + margin * 2;
  const modulePx = Math.floor(size / total);
  if (modulePx < QR_PNG_MIN_MODULE_PX) {
    const needed = total * QR_PNG_MIN_MODULE_PX;
    throw qrImageValidationError(
      'size',
      `${size} pixels is too small for this QR code to scan: it has ${matrix.size} modules plus a ${margin}-module ` +
        `margin on each side and needs ${QR_PNG_MIN_MODULE_PX} px per module, so at least ${needed} px; use a size ` +
        `of ${needed} or more, a smaller margin, a lower level or shorter content`,
    );
  }
  const offset = Math.floor((size - modulePx * total) / 2);
  const moduleAt = new Int32Array(size);
  for (let pixel = 0; pixel < size; pixel++) moduleAt[pixel] = Math.floor((pixel - offset) / modulePx) - margin;

  // Each module row packs to the same scanline; build it once and copy it into every pixel row it covers.
  const rowBytes = Math.ceil(size / 8);
  const stride = rowBytes + 1; // filter-type byte (0 = None) + pixels
  const scanlines = new Map<number, Uint8Array>();
  const scanlineFor = (moduleRow: number): Uint8Array => {
    let line = scanlines.get(moduleRow);
    if (line) return line;
    line = new Uint8Array(rowBytes);
    if (moduleRow >= 0 && moduleRow < matrix.size) {
      const rowStart = moduleRow * matrix.size;
      for (let pixel = 0; pixel < size; pixel++) {
        const col = moduleAt[pixel]!;
        if (col >= 0 && col < matrix.size && matrix.modules[rowStart + col] === 1) {
          line[pixel >> 3]! |= 0x80 >> (pixel & 7);
        }
      }
    }
    scanlines.set(moduleRow, line);
    return line;
  };
  const raw = new Uint8Array(stride * size);
  for (let y = 0; y < size; y++) raw.set(scanlineFor(moduleAt[y]!), y * stride + 1);

  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, size);
  headerView.setUint32(4, size);
  header[8] = 1; // bit depth
  header[9] = 3; // colour type: palette
  // compression, filter and interlace methods stay 0
  const palette = Uint8Array.of(bg.r, bg.g, bg.b, fg.r, fg.g, fg.b);
  const parts = [Uint8Array.from(PNG_SIGNATURE), chunk('IHDR', header), chunk('PLTE', palette)];
  if (bg.a !== 255 || fg.a !== 255) parts.push(chunk('tRNS', Uint8Array.of(bg.a, fg.a)));
  parts.push(chunk('IDAT', zlibSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0)));
  return concat(parts);
}

/**
 * Renders `content` as a QR code PNG file (no network), `size` x `size` pixels with a `margin`-module quiet zone.
 * Throws a `validation_error` CodeQrError naming the field for bad options, content that does not fit, or a `size`
 * below 2 px per module (the error names the smallest size that scans).
 */
export function renderQrPng(content: string, options?: QrImageOptions): Uint8Array {
  const { size, fg, bg, level, margin } = resolveQrImageOptions(options);
  return encodeQrMatrixPng(createQrMatrix(content, level), { size, fg, bg, margin });
}
