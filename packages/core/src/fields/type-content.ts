import type { FieldSpec } from './describe.ts';

/**
 * Keys named like a QR-code type that are not that type's content: `geo` is country targeting (`{COUNTRY: url}`); a
 * Geo-type code has no content field of its own (CodeQR reads its coordinates from that targeting field).
 */
const NOT_CONTENT: ReadonlySet<string> = new Set(['geo']);

/** An input's QR-code type field and, per type, the field holding that type's content. */
export interface TypeContent {
  /** The `type` field (an enum). */
  type: FieldSpec;
  /** Per type value, its content field: the field keyed like the type (`wifi`, `vcard`); none for Geo. */
  content: Map<string, FieldSpec>;
}

/**
 * The type field and each type's content field, when an input has both (create, update, upsert): what a host form
 * shows once a type is picked. One rule for every host, so no host keeps its own list of exceptions.
 */
export function typeContent(specs: readonly FieldSpec[]): TypeContent | undefined {
  const type = specs.find((spec) => spec.key === 'type' && spec.kind === 'enum' && spec.options?.length);
  if (!type?.options) return undefined;
  const content = new Map<string, FieldSpec>();
  for (const option of type.options) {
    const value = String(option.value);
    const spec = NOT_CONTENT.has(value) ? undefined : specs.find((s) => s.key === value);
    if (spec) content.set(value, spec);
  }
  return content.size > 0 ? { type, content } : undefined;
}
