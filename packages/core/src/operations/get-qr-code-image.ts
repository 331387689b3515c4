import * as z from 'zod/v4';
import type { CodeQrClient } from '../create-client.ts';
import { keepMeta, withMeta } from '../fields/meta.ts';
import { qrImageContent } from '../image/content.ts';
import { QR_IMAGE_MAX_MARGIN } from '../image/options.ts';
import { renderQrPng } from '../image/png.ts';
import { renderQrSvg } from '../image/svg.ts';
import { isQrColor, QR_COLOR_RULE, qrColorToHex } from '../schemas/colors.ts';
import { QrLevel } from '../schemas/common.ts';
import { type QrCode, QrCodeFields } from '../schemas/qr-code.ts';
import { toBase64 } from './base64.ts';
import { defineOperation } from './define.ts';
import { qrCodeIdField } from './qr-code-input.ts';

const F = QrCodeFields.shape;
const colorMessage = `must be ${QR_COLOR_RULE}`;
const advanced = true;

/** Default image width in pixels (quiet zone included). */
export const QR_IMAGE_OPERATION_DEFAULT_SIZE = 512;

/** Built on first use (see `defineOperation`): importing the registry constructs no operation's schemas. */
const imageInput = () =>
  z
    .object({
      id: withMeta(qrCodeIdField().optional(), {
        description: 'Render this QR code (its short link, or static content).',
      }),
      externalId: keepMeta(F.externalId, F.externalId.unwrap().unwrap().optional(), {
        description: 'Render the QR code with this External ID.',
        advanced,
      }),
      content: withMeta(z.string().min(1).max(2953).optional(), {
        label: 'Content',
        description: 'Render any text or URL instead of a CodeQR QR code (nothing is looked up).',
        placeholder: 'https://example.com',
        advanced,
      }),
      format: withMeta(z.enum(['png', 'svg']).default('png'), {
        label: 'Format',
        description: 'PNG (an image file) or SVG (vector text).',
        optionLabels: { png: 'PNG', svg: 'SVG' },
      }),
      size: withMeta(F.size.default(QR_IMAGE_OPERATION_DEFAULT_SIZE), {
        description: 'Width and height in pixels (16-4096), quiet zone included.',
      }),
      fgColor: keepMeta(F.fgColor, F.fgColor.refine(isQrColor, colorMessage).optional(), {
        description: "Colour of the modules; defaults to the QR code's own (else #000000).",
        advanced,
      }),
      bgColor: keepMeta(F.bgColor, F.bgColor.refine(isQrColor, colorMessage).optional(), {
        description: "Background colour; defaults to the QR code's own (else #ffffff).",
        advanced,
      }),
      level: withMeta(F.level.optional(), {
        description: "Error correction; defaults to the QR code's own (else M).",
        initial: 'M',
        advanced,
      }),
      margin: withMeta(z.number().int().min(0).max(QR_IMAGE_MAX_MARGIN).optional(), {
        label: 'Margin (modules)',
        description: 'Quiet zone around the code, in modules (default 4, as the QR standard asks).',
        initial: 4,
        advanced,
      }),
    })
    .superRefine((input, ctx) => {
      const sources = (['id', 'externalId', 'content'] as const).filter((field) => input[field] !== undefined);
      if (sources.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['id'], message: 'is required (or externalId, or content)' });
      }
      if (sources.length > 1) {
        for (const field of sources) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'pass exactly one of id, externalId or content' });
        }
      }
    });
type ImageInput = z.output<ReturnType<typeof imageInput>>;

export const QrImage = z.object({
  mimeType: withMeta(z.enum(['image/png', 'image/svg+xml']), { label: 'MIME Type' }),
  fileName: withMeta(z.string().min(1), { label: 'File Name' }),
  /** How `data` is encoded: base64 for PNG, the SVG text itself for SVG. */
  encoding: withMeta(z.enum(['base64', 'utf8']), { label: 'Encoding' }),
  data: withMeta(z.string().min(1), { label: 'Data', description: 'Base64 PNG bytes, or the SVG text.' }),
  content: withMeta(z.string().min(1), { label: 'Encoded Content', description: 'What the QR code encodes.' }),
  qrCodeId: withMeta(z.string().optional(), { label: 'QR Code ID' }),
  size: withMeta(z.number().int(), { label: 'Size (px)' }),
});
export type QrImage = z.infer<typeof QrImage>;

/** The hex form of a colour (a CSS name too), or undefined for none or one CodeQR would not keep either. */
const hexOf = (value: string | null | undefined) => (value ? qrColorToHex(value) : undefined);
const validLevel = (value: string | null | undefined): QrLevel | undefined => QrLevel.safeParse(value).data;

function fileStem(qr: QrCode | undefined): string {
  const raw = qr ? `qr-${qr.key || qr.id}` : 'qr-code';
  return raw
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 100);
}

async function renderImage(client: CodeQrClient, input: ImageInput): Promise<QrImage> {
  let qr: QrCode | undefined;
  if (input.id) qr = await client.qrcodes.get({ id: input.id });
  else if (input.externalId) qr = await client.qrcodes.get({ externalId: input.externalId });
  const content = qr ? qrImageContent(qr) : (input.content ?? '');
  const options = {
    size: input.size,
    fgColor: hexOf(input.fgColor) ?? hexOf(qr?.fgColor),
    bgColor: hexOf(input.bgColor) ?? hexOf(qr?.bgColor),
    level: input.level ?? validLevel(qr?.level),
    margin: input.margin,
  };
  const base = { content, size: input.size, ...(qr ? { qrCodeId: qr.id } : {}) };
  if (input.format === 'svg') {
    const svg = renderQrSvg(content, options);
    return { ...base, mimeType: 'image/svg+xml', fileName: `${fileStem(qr)}.svg`, encoding: 'utf8', data: svg };
  }
  const png = renderQrPng(content, options);
  return { ...base, mimeType: 'image/png', fileName: `${fileStem(qr)}.png`, encoding: 'base64', data: toBase64(png) };
}

export const getQrCodeImage = defineOperation({
  key: 'getQrCodeImage',
  answers: 'file',
  resource: 'qrCode',
  verb: 'getImage',
  title: 'Get QR Code Image',
  description:
    'Renders a QR code as PNG or SVG: a CodeQR QR code (in its own colours unless overridden) or any content.',
  get input() {
    return imageInput();
  },
  output: QrImage,
  sample: {
    mimeType: 'image/svg+xml',
    fileName: 'qr-spring-menu.svg',
    encoding: 'utf8',
    data:
      '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="512" height="512" viewBox="0 0 33 33" ' +
      'shape-rendering="crispEdges"><rect width="33" height="33" fill="#ffffff"/>' +
      '<path fill="#1a1a2e" d="M4 4h7v1h-7zM13 4h2v1h-2z"/></svg>\n',
    content: 'https://cqr.link/spring-menu',
    qrCodeId: 'cm8x2k4qz0001l80f7h3b9d2e',
    size: 512,
  },
  run: renderImage,
});
