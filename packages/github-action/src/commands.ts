/**
 * The one mapper from core's registry to the Action's operations: every action becomes a kebab `operation`, every
 * trigger a `poll-<trigger>` (plus `poll-scans` over the scan triggers), every input field of every operation a kebab
 * input shared by the operations that have it. Used by the runtime (which input feeds which field) and by
 * `scripts/gen-action-yml.ts` (descriptions), so action.yml cannot drift from the code.
 */
import {
  actions,
  describeFields,
  type FieldSpec,
  getOperation,
  kebabKey,
  triggers,
} from '@codeqr-integrations/core/base';
import { InputError } from './errors.ts';
import { inputName, type RegistryInput } from './fields.ts';
import { FIELDS_ONLY, OPERATION_ALIASES, POLL_PREFIX, POLL_SCANS, POLL_STRATEGIES } from './overrides.ts';

type RegistryOperation = NonNullable<ReturnType<typeof getOperation>>;

export interface FieldInput {
  /** The input name (`fg-color`). */
  name: string;
  spec: FieldSpec;
}

export interface Command {
  /** The `operation` value (`create-qr-code`, `poll-scans`, `poll-new-qr-code`). */
  name: string;
  title: string;
  description: string;
  /**
   * The registry operation: an action, or the trigger a poll reads (for `poll-scans`: the `events` trigger, whose
   * input both strategies share).
   */
  op: RegistryOperation;
  /** The fields that are inputs of their own (not the `FIELDS_ONLY` ones, which only `fields` sets). */
  fields: FieldInput[];
}

function command(name: string, op: RegistryOperation, title = op.title, description = op.description): Command {
  const fields = describeFields(op.input)
    .filter((spec) => !FIELDS_ONLY.has(spec.key))
    .map((spec) => ({ name: inputName(spec.key), spec }));
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) throw new Error(`two fields of ${op.key} map to the input "${field.name}"`);
    seen.add(field.name);
  }
  return { name, title, description, op, fields };
}

const built = new Map<string, Command>();

const pollName = (triggerKey: string) => POLL_PREFIX + kebabKey(triggerKey);

/** The operations' names, in order: core's actions, `poll-scans`, then a poll per trigger (no field is described). */
export function commandNames(): string[] {
  return [...actions.map((op) => kebabKey(op.key)), POLL_SCANS, ...triggers.map((t) => pollName(t.key))];
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
    const trigger = triggers.find((t) => pollName(t.key) === name);
    if (op) out = command(name, op);
    else if (trigger) out = command(name, trigger, `Poll ${trigger.title}`);
  }
  if (out) built.set(name, out);
  return out;
}

/** Every operation the Action offers: core's actions, `poll-scans` over the scan triggers, a poll per trigger. */
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

/** The command the `operation` input names; a missing or unknown one fails naming the input and its choices. */
export function requireCommand(operation: string): Command {
  if (!operation) {
    throw new InputError('operation', `Input "operation" is required; it accepts one of ${operationChoices()}.`);
  }
  const found = findCommand(operation);
  if (!found) {
    throw new InputError(
      'operation',
      `Input "operation" is "${operation}", which is not an operation; it accepts one of ${operationChoices()} ` +
        '(or a short alias such as create, upsert, image).',
    );
  }
  return found;
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
