/**
 * Clearing fields on an update: core clears a field given an explicit `null`, which a Zapier form cannot send (a
 * blank field is simply not sent). The update form gets a "Clear Fields" multi-select instead, whose choices are
 * derived from the input schema, and its picks become those nulls before the raw input goes to core.
 */
import { CodeQrError, describeFields, type FieldIssue, type FieldSpec } from '@codeqr-integrations/core/base';
import type * as z from 'zod/v4';
import { ADVANCED_GROUP } from './fields.ts';
import type { ZapierInputField } from './types.ts';

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
