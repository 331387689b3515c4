import { CodeQrError } from '../errors.ts';
import { QR_LEVELS, type QrLevel } from '../schemas/common.ts';

/** How to draw a QR code locally. Every field is optional; the defaults match CodeQR's own. */
export interface QrImageOptions {
  /** Width (= height) of the whole image in pixels, quiet zone included. 16-4096, default 1024. */
  size?: number;
  /** Colour of the dark modules: `#rgb`, `#rrggbb` or `#rrggbbaa`. Default `#000000`. */
  fgColor?: string;
  /** Colour of the light modules and the quiet zone: `#rgb`, `#rrggbb` or `#rrggbbaa`. Default `#ffffff`. */
  bgColor?: string;
  /** Error-correction level, `L` (7%), `M` (15%), `Q` (25%) or `H` (30%). Default `M`. */
  level?: QrLevel;
  /** Quiet zone around the code, in modules. 0-16, default 4. */
  margin?: number;
}

export const QR_IMAGE_DEFAULTS = {
  size: 1024,
  fgColor: '#000000',
  bgColor: '#ffffff',
  level: 'M',
  margin: 4,
} as const satisfies Required<QrImageOptions>;

export const QR_IMAGE_MIN_SIZE = 16;
export const QR_IMAGE_MAX_SIZE = 4096;
export const QR_IMAGE_MAX_MARGIN = 16;

/** An 8-bit-per-channel colour. */
export interface QrImageRgba {
  r: number;
  g: number;
  b: number;
  /** 0 (transparent) - 255 (opaque). */
  a: number;
}

/** Options after validation, with defaults applied. */
export interface ResolvedQrImageOptions {
  size: number;
  fg: QrImageRgba;
  bg: QrImageRgba;
  level: QrLevel;
  margin: number;
}

/** A `validation_error` naming the offending field. */
export function qrImageValidationError(field: string, message: string, cause?: unknown): CodeQrError {
  return new CodeQrError({
    code: 'validation_error',
    message: `Invalid ${field}: ${message}`,
    issues: [{ field, message }],
    cause,
  });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** `#rgb`, `#rrggbb` or `#rrggbbaa`. */
export const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Parses `#rgb`, `#rrggbb` or `#rrggbbaa`; throws a `validation_error` naming `field` otherwise. */
export function parseQrImageColor(value: unknown, field: string): QrImageRgba {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text !== 'string' || !HEX_COLOR.test(text)) {
    throw qrImageValidationError(
      field,
      `${describe(value)} is not a hex colour; use #rgb, #rrggbb or #rrggbbaa, e.g. #000000`,
    );
  }
  let hex = text.slice(1);
  if (hex.length === 3) hex = hex.replace(/./g, (digit) => digit + digit);
  const channel = (index: number): number => Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return { r: channel(0), g: channel(1), b: channel(2), a: hex.length === 8 ? channel(3) : 255 };
}

function integerOption(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw qrImageValidationError(field, `${describe(value)} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function levelOption(value: unknown): QrLevel {
  if (value === undefined || value === null) return QR_IMAGE_DEFAULTS.level;
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  const level = QR_LEVELS.find((candidate) => candidate === upper);
  if (level === undefined) {
    throw qrImageValidationError('level', `${describe(value)} must be one of ${QR_LEVELS.join(', ')}`);
  }
  return level;
}

/** Validates caller-supplied options (which may come untyped from a workflow) and applies the defaults. */
export function resolveQrImageOptions(options: QrImageOptions | null | undefined): ResolvedQrImageOptions {
  const input: QrImageOptions = options ?? {};
  if (typeof input !== 'object') {
    throw qrImageValidationError('options', `${describe(options)} must be an object`);
  }
  return {
    size: integerOption(input.size, 'size', QR_IMAGE_MIN_SIZE, QR_IMAGE_MAX_SIZE, QR_IMAGE_DEFAULTS.size),
    fg: parseQrImageColor(input.fgColor ?? QR_IMAGE_DEFAULTS.fgColor, 'fgColor'),
    bg: parseQrImageColor(input.bgColor ?? QR_IMAGE_DEFAULTS.bgColor, 'bgColor'),
    level: levelOption(input.level),
    margin: integerOption(input.margin, 'margin', 0, QR_IMAGE_MAX_MARGIN, QR_IMAGE_DEFAULTS.margin),
  };
}
