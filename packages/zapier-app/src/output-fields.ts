/**
 * Core's output schemas as Zapier's `outputFields` (the labels Zapier shows for a step's answer), and an answer in
 * the shape Zapier takes: one object per create, a list of objects per search or poll.
 */
import { describeFields, type FieldSpec } from '@codeqr-integrations/core/base';
import type * as z from 'zod/v4';
import { NESTED } from './fields.ts';
import type { ZapierOutputField } from './types.ts';

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
