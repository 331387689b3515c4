/**
 * Core's field specs as the Action's inputs: each field's input name (kebab case, a few renamed in `overrides.ts`),
 * what it accepts (the second half of every "bad input" message) and its description in action.yml.
 */
import { type FieldSpec, kebabKey } from '@codeqr-integrations/core/base';
import { INPUT_NAME_OVERRIDES } from './overrides.ts';

export const inputName = (fieldKey: string): string => INPUT_NAME_OVERRIDES[fieldKey] ?? kebabKey(fieldKey);

// built on first use: the first Intl call of a process loads ICU (15-30 ms), too much for every step's cold start
let disjunction: Intl.ListFormat | undefined;
const listFormat = {
  format(values: string[]): string {
    disjunction ??= new Intl.ListFormat('en', { type: 'disjunction' });
    return disjunction.format(values);
  },
};

/** What an input accepts, from its field spec: the second half of every "bad input" message. */
export function accepts(spec: FieldSpec): string {
  const bounds = (unit = '') => {
    if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}${unit}`;
    if (spec.min !== undefined) return ` of at least ${spec.min}${unit}`;
    if (spec.max !== undefined) return ` of at most ${spec.max}${unit}`;
    return '';
  };
  const values = spec.options?.map((o) => String(o.value));
  switch (spec.kind) {
    case 'enum':
      return values ? `one of ${listFormat.format(values)}` : 'one of the listed values';
    case 'number':
      return `a number${bounds()}`;
    case 'boolean':
      return 'true or false';
    case 'stringList':
      return values
        ? `a comma- or newline-separated list of ${listFormat.format(values)}`
        : 'a comma- or newline-separated list (or a JSON array)';
    case 'datetime':
      return 'an ISO 8601 date-time with time zone, e.g. 2026-12-31T23:59:59Z';
    case 'url':
      return 'a URL such as https://example.com/page';
    case 'object':
      return `a JSON or YAML object with ${(spec.children ?? []).map((c) => c.key + (c.required ? ' (required)' : '')).join(', ')}`;
    case 'json':
      return spec.children
        ? `a JSON or YAML list of objects with ${spec.children.map((c) => c.key).join(', ')}`
        : 'JSON or YAML';
    default:
      return spec.max !== undefined ? `text of at most ${spec.max} characters` : 'text';
  }
}

/** Structured inputs (objects, lists of objects) are written as JSON or YAML text in a workflow. */
export const isStructured = (spec: FieldSpec): boolean => spec.kind === 'object' || spec.kind === 'json';

export interface RegistryInput {
  name: string;
  /** Each operation that has this input, with its field. */
  uses: { command: string; spec: FieldSpec }[];
}

/** One readable description per input: the label and help of each distinct meaning, with where it applies. */
export function describeInput(input: RegistryInput): string {
  const groups = new Map<string, string[]>();
  for (const { command: name, spec } of input.uses) {
    const parts: string[] = [];
    if (spec.description) parts.push(spec.description.replace(/\.?$/, '.'));
    parts.push(`Accepts ${accepts(spec)}.`);
    if (spec.default !== undefined) parts.push(`Default: ${JSON.stringify(spec.default)}.`);
    else if (spec.initial !== undefined) parts.push(`Left empty, CodeQR uses ${String(spec.initial)}.`);
    const text = `${spec.label}: ${parts.join(' ')}`;
    const list = groups.get(text) ?? [];
    list.push(name + (spec.required ? ' (required)' : ''));
    groups.set(text, list);
  }
  return [...groups.entries()].map(([text, names]) => `[${names.join(', ')}] ${text}`).join(' ');
}
