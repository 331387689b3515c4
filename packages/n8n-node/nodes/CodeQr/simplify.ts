/**
 * The "Simplify" output option: a QR code is about 72 fields, heavy for an AI agent's context; simplified, it is the
 * handful below (`SIMPLE_FIELDS`, in the README). A list, an upsert outcome or a bulk result keeps its shape, with
 * each QR code in it simplified.
 */
import type { AnyAction } from '@codeqr-integrations/core/base';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** What this file needs of a node operation. */
type Entry = { op: AnyAction };

/** The n8n parameter. */
export const SIMPLIFY = 'simplify';

/** What a simplified QR code keeps. */
export const SIMPLE_FIELDS = [
  'id',
  'type',
  'title',
  'url',
  'shortLink',
  'domain',
  'key',
  'externalId',
  'scans',
  'createdAt',
] as const;

const isQrCode = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  ['id', 'shortLink', 'scans'].every((key) => key in value);

/** The operations answering QR codes (one, an upsert outcome, a list, or per-item results), seen in their sample. */
export function isSimplifiable(entry: Entry): boolean {
  const sample: unknown = entry.op.sample;
  const first = Array.isArray(sample) ? sample[0] : sample;
  return isQrCode(first) || isQrCode((first as { qrCode?: unknown } | undefined)?.qrCode);
}

export const simplifyProperty = (show: Record<string, string[]>): INodeProperties => ({
  displayName: 'Simplify',
  name: SIMPLIFY,
  type: 'boolean',
  default: false,
  displayOptions: { show },
  description: `Whether to return a simplified version of each QR code (${SIMPLE_FIELDS.join(', ')}) instead of all its fields`,
});

function simplifyQrCode(qrCode: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_FIELDS) if (key in qrCode) out[key] = qrCode[key];
  return out;
}

/** `value` with every QR code in it (itself, its `qrCode`, or a list's elements) simplified. */
export function simplifyValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(simplifyValue);
  if (isQrCode(value)) return simplifyQrCode(value);
  if (typeof value === 'object' && value !== null && isQrCode((value as { qrCode?: unknown }).qrCode)) {
    const { qrCode, ...rest } = value as { qrCode: Record<string, unknown> };
    return { ...rest, qrCode: simplifyQrCode(qrCode) };
  }
  return value;
}

/** The answer as the node outputs it for this item: simplified when the item's Simplify is on. */
export function simplified(ctx: IExecuteFunctions, entry: Entry, value: unknown, itemIndex: number): unknown {
  if (!isSimplifiable(entry) || ctx.getNodeParameter(SIMPLIFY, itemIndex, false) !== true) return value;
  return simplifyValue(value);
}
