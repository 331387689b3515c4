import { CodeQrError } from '../errors.ts';
import { qrColorToHex } from '../schemas/colors.ts';
import type { QrCode } from '../schemas/qr-code.ts';

/**
 * How upsert tells "unchanged" from "updated": every field the caller set is compared with the QR code CodeQR holds,
 * after the normalisation CodeQR itself applies, so an upsert that changes nothing writes nothing.
 */

/** Fields that are request-only (nothing to compare them with) or compared separately (tags). */
const NOT_COMPARABLE = new Set(['prefix', 'webhookIds', 'templateId', 'useAsTemplate', 'tagId', 'tagIds', 'tagNames']);
const COLOR_FIELDS = new Set(['bgColor', 'fgColor', 'frameColor', 'frameTextColor']);
const DATE_FIELDS = new Set(['expiresAt']);

/** `#FFF`, `#ffffff`, `#ffffffff` and `white` are one colour: lower-case long hex, opaque alpha dropped. */
export function canonicalColor(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const color = qrColorToHex(value) ?? value.trim().toLowerCase();
  return /^#[0-9a-f]{6}ff$/.test(color) ? color.slice(0, 7) : color;
}

/** A list as hosts send it: an array, or text separated by commas or newlines. */
export function splitList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(/[,\n]/))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A value in a form where equal meaning gives equal JSON: object keys sorted, unset (undefined/null) keys dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && v !== null) out[key] = canonical(v);
    }
    return out;
  }
  return value ?? null;
}

function normalised(field: string, value: unknown): string {
  if (COLOR_FIELDS.has(field)) return JSON.stringify(canonicalColor(value) ?? null);
  if (DATE_FIELDS.has(field) && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return JSON.stringify(Date.parse(value));
  }
  return JSON.stringify(canonical(value));
}

const sameSet = (a: string[], b: string[]) => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/**
 * The fields of `input` whose value differs from the QR code's, as a patch. Objects are compared whatever their key
 * order, colours and dates by meaning, tags by id or (case-insensitive) name whether given as a list or as text.
 * Tags the answer did not include (`tags: null`) count as different, so they are sent rather than assumed.
 */
export function changedFields(existing: QrCode, input: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const current = existing as Record<string, unknown>;
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || NOT_COMPARABLE.has(field)) continue;
    if (field === 'externalId' && typeof value === 'string' && sameExternalId(value, existing.externalId)) continue;
    if (normalised(field, current[field]) !== normalised(field, value)) patch[field] = value;
  }
  // tags: by id, or by case-insensitive name; unknown tags (`null`: not in the answer) count as different
  const tagsAre = (values: string[], of: (tag: { id: string; name: string }) => string) =>
    !!existing.tags && sameSet(values, existing.tags.map(of));
  if (input.tagIds !== undefined || input.tagId !== undefined) {
    const ids = [...(splitList(input.tagIds) ?? []), ...(splitList(input.tagId) ?? [])];
    if (!tagsAre(ids, (t) => t.id)) {
      if (input.tagIds !== undefined) patch.tagIds = splitList(input.tagIds);
      if (input.tagId !== undefined) patch.tagId = input.tagId;
    }
  }
  const names = splitList(input.tagNames);
  if (
    names &&
    !tagsAre(
      names.map((n) => n.toLowerCase()),
      (t) => t.name.toLowerCase(),
    )
  )
    patch.tagNames = names;
  return patch;
}

/**
 * The externalIds a code created with `externalId` may be stored under, the one sent first. Dub's link schema (which
 * CodeQR's server descends from) drops a leading `ext_` on create; CodeQR's docs and the sandbox keep it. So `ext_X`
 * also matches a code stored as `X` (only when no code is stored as `ext_X` itself, where lookups are concerned).
 */
export function externalIdForms(externalId: string): string[] {
  return externalId.startsWith('ext_') && externalId.length > 4 ? [externalId, externalId.slice(4)] : [externalId];
}

/** Whether a code stored with externalId `stored` is the one created with `sent` (see `externalIdForms`). */
export function sameExternalId(sent: string | null | undefined, stored: string | null | undefined): boolean {
  if (!sent || !stored) return !sent && !stored;
  return externalIdForms(sent).includes(stored);
}

/** Fields that make a QR code the one that was sent: a code with our externalId but another of these is not ours. */
const IDENTITY_FIELDS = ['url', 'domain', 'key', 'type'] as const;

/** The identity fields `body` sets to another value than `current` has (compared as CodeQR stores them). */
export function identityDifferences(body: Record<string, unknown>, current: Record<string, unknown>): string[] {
  return IDENTITY_FIELDS.filter(
    (field) => body[field] !== undefined && normalised(field, body[field]) !== normalised(field, current[field]),
  );
}

/**
 * `existing` (found by the externalId we sent) if it is the QR code we asked for; a clear `conflict` (carrying the
 * externalId) when a different QR code already uses that externalId.
 */
export function ownCode(
  existing: QrCode,
  externalId: string,
  body: Record<string, unknown>,
  conflict?: unknown,
): QrCode {
  const differs = identityDifferences(body, existing as Record<string, unknown>);
  if (differs.length === 0) return existing;
  throw new CodeQrError({
    code: 'conflict',
    status: 409,
    message: `A different QR code already uses externalId "${externalId}" (its ${differs.join(', ')} ${differs.length === 1 ? 'differs' : 'differ'}); use another externalId or upsert it.`,
    cause: conflict,
  });
}
