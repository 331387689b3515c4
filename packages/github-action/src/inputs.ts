/**
 * The one mapper from core's registry to the Action's surface: every action becomes a kebab `operation`, every input
 * field of every operation a kebab input shared by the operations that have it. Used by the runtime (which input
 * feeds which field) and by `scripts/gen-action-yml.ts` (descriptions), so action.yml cannot drift from the code.
 */
import { actions, describeFields, type FieldSpec, getOperation, kebabKey } from '@codeqr-integrations/core/base';
import { INPUT_NAME_OVERRIDES, OPERATION_ALIASES, POLL_SCANS, POLL_STRATEGIES } from './overrides.ts';

type RegistryOperation = NonNullable<ReturnType<typeof getOperation>>;

export interface FieldInput {
  /** The input name (`fg-color`). */
  name: string;
  spec: FieldSpec;
}

export interface Command {
  /** The `operation` value (`create-qr-code`, `poll-scans`). */
  name: string;
  title: string;
  description: string;
  /** The registry operation (for `poll-scans`: the `events` trigger, whose input both strategies share). */
  op: RegistryOperation;
  fields: FieldInput[];
}

export const inputName = (fieldKey: string): string => INPUT_NAME_OVERRIDES[fieldKey] ?? kebabKey(fieldKey);

function command(name: string, op: RegistryOperation, title = op.title, description = op.description): Command {
  const fields = describeFields(op.input).map((spec) => ({ name: inputName(spec.key), spec }));
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) throw new Error(`two fields of ${op.key} map to the input "${field.name}"`);
    seen.add(field.name);
  }
  return { name, title, description, op, fields };
}

const built = new Map<string, Command>();

/** The operations' names, in order: core's actions, then `poll-scans` (cheap: no field is described). */
export function commandNames(): string[] {
  return [...actions.map((op) => kebabKey(op.key)), POLL_SCANS];
}

/** One command, its fields described on first use (a step needs only its own). */
function buildCommand(name: string): Command | undefined {
  const cached = built.get(name);
  if (cached) return cached;
  let out: Command | undefined;
  if (name === POLL_SCANS) {
    const events = getOperation(POLL_STRATEGIES.events);
    if (!events) throw new Error('core has no newScan trigger');
    out = command(
      POLL_SCANS,
      events,
      'Poll Scans',
      'Reads the scans since the last run (cursor in state-file) and optionally fires repository_dispatch per batch.',
    );
  } else {
    const op = actions.find((a) => kebabKey(a.key) === name);
    if (op) out = command(name, op);
  }
  if (out) built.set(name, out);
  return out;
}

/** Every operation the Action offers: core's actions, then `poll-scans` over the scan triggers. */
export function commands(): Command[] {
  return commandNames().map((name) => buildCommand(name) as Command);
}

/** The command for an `operation` value (full kebab key or alias, any case), or undefined. */
export function findCommand(raw: string): Command | undefined {
  const value = raw.trim().toLowerCase();
  return buildCommand(OPERATION_ALIASES[value] ?? value);
}

/** Operation names, for messages. */
export function operationChoices(): string {
  return commandNames().join(', ');
}

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

/** Every registry-derived input, in first-seen order (create's fields first). */
export function registryInputs(): RegistryInput[] {
  const byName = new Map<string, RegistryInput>();
  for (const c of commands()) {
    for (const field of c.fields) {
      let entry = byName.get(field.name);
      if (!entry) {
        entry = { name: field.name, uses: [] };
        byName.set(field.name, entry);
      }
      entry.uses.push({ command: c.name, spec: field.spec });
    }
  }
  return [...byName.values()];
}

/** One readable description per input: the label and help of each distinct meaning, with where it applies. */
export function describeInput(input: RegistryInput): string {
  const groups = new Map<string, string[]>();
  for (const { command: name, spec } of input.uses) {
    const parts: string[] = [];
    if (spec.description) parts.push(spec.description.replace(/\.?$/, '.'));
    parts.push(`Accepts ${accepts(spec)}.`);
    if (spec.default !== undefined) parts.push(`Default: ${JSON.stringify(spec.default)}.`);
    const text = `${spec.label}: ${parts.join(' ')}`;
    const list = groups.get(text) ?? [];
    list.push(name + (spec.required ? ' (required)' : ''));
    groups.set(text, list);
  }
  return [...groups.entries()].map(([text, names]) => `[${names.join(', ')}] ${text}`).join(' ');
}
