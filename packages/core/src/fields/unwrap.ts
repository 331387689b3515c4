import type * as z from 'zod/v4';
import { type FieldMeta, ownMeta } from './meta.ts';

/** Reading zod's definitions: a field's wrappers peeled off, with their metadata merged. */

export interface AnyDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  catchall?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  defaultValue?: unknown;
}

interface Bag {
  format?: string;
  minimum?: number;
  maximum?: number;
}

/** The untyped zod definition of a schema (`type`, `shape`, `element`, `innerType`, ...). */
export const defOf = (schema: z.ZodType): AnyDef => schema._zod.def as unknown as AnyDef;
/** What zod's checks recorded about a schema (`format`, `minimum`, `maximum`). */
export const bagOf = (schema: z.ZodType): Bag => (schema._zod as unknown as { bag?: Bag }).bag ?? {};

/** A field with its wrappers peeled off. */
export interface UnwrappedField {
  /** The innermost schema (a string, object, enum, array, union, ...). */
  schema: z.ZodType;
  /** Metadata merged from every wrapper; the outermost wins. */
  meta: FieldMeta;
  /** Absent is allowed (optional, or has a default). */
  optional: boolean;
  nullable: boolean;
  /** The outermost `.default()` / `.prefault()`, when there is one. */
  default?: { value: unknown };
}

/**
 * Peels `optional`, `nullable` (so `nullish`), `default`, `prefault`, `catch`, `readonly`, `nonoptional`, `lazy` and
 * `pipe` (its input side) off a field, merging the `.meta()` of every layer.
 */
export function unwrapField(schema: z.ZodType): UnwrappedField {
  const metas: FieldMeta[] = [];
  let current = schema;
  let nullable = false;
  let dflt: { value: unknown } | undefined;
  for (let depth = 0; depth < 64; depth++) {
    metas.push(ownMeta(current));
    const def = defOf(current);
    let next: z.ZodType | undefined;
    switch (def.type) {
      case 'optional':
      case 'nonoptional':
      case 'catch':
      case 'readonly':
        next = def.innerType;
        break;
      case 'nullable':
        nullable = true;
        next = def.innerType;
        break;
      case 'default':
      case 'prefault':
        dflt ??= { value: def.defaultValue };
        next = def.innerType;
        break;
      case 'pipe':
        next = def.in;
        break;
      case 'lazy':
        next = def.getter?.();
        break;
    }
    if (!next) break;
    current = next;
  }
  const meta = Object.assign({}, ...metas.reverse()) as FieldMeta;
  return {
    schema: current,
    meta,
    optional: schema._zod.optin === 'optional',
    nullable,
    ...(dflt ? { default: dflt } : {}),
  };
}
