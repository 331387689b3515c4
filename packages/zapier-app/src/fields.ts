/**
 * The one mapper from core's host-neutral descriptions to Zapier's: `FieldSpec` → input fields, an output schema →
 * `outputFields`, and back from Zapier's flat field keys to the nested input core parses.
 */
import {
  CodeQrError,
  type DynamicOptionSource,
  describeFields,
  type FieldIssue,
  type FieldSpec,
} from '@codeqr-integrations/core/base';
import type * as z from 'zod/v4';
import { fieldOverride, searchFor } from './overrides.ts';

/** Zapier's input field (the subset of `PlainInputFieldSchema` this app uses). */
export interface ZapierInputField {
  key: string;
  label: string;
  type?: 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'datetime' | 'file' | 'password' | 'code' | 'json';
  required?: boolean;
  helpText?: string;
  placeholder?: string;
  default?: string;
  list?: boolean;
  choices?: { value: string; label: string; sample: string }[];
  dynamic?: string;
  search?: string;
  children?: ZapierInputField[];
  group?: string;
  altersDynamicFields?: boolean;
}

export interface ZapierOutputField {
  key: string;
  label: string;
  type?: 'string' | 'number' | 'boolean' | 'datetime' | 'file' | 'integer';
  list?: boolean;
}

/** Nested keys are flattened with Zapier's own separator: `wifi__ssid` is `wifi.ssid` in core. */
export const NESTED = '__';
/** The group that collects a form's less common fields (core's `advanced`). */
export const ADVANCED_GROUP = { key: 'advanced', label: 'Advanced Options' } as const;

/** The hidden trigger that fills one dynamic dropdown source: `qrCodes` → `qrCodesDropdown`. */
export const dropdownKey = (source: DynamicOptionSource) => `${source}Dropdown`;

const inputType = (spec: FieldSpec): ZapierInputField['type'] => {
  switch (spec.kind) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    case 'json':
      return 'text';
    default:
      return 'string';
  }
};

/**
 * Whether a list of text is a Zapier `list: true` field. Only a list of fixed choices is: Zapier sends a value
 * mapped into one slot of a list field as it is (`'A,B'` arrives as `['A,B']`, one item), so every other list
 * (tag names, IDs: values that cannot hold a comma, since CodeQR and core both split on commas) is one text field
 * that core splits on commas and line breaks; Zapier joins mapped line items into it with commas.
 */
const isZapierList = (spec: FieldSpec) => spec.kind === 'stringList' && !!spec.options && !spec.dynamic;

function helpText(spec: FieldSpec, inLine: boolean): string | undefined {
  const parts = [spec.description];
  if (spec.kind === 'json' && !spec.children) parts.push('JSON.');
  if (spec.kind === 'stringList' && (inLine || !isZapierList(spec))) {
    parts.push(
      spec.dynamic ? 'Pick one, or type or map several separated by commas.' : 'Separate several with commas.',
    );
  }
  const text = parts.filter(Boolean).join(' ');
  return text && text !== spec.label ? text : undefined;
}

interface Context {
  /** The operation, for its overrides. */
  opKey: string;
  /** Key path so far (`wifi__`), label path so far (`Wi-Fi: `). */
  prefix: string;
  labelPrefix: string;
  /** Inside a line item (children of a line-items field): no lists, no groups. */
  inLine: boolean;
  /** The parent was advanced (so its flattened children are too). */
  advanced: boolean;
  /** The core key path (`wifi.ssid`), for overrides. */
  path: string;
}

function fieldFor(spec: FieldSpec, ctx: Context): ZapierInputField[] {
  const path = ctx.path ? `${ctx.path}.${spec.key}` : spec.key;
  const advanced = ctx.advanced || spec.advanced;
  if (spec.kind === 'object') {
    return (spec.children ?? []).flatMap((child) =>
      fieldFor(child, {
        ...ctx,
        prefix: `${ctx.prefix}${spec.key}${NESTED}`,
        labelPrefix: `${ctx.labelPrefix}${spec.label}: `,
        advanced,
        path,
      }),
    );
  }
  const field: ZapierInputField = {
    key: `${ctx.prefix}${spec.key}`,
    label: `${ctx.labelPrefix}${spec.label}`,
    type: inputType(spec),
    // a nested field is required only once its parent is used: core checks that
    required: ctx.prefix === '' && spec.required,
  };
  const help = helpText(spec, ctx.inLine);
  if (help) field.helpText = help;
  if (spec.placeholder) field.placeholder = spec.placeholder;
  if (spec.default !== undefined && spec.default !== null && typeof spec.default !== 'object') {
    field.default = String(spec.default);
  }
  if (spec.dynamic) {
    field.dynamic = `${dropdownKey(spec.dynamic)}.id.name`;
    const search = searchFor(ctx.opKey, spec.dynamic);
    if (search) field.search = search;
  } else if (spec.options) {
    field.choices = spec.options.map((o) => ({ value: String(o.value), label: o.label, sample: String(o.value) }));
  }
  if (isZapierList(spec) && !ctx.inLine) field.list = true;
  if (spec.kind === 'json' && spec.children && !ctx.inLine) {
    // a list of objects: Zapier line items, one child per column (Zapier allows no help text next to children)
    delete field.type;
    delete field.helpText;
    field.children = spec.children.flatMap((child) =>
      fieldFor(child, { ...ctx, prefix: '', labelPrefix: '', inLine: true, advanced: false, path: `${path}[]` }),
    );
  }
  if (advanced && !ctx.inLine && !field.required) field.group = ADVANCED_GROUP.key;
  return [{ ...field, ...fieldOverride(ctx.opKey, path) }];
}

