/** Reads a rendered QR code back: the PNG's pixels through jsqr, as a phone's camera would read the printed code. */
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is a UMD bundle whose module.exports is the function itself, while its typings declare a default export.
type JsQr = typeof jsQRModule.default;
const jsQR: JsQr = (jsQRModule as unknown as { default?: JsQr }).default ?? (jsQRModule as unknown as JsQr);

/** The text a bitmap's QR code encodes (RGBA pixels, row by row), or undefined when none can be read. */
export function scanQr(rgba: Uint8Array, width: number, height: number): string | undefined {
  return jsQR(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length), width, height)?.data;
}

/** The text a PNG's QR code encodes, or undefined when none can be read. */
export function decodeQrPng(png: Uint8Array): string | undefined {
  const image = PNG.sync.read(Buffer.from(png));
  return scanQr(image.data, image.width, image.height);
}
