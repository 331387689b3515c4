/** A registry operation's raw input, from the step's field inputs and `fields`, for core to parse. */
import { type Command, registryInputs } from './commands.ts';
import { InputError } from './errors.ts';
import { isStructured } from './fields.ts';
import { HOST_INPUTS, input, parseStructured } from './inputs.ts';

/** The operation's raw input: `fields` (JSON/YAML) under the inputs set on their own, as the runner gave them. */
export async function collectInput(command: Command): Promise<Record<string, unknown>> {
  const raw: Record<string, unknown> = {};
  const fieldsText = input('fields');
  if (fieldsText) {
    const parsed = await parseStructured('fields', fieldsText);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InputError('fields', 'Input "fields" must be a JSON or YAML object, e.g. {"title": "Menu"}.');
    }
    for (const [key, value] of Object.entries(parsed)) {
      const field = command.fields.find((f) => f.spec.key === key || f.name === key);
      raw[field?.spec.key ?? key] = value;
    }
  }
  // an input of another operation is a mistake worth stopping for; only inputs that are set are looked up
  const own = new Set(command.fields.map((f) => f.name));
  const set = Object.keys(process.env)
    .filter((k) => k.startsWith('INPUT_') && (process.env[k] ?? '').trim() !== '')
    .map((k) => k.slice('INPUT_'.length).toLowerCase().replace(/ /g, '_'));
  const foreign = set.filter((name) => !own.has(name) && name !== 'operation' && !(name in HOST_INPUTS));
  if (foreign.length > 0) {
    for (const other of registryInputs()) {
      if (!foreign.includes(other.name)) continue;
      const takes = command.fields.map((f) => f.name).join(', ') || 'no field inputs';
      throw new InputError(
        other.name,
        `Input "${other.name}" does not apply to ${command.name}, which takes: ${takes}. ` +
          `It is used by ${other.uses.map((u) => u.command).join(', ')}.`,
      );
    }
  }
  for (const field of command.fields) {
    const text = input(field.name);
    if (text === '') continue;
    raw[field.spec.key] = isStructured(field.spec) ? await parseStructured(field.name, text) : text;
  }
  return raw;
}
