import type * as z from 'zod/v4';
import { type DynamicOptionSource, type FieldMeta, humanize, ownMeta } from './meta.ts';

/** What kind of input a field is, independent of any host. */
export const FIELD_KINDS = [
  'string',
  'number',
  'boolean',
  'enum',
  'stringList',
  'datetime',
  'json',
  'object',
  'url',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldOption {
  value: string | number | boolean;
  label: string;
}

/** A host-neutral description of one input field, derived from a zod schema and its `.meta()`. */
export interface FieldSpec {
  key: string;
  /** The `.meta()` label, else the humanised key. */
  label: string;
  description?: string;
  placeholder?: string;
  example?: unknown;
  /** The field must be present (it has no `.optional()` / `.default()`). */
  required: boolean;
  default?: unknown;
  kind: FieldKind;
  /** Choices of an `enum` (or of a `stringList` of enum values). */
  options?: FieldOption[];
  /** Choices come from the account: see `listOptions` / `DYNAMIC_OPTIONS`. */
  dynamic?: DynamicOptionSource;
  advanced: boolean;
  /** Sub-fields of an `object`, or of each item of a `json` list of objects. */
  children?: FieldSpec[];
  /** Bounds: the value for a `number`, the length for a string kind, the item count for a list. */
  min?: number;
  max?: number;
}

interface AnyDef {
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

const isStringLike = (type: string) => type === 'string' || type === 'enum' || type === 'literal';

function enumOptions(schema: z.ZodType, meta: FieldMeta): FieldOption[] | undefined {
  const def = defOf(schema);
  const values =
    def.type === 'enum' ? Object.values(def.entries ?? {}) : def.type === 'literal' ? (def.values ?? []) : undefined;
  if (!values) return undefined;
  return values
    .filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v))
    .map((value) => ({ value, label: meta.optionLabels?.[String(value)] ?? humanize(String(value)) }));
}

/** Bounds worth showing: the value for a number, the length for a string, the item count for a list. */
export function bounds(schema: z.ZodType): Pick<FieldSpec, 'min' | 'max'> {
  const bag = bagOf(schema);
  const out: Pick<FieldSpec, 'min' | 'max'> = {};
  // `.int()` alone records the safe-integer range: not a bound worth showing
  const real = (n: unknown): n is number => typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (real(bag.minimum)) out.min = bag.minimum;
  if (real(bag.maximum)) out.max = bag.maximum;
  return out;
}

type Shape = Omit<FieldSpec, 'key' | 'label' | 'required' | 'advanced'>;

function stringKind(schema: z.ZodType, meta: FieldMeta): FieldKind {
  const format = bagOf(schema).format;
  if (format === 'url' || meta.format === 'uri') return 'url';
  if (format === 'datetime' || format === 'date' || meta.format === 'date-time' || meta.format === 'date') {
    return 'datetime';
  }
  return 'string';
}

function shapeOf(schema: z.ZodType, meta: FieldMeta): Shape {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { kind: stringKind(schema, meta), ...bounds(schema) };
    case 'number':
    case 'int':
    case 'bigint':
      return { kind: 'number', ...bounds(schema) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'date':
      return { kind: 'datetime' };
    case 'enum':
    case 'literal': {
      const options = enumOptions(schema, meta);
      return options ? { kind: 'enum', options } : { kind: 'json' };
    }
    case 'object':
      return { kind: 'object', children: describeShape(def.shape ?? {}) };
    case 'array': {
      const item = def.element ? unwrapField(def.element) : undefined;
      const itemType = item ? defOf(item.schema).type : 'unknown';
      if (item && isStringLike(itemType)) {
        const options = itemType === 'string' ? undefined : enumOptions(item.schema, { ...item.meta, ...meta });
        return { kind: 'stringList', ...(options ? { options } : {}), ...bounds(schema) };
      }
      if (item && itemType === 'object') {
        return { kind: 'json', children: describeShape(defOf(item.schema).shape ?? {}), ...bounds(schema) };
      }
      return { kind: 'json', ...bounds(schema) };
    }
    case 'union': {
      const members = (def.options ?? []).map((option) => unwrapField(option).schema);
      const types = members.map((member) => defOf(member).type);
      const listOfStrings = (member: z.ZodType) => {
        const d = defOf(member);
        return d.type === 'array' && !!d.element && isStringLike(defOf(unwrapField(d.element).schema).type);
      };
      if (members.length > 0 && members.every((m) => isStringLike(defOf(m).type) || listOfStrings(m))) {
        if (members.some(listOfStrings)) return { kind: 'stringList' };
        if (types.includes('string')) return { kind: 'string' };
        const options = members.flatMap((m) => enumOptions(m, meta) ?? []);
        return { kind: 'enum', options };
      }
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

function describeField(key: string, schema: z.ZodType): FieldSpec {
  const field = unwrapField(schema);
  const { meta } = field;
  const spec: FieldSpec = {
    key,
    label: meta.label ?? humanize(key),
    required: !field.optional,
    advanced: meta.advanced === true,
    ...shapeOf(field.schema, meta),
  };
  if (meta.description !== undefined) spec.description = meta.description;
  if (meta.placeholder !== undefined) spec.placeholder = meta.placeholder;
  if (meta.example !== undefined) spec.example = meta.example;
  if (field.default) spec.default = field.default.value;
  if (meta.options) spec.dynamic = meta.options;
  return spec;
}

function describeShape(shape: Record<string, z.ZodType>): FieldSpec[] {
  return Object.entries(shape).map(([key, schema]) => describeField(key, schema));
}

/**
 * Host-neutral specs of an object schema's fields, in declaration order: what every host's field builder maps from.
 * Wrappers are unwrapped and their `.meta()` merged; a field without a `label` falls back to its humanised key.
 */
export function describeFields(schema: z.ZodObject): FieldSpec[] {
  return describeShape(schema.shape as Record<string, z.ZodType>);
}

/** Dotted paths of the fields (nested ones included) that have no explicit `.meta({ label })`. */
export function unlabelledFields(schema: z.ZodObject): string[] {
  const out: string[] = [];
  const walk = (shape: Record<string, z.ZodType>, prefix: string) => {
    for (const [key, field] of Object.entries(shape)) {
      const { schema: inner, meta } = unwrapField(field);
      const path = `${prefix}${key}`;
      if (!meta.label) out.push(path);
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
export function dynamicSources(ops: readonly { input: z.ZodObject }[]): DynamicOptionSource[] {
  const found = new Set<DynamicOptionSource>();
  const walk = (specs: readonly FieldSpec[]) => {
    for (const spec of specs) {
      if (spec.dynamic) found.add(spec.dynamic);
      if (spec.children) walk(spec.children);
    }
  };
  for (const op of ops) walk(describeFields(op.input));
  return [...found].sort();
}