/** Zapier input fields for an operation's input schema, in core's order. */
export function inputFieldsFor(opKey: string, input: z.ZodObject): ZapierInputField[] {
  return describeFields(input).flatMap((spec) =>
    fieldFor(spec, { opKey, prefix: '', labelPrefix: '', inLine: false, advanced: false, path: '' }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Clearing fields on an update: core clears a field given an explicit `null`, which a Zapier form cannot send
// (a blank field is simply not sent). The update form gets a "Clear Fields" multi-select instead, whose choices are
// derived from the input schema, and its picks become those nulls before the raw input goes to core.

/** The update form's own multi-select of fields to empty (a Zapier input, never a core field). */
export const CLEAR_FIELDS_KEY = 'clearFields';
const CLEAR_FIELDS_LABEL = 'Clear Fields';

/**
 * The top-level fields of an input that can be emptied: the optional ones core takes `null` for, i.e. nullable
 * fields, and optional lists (which `null` empties). Nested fields are cleared with their parent (Wi-Fi, Email).
 */
export function clearableFields(input: z.ZodObject): FieldSpec[] {
  const shape = input.shape as Record<string, z.ZodType>;
  if (CLEAR_FIELDS_KEY in shape) return []; // core took the name: no room for the Zapier-only field
  return describeFields(input).filter(
    (spec) => !spec.required && (spec.kind === 'stringList' || shape[spec.key]?.safeParse(null).success === true),
  );
}

/** The "Clear Fields" input for the clearable fields of an update form (listed last, under Advanced Options). */
export function clearFieldsInput(clearable: FieldSpec[]): ZapierInputField {
  return {
    key: CLEAR_FIELDS_KEY,
    label: CLEAR_FIELDS_LABEL,
    type: 'string',
    list: true,
    required: false,
    helpText:
      'Fields to empty on the QR code. A field left blank above stays as it is; pick it here to remove its value ' +
      '(and leave it blank above).',
    choices: clearable.map((spec) => ({ value: spec.key, label: spec.label, sample: spec.key })),
    group: ADVANCED_GROUP.key,
  };
}

const hasValue = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(hasValue);
  if (typeof value === 'object') return Object.values(value).some(hasValue);
  return true;
};

/**
 * The raw input with the "Clear Fields" picks as explicit nulls (core's way to clear), the picks themselves
 * removed. Picks are field keys or labels, one per item or mapped as comma-separated text. A pick that is not a
 * clearable field, or a field both picked and filled in, fails the step (a `validation_error` naming both).
 */
export function applyClearFields(input: Record<string, unknown>, clearable: FieldSpec[]): Record<string, unknown> {
  const { [CLEAR_FIELDS_KEY]: picked, ...rest } = input;
  const picks = (Array.isArray(picked) ? picked : [picked])
    .flatMap((value) => (typeof value === 'string' ? value.split(/[,\n]/) : hasValue(value) ? [String(value)] : []))
    .map((pick) => pick.trim())
    .filter(Boolean);
  const issues: FieldIssue[] = [];
  for (const pick of picks) {
    const lower = pick.toLowerCase();
    const spec = clearable.find((s) => s.key.toLowerCase() === lower || s.label.toLowerCase() === lower);
    if (!spec) {
      const names = clearable.map((s) => s.label).join(', ');
      issues.push({
        field: '',
        message: `${CLEAR_FIELDS_LABEL}: "${pick}" is not a field that can be cleared (${names})`,
      });
    } else if (hasValue(rest[spec.key])) {
      issues.push({
        field: spec.key,
        message: `is filled in and also picked in ${CLEAR_FIELDS_LABEL}; leave it blank to clear it, or unpick it`,
      });
    } else rest[spec.key] = null;
  }
  if (issues.length > 0) {
    throw new CodeQrError({ code: 'validation_error', message: issues.map((i) => i.message).join('; '), issues });
  }
  return rest;
}

/** The key paths (`wifi.ssid`, `items[].url`) of every field an input has, for checking overrides. */
export function fieldPaths(input: z.ZodObject): string[] {
  const walk = (specs: FieldSpec[], prefix: string): string[] =>
    specs.flatMap((spec) => {
      const path = `${prefix}${spec.key}`;
      const nested = spec.kind === 'object' ? `${path}.` : spec.kind === 'json' ? `${path}[].` : undefined;
      return [path, ...(spec.children && nested ? walk(spec.children, nested) : [])];
    });
  return walk(describeFields(input), '');
}

/** The line-items field of an input (a list of objects), if it has one: Bulk Create's `items`. */
export function lineItemsField(input: z.ZodObject): FieldSpec | undefined {
  return describeFields(input).find((spec) => spec.kind === 'json' && spec.children);
}

/**
 * The labels a user sees, by core's dotted issue path: `wifi.ssid` → `Wi-Fi: Network Name (SSID)`, `items.2.url` →
 * `line 3, Destination URL`.
 */
export function labelFor(input: z.ZodObject, path: string): string | undefined {
  let specs: FieldSpec[] | undefined = describeFields(input);
  const labels: string[] = [];
  let line: number | undefined;
  for (const part of path.split('.').filter(Boolean)) {
    if (/^\d+$/.test(part)) {
      line = Number(part) + 1;
      continue;
    }
    const spec: FieldSpec | undefined = specs?.find((s) => s.key === part);
    if (!spec) break;
    labels.push(spec.label);
    specs = spec.children;
  }
  if (labels.length === 0) return undefined;
  if (line !== undefined && labels.length > 1) return `line ${line}, ${labels.slice(1).join(': ')}`;
  return labels.join(': ');
}

/** Zapier's flat keys back to core's nested input: `{ wifi__ssid: 'x' }` → `{ wifi: { ssid: 'x' } }`, lines too. */
export function unflatten(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    const parts = key.split(NESTED);
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      }
    }
    const leaf = parts[parts.length - 1]!;
    node[leaf] =
      Array.isArray(value) && value.every((v) => v && typeof v === 'object' && !Array.isArray(v))
        ? value.map((v) => unflatten(v as Record<string, unknown>))
        : value;
  }
  return out;
}

