/**
 * A form that adapts to the QR-code type (Zapier's dynamic fields): `type` alters the form (`altersDynamicFields`),
 * and one function field answers the chosen type's content fields: core's field whose key is the type value (`url`
 * → Destination URL, `wifi` → Wi-Fi: Network Name, Password, ...). Everything else stays as `fields.ts` maps it.
 * https://docs.zapier.com/platform/build/add-fields#dynamic-fields
 */
import { describeFields, type FieldSpec, type TypeContent, typeContent } from '@codeqr-integrations/core/base';
import type { Bundle } from 'zapier-platform-core';
import type * as z from 'zod/v4';
import { type FormOptions, fieldsOfSpec, NESTED } from './fields.ts';
import type { ZapierFormField, ZapierInputField } from './types.ts';

export const TYPE_KEY = 'type';

const TYPE_HELP = 'The form then shows the fields of that type.';

/** What a form's `type` field decides (core's `typeContent`), with what a blank Type shows. */
export interface TypeForm extends TypeContent {
  /** The type whose fields a blank Type shows: core's default; none on an update, which shows every type's. */
  blank: string | undefined;
  values: string[];
}

/** The type field and its content fields, when an input has both (create, update, upsert; not line items). */
export function typeContentOf(specs: FieldSpec[]): TypeForm | undefined {
  const typed = typeContent(specs);
  if (!typed) return undefined;
  const values = (typed.type.options ?? []).map((option) => String(option.value));
  // a blank Type is the default's (create); without a default (update) it is unknown: every type's content shows
  const { default: initial } = typed.type;
  const blank = typeof initial === 'string' && values.includes(initial) ? initial : undefined;
  return { ...typed, blank, values };
}

/** Zapier keys (`wifi__ssid`) of the fields a content spec needs once its type is picked. */
function requiredKeys(spec: FieldSpec, prefix = ''): string[] {
  if (spec.kind !== 'object') return [`${prefix}${spec.key}`];
  return (spec.children ?? [])
    .filter((child) => child.required)
    .flatMap((child) => requiredKeys(child, `${prefix}${spec.key}${NESTED}`));
}

/**
 * One type's content fields as the form shows them once that type is picked: up front (not under Advanced Options),
 * and, unless the step only changes what is filled in (an update), its required parts required.
 */
function contentFields(
  opKey: string,
  input: z.ZodObject,
  spec: FieldSpec,
  requireParts: boolean,
  options: FormOptions,
): ZapierInputField[] {
  const required = new Set(requireParts ? requiredKeys(spec) : []);
  return fieldsOfSpec(opKey, input, spec, options).map(({ group: _group, ...field }) =>
    required.has(field.key) ? { ...field, required: true } : field,
  );
}

/**
 * The form of an operation: with a `type` field and content fields, `type` alters the form and a function field in
 * place of the content fields answers the picked type's (a blank Type shows the default's, or on an update every type's; a value mapped from an
 * earlier step, unknown until the Zap runs, shows every type's).
 */
export function formFieldsFor(
  op: { key: string; verb: string; input: z.ZodObject },
  options: FormOptions = {},
): ZapierFormField[] {
  const specs = describeFields(op.input);
  const typed = typeContentOf(specs);
  if (!typed) return specs.flatMap((spec) => fieldsOfSpec(op.key, op.input, spec, options));
  const byType = new Map(
    [...typed.content].map(([value, spec]) => [
      value,
      contentFields(op.key, op.input, spec, op.verb !== 'update', options),
    ]),
  );
  const all = [...new Map([...byType.values()].flat().map((field) => [field.key, field])).values()];
  const forType = (chosen: unknown): ZapierInputField[] => {
    const value = typeof chosen === 'string' && chosen.trim() !== '' ? chosen.trim() : typed.blank;
    if (value !== undefined && typed.values.includes(value)) return byType.get(value) ?? []; // Geo has none
    return all.map((field) => ({ ...field, required: false }));
  };
  const contentKeys = new Set([...typed.content.values()].map((spec) => spec.key));
  const firstContent = specs.findIndex((spec) => contentKeys.has(spec.key));
  const out: ZapierFormField[] = [];
  specs.forEach((spec, index) => {
    if (index === firstContent) {
      out.push((_z, bundle: Bundle) => forType((bundle.inputData as Record<string, unknown> | undefined)?.[TYPE_KEY]));
    }
    if (contentKeys.has(spec.key)) return;
    const fields = fieldsOfSpec(op.key, op.input, spec, options);
    if (spec.key !== TYPE_KEY) out.push(...fields);
    else {
      for (const field of fields) {
        const helpText = [field.helpText, TYPE_HELP].filter(Boolean).join(' ');
        out.push({ ...field, altersDynamicFields: true, helpText });
      }
    }
  });
  return out;
}

/** A form's fields as Zapier shows them for one type (`undefined`: a blank Type), functions resolved. */
export function resolveForm(form: ZapierFormField[] = [], type?: string): ZapierInputField[] {
  const bundle = { inputData: type === undefined ? {} : { [TYPE_KEY]: type } } as unknown as Bundle;
  return form.flatMap((field) => (typeof field === 'function' ? field({} as never, bundle) : [field]));
}
