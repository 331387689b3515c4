import type * as z from 'zod/v4';
import { humanize } from './meta.ts';
import { type AnyDef, defOf, type UnwrappedField, unwrapField } from './unwrap.ts';

/** Walking an input schema: nested shapes, list items, and where an issue path leads. */

/** Dotted paths of the fields (nested ones included) that have no explicit `.meta({ label })`. */
export function unlabelledFields(schema: z.ZodObject): string[] {
  return fieldsWithout(schema, (meta) => !meta.label);
}

/** Dotted paths of the fields (nested ones included) that have no `.meta({ description })` (help text). */
export function undescribedFields(schema: z.ZodObject): string[] {
  return fieldsWithout(schema, (meta) => !meta.description);
}

function fieldsWithout(schema: z.ZodObject, lacks: (meta: UnwrappedField['meta']) => boolean): string[] {
  const out: string[] = [];
  const walk = (shape: Record<string, z.ZodType>, prefix: string) => {
    for (const [key, field] of Object.entries(shape)) {
      const { schema: inner, meta } = unwrapField(field);
      const path = `${prefix}${key}`;
      if (lacks(meta)) out.push(path);
      const def = defOf(inner);
      if (def.type === 'object') walk(def.shape ?? {}, `${path}.`);
      if (def.type === 'array' && def.element) {
        const item = unwrapField(def.element).schema;
        if (defOf(item).type === 'object') walk(defOf(item).shape ?? {}, `${path}[].`);
      }
    }
  };
  walk(schema.shape as Record<string, z.ZodType>, '');
  return out;
}

/** The shape of a (possibly wrapped) object schema, or undefined for anything else. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(unwrapField(schema).schema);
  return def.type === 'object' ? (def.shape ?? {}) : undefined;
}

/** Whether an object schema rejects or keeps unknown keys itself (`strictObject` / `looseObject`). */
export function hasCatchall(schema: z.ZodType): boolean {
  return defOf(unwrapField(schema).schema).catchall !== undefined;
}

/** The item schema of a (possibly wrapped) array schema, or undefined. */
export function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(unwrapField(schema).schema);
  return def.type === 'array' ? def.element : undefined;
}

/** Where a dotted issue path leads in a schema: the label of every step, and the field it ends at (if known). */
export interface FieldAtPath {
  /** `['QR Codes', 'item 4', 'Destination URL']` for `items.3.url`; humanised keys where there is no label. */
  labels: string[];
  field: UnwrappedField | undefined;
}

/** The member of a union that a path segment can step into (a list for an index, an object with that key). */
function unionStep(options: z.ZodType[], segment: PropertyKey): z.ZodType | undefined {
  for (const option of options) {
    const def = defOf(unwrapField(option).schema);
    if (typeof segment === 'number' && def.type === 'array') return option;
    if (def.type === 'object' && def.shape && String(segment) in def.shape) return option;
    if (def.type === 'record') return option;
  }
  return undefined;
}

/** Follows an issue path through objects, lists, records and unions, collecting each step's label. */
export function fieldAtPath(schema: z.ZodType, path: readonly PropertyKey[]): FieldAtPath {
  const labels: string[] = [];
  let current: z.ZodType | undefined = schema;
  let field: UnwrappedField | undefined;
  for (const segment of path) {
    let def: AnyDef | undefined = current ? defOf(unwrapField(current).schema) : undefined;
    if (current && def?.type === 'union') {
      current = unionStep(def.options ?? [], segment);
      def = current ? defOf(unwrapField(current).schema) : undefined;
    }
    let next: z.ZodType | undefined;
    if (typeof segment === 'number') next = def?.type === 'array' ? def.element : undefined;
    else if (def?.type === 'object') next = def.shape?.[String(segment)] ?? def.catchall;
    else if (def?.type === 'record') next = def.valueType;
    field = next ? unwrapField(next) : undefined;
    // a list item is "item 4" (1-based, as a user counts), a field its label
    labels.push(typeof segment === 'number' ? `item ${segment + 1}` : (field?.meta.label ?? humanize(String(segment))));
    current = next;
  }
  return { labels, field };
}

/** Every dynamic option source the given operations' fields use, nested fields included, sorted. */