const outputType = (spec: FieldSpec): ZapierOutputField['type'] =>
  spec.kind === 'number' ? 'number' : spec.kind === 'boolean' ? 'boolean' : 'string';

/** Labels Zapier shows for nested output keys: `qrCode__shortLink` → `QR Code: Short Link`. */
function outputFieldsOf(specs: FieldSpec[], keyPrefix: string, labelPrefix: string): ZapierOutputField[] {
  return specs.flatMap((spec): ZapierOutputField[] => {
    const key = `${keyPrefix}${spec.key}`;
    const label = `${labelPrefix}${spec.label}`;
    if (spec.kind === 'object' && spec.children) return outputFieldsOf(spec.children, `${key}${NESTED}`, `${label}: `);
    if (spec.kind === 'json' && spec.children) return outputFieldsOf(spec.children, `${key}[]`, `${label}: `);
    return [{ key, label, type: outputType(spec), ...(spec.kind === 'stringList' ? { list: true } : {}) }];
  });
}

interface AnyDef {
  type: string;
  options?: z.ZodType[];
  element?: z.ZodType;
  in?: z.ZodType;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const defOf = (schema: z.ZodType) => schema._zod.def as unknown as AnyDef;

/** Peels pipes (transforms) and optional/nullable/default wrappers off an output schema. */
function peel(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    const def = defOf(current);
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (!next) break;
    current = next;
  }
  return current;
}

function specsOf(schema: z.ZodType): FieldSpec[] {
  const shape = defOf(peel(schema)).shape;
  return shape ? describeFields({ shape } as unknown as z.ZodObject) : [];
}

/**
 * `outputFields` from an output schema: object fields (nested ones as `a__b`, lists of objects as `a[]b`); a
 * union merges its members; an array answer is returned to Zapier as `{ rows }` (see `asZapierObject`).
 */
export function outputFieldsFor(schema: z.ZodType): ZapierOutputField[] {
  const current = peel(schema);
  const def = defOf(current);
  const members = def.type === 'union' ? (def.options ?? []) : [current];
  const fields = new Map<string, ZapierOutputField>();
  for (const member of members) {
    const memberDef = defOf(peel(member));
    const list =
      memberDef.type === 'array' && memberDef.element
        ? outputFieldsOf(specsOf(memberDef.element), 'rows[]', 'Rows: ')
        : outputFieldsOf(specsOf(member), '', '');
    for (const field of list) if (!fields.has(field.key)) fields.set(field.key, field);
  }
  return [...fields.values()];
}

/** A create's answer must be one object, a search's items too: arrays become `{ rows }`. */
export function asZapierObject(result: unknown): Record<string, unknown> {
  if (Array.isArray(result)) return { rows: result };
  return (result ?? {}) as Record<string, unknown>;
}
