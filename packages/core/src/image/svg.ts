import { createQrMatrix, type QrMatrix } from './matrix.ts';
import { type QrImageOptions, type QrImageRgba, resolveQrImageOptions } from './options.ts';

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** `fill="#rrggbb"`, plus `fill-opacity` when the colour is not opaque (SVG 1.1 viewers ignore `#rrggbbaa`). */
function fillAttributes(color: QrImageRgba): string {
  const fill = `fill="#${hex(color.r)}${hex(color.g)}${hex(color.b)}"`;
  if (color.a === 255) return fill;
  return `${fill} fill-opacity="${Number((color.a / 255).toFixed(3))}"`;
}

/**
 * One path for all dark modules: each horizontal run of dark modules in a row is a `1`-module-high rectangle, in
 * module units (the quiet zone included), so the viewBox scales it to any pixel size.
 */
export function qrMatrixToSvgPath(matrix: QrMatrix, margin: number): string {
  const { size, modules } = matrix;
  let path = '';
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (modules[row * size + col] !== 1) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules[row * size + col] === 1) col++;
      const run = col - start;
      path += `M${start + margin} ${row + margin}h${run}v1h-${run}z`;
    }
  }
  return path;
}

/**
 * Renders `content` as a QR code SVG document (no network), `size` x `size` pixels with a `margin`-module quiet zone.
 * Throws a `validation_error` CodeQrError naming the field for bad options or content that does not fit.
 */
export function renderQrSvg(content: string, options?: QrImageOptions): string {
  const { size, fg, bg, level, margin } = resolveQrImageOptions(options);
  const matrix = createQrMatrix(content, level);
  const total = matrix.size + margin * 2;
  const background = bg.a === 0 ? '' : `<rect width="${total}" height="${total}" ${fillAttributes(bg)}/>`;
  const path = qrMatrixToSvgPath(matrix, margin);
  const foreground = path === '' || fg.a === 0 ? '' : `<path ${fillAttributes(fg)} d="${path}"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${size}" height="${size}" ` +
    `viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges">${background}${foreground}</svg>\n`
  );
}
