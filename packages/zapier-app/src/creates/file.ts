/**
 * A create that answers a rendered image (Get QR Code Image): the image is stashed with `z.stashFile` and answered as
 * a Zapier file, so later steps (email, Drive, Slack) can attach it.
 */
import type { Operation } from '@codeqr-integrations/core/base';
import type { ZObject } from 'zapier-platform-core';
import { outputFieldsFor } from '../output-fields.ts';
import { inputOf, labelsOf, step } from '../step.ts';
import type { ZapierOperation } from '../types.ts';

/** Core's rendered image as a Zapier file: stashed, so later steps (email, Drive, Slack) can attach it. */
interface RenderedImage {
  mimeType: string;
  fileName: string;
  encoding: 'base64' | 'utf8';
  data: string;
  [key: string]: unknown;
}
const STASHED_SAMPLE_URL = 'https://zapier-dev-files.s3.amazonaws.com/cli-platform/20260314/qr-spring-menu.png';

async function stashImage(z: ZObject, image: RenderedImage): Promise<Record<string, unknown>> {
  const { data, encoding, ...rest } = image;
  const bytes = Buffer.from(data, encoding === 'base64' ? 'base64' : 'utf8');
  const file = await z.stashFile(bytes, bytes.length, image.fileName, image.mimeType);
  return { file, ...rest };
}

/** The operation of a file create: its perform, a `file` output field instead of the image's data, and a sample. */
export function fileOperation(op: Operation): Omit<ZapierOperation['operation'], 'inputFields'> {
  const labelOf = labelsOf(op);
  const { data: _data, encoding: _encoding, ...rest } = op.sample as RenderedImage;
  return {
    perform: (z, bundle) =>
      step(z, labelOf, async (client) => stashImage(z, (await op.execute(client, inputOf(bundle))) as RenderedImage)),
    outputFields: [
      { key: 'file', label: 'File', type: 'file' },
      ...outputFieldsFor(op.output).filter((f) => f.key !== 'data' && f.key !== 'encoding'),
    ],
    sample: {
      file: STASHED_SAMPLE_URL.replace(/png$/, rest.mimeType === 'image/svg+xml' ? 'svg' : 'png'),
      ...rest,
    },
  };
}
