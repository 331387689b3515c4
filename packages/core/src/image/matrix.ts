/// <reference path="./qrcode-lib.d.ts" />
// Only qrcode's matrix builder: the package's main entry and renderers pull in Node built-ins (fs, zlib, stream),
// which the hosts' bundles must not contain.
import { create } from 'qrcode/lib/core/qrcode.js';
import type { QrLevel } from '../schemas/common.ts';
import { QR_IMAGE_DEFAULTS, qrImageValidationError } from './options.ts';

/** The modules of a QR code symbol, without quiet zone. */
export interface QrMatrix {
  /** Modules per side (21 for version 1, +4 per version). */
  readonly size: number;
  /** QR version, 1-40. */
  readonly version: number;
  readonly level: QrLevel;
  /** Row-major, `size * size` entries; 1 = dark module, 0 = light. */
  readonly modules: Uint8Array;
}

/** True when the module at (`row`, `col`) is dark; false outside the symbol. */
export function isQrModuleDark(matrix: QrMatrix, row: number, col: number): boolean {
  if (row < 0 || col < 0 || row >= matrix.size || col >= matrix.size) return false;
  return matrix.modules[row * matrix.size + col] === 1;
}

/** Encodes `content` into a QR matrix; throws a `validation_error` on empty or oversized content. */
export function createQrMatrix(content: string, level: QrLevel = QR_IMAGE_DEFAULTS.level): QrMatrix {
  if (typeof content !== 'string' || content.length === 0) {
    throw qrImageValidationError('content', 'must be a non-empty string');
  }
  let symbol: ReturnType<typeof create>;
  try {
    symbol = create(content, { errorCorrectionLevel: level });
  } catch (error) {
    const reason = error instanceof Error ? error.message.trim() : String(error);
    throw qrImageValidationError(
      'content',
      /too big/i.test(reason)
        ? `is too long for a QR code at error-correction level ${level} (${content.length} characters); shorten it or use a lower level`
        : `cannot be encoded as a QR code: ${reason}`,
      error,
    );
  }
  const { size, data } = symbol.modules;
  const modules = new Uint8Array(size * size);
  for (let index = 0; index < modules.length; index++) modules[index] = data[index] ? 1 : 0;
  return { size, version: symbol.version, level, modules };
}
