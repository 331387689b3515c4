/**
 * action.yml, generated from core's registry (operations, field inputs with their labels, help, accepted values
 * and defaults) plus the Action's own inputs and outputs. `npm run gen -w codeqr-github-action` writes it;
 * `test/action-yml.test.ts` regenerates it in memory and fails on drift.
 */

import { describeFields, type FieldSpec, typeContent } from '@codeqr-integrations/core/base';
import { stringify } from 'yaml';
import { commands, registryInputs } from './commands.ts';
import { accepts, describeInput, inputName } from './fields.ts';
import { HOST_INPUTS } from './inputs.ts';
import { OUTPUTS } from './outputs.ts';
import { FIELDS_ONLY, OPERATION_ALIASES } from './overrides.ts';

interface YmlInput {
  description: string;
  required: boolean;
  default?: string;
}

export function actionMetadata(): Record<string, unknown> {
  const operations = commands()
    .map((c) => `${c.name} (${c.title})`)
    .join(', ');
  const aliases = Object.entries(OPERATION_ALIASES)
    .map(([alias, name]) => `${alias} = ${name}`)
    .join(', ');
  const inputs: Record<string, YmlInput> = {
    operation: {
      description: `What to do: ${operations}. Short aliases: ${aliases}.`,
      required: true,
    },
  };
  const [apiKey, ...host] = Object.entries(HOST_INPUTS);
  const hostInput = ([name, spec]: [string, (typeof HOST_INPUTS)[string]]) => {
    inputs[name] = {
      description: spec.description,
      required: spec.required === true,
      ...(spec.default !== undefined ? { default: spec.default } : {}),
    };
  };
  if (apiKey) hostInput(apiKey);
  for (const input of registryInputs()) {
    if (input.name in HOST_INPUTS || input.name === 'operation') {
      throw new Error(`the registry field input "${input.name}" collides with an input of the Action itself`);
    }
    // no YAML defaults for registry fields: the runner would pass them to every operation; core applies its own
    inputs[input.name] = { description: describeInput(input), required: false };
  }
  for (const entry of host) hostInput(entry);
  return {
    name: 'CodeQR QR Codes & Short Links',
    description:
      'Create, update and upsert CodeQR QR codes (one or a whole catalogue), render images, read analytics, and poll scans.',
    author: 'CodeQR',
    branding: { icon: 'grid', color: 'blue' },
    inputs,
    outputs: Object.fromEntries(Object.entries(OUTPUTS).map(([name, o]) => [name, { description: o.description }])),
    runs: { using: 'node24', main: 'dist/index.js' },
  };
}

export function actionYml(): string {
  const header =
    '# GENERATED from the CodeQR core registry by `npm run gen -w codeqr-github-action`; do not edit by hand.\n';
  return header + stringify(actionMetadata(), { lineWidth: 0 });
}

const md = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's input and output tables, from the same metadata (kept in sync by `npm run gen`). */
export function readmeTables(): string {
  const meta = actionMetadata() as {
    inputs: Record<string, YmlInput>;
    outputs: Record<string, { description: string }>;
  };
  const lines = ['| Input | Required | Default | What it is |', '| --- | --- | --- | --- |'];
  for (const [name, input] of Object.entries(meta.inputs)) {
    const dflt = input.default === undefined ? '' : `\`${input.default}\``;
    lines.push(`| \`${name}\` | ${input.required ? 'yes' : ''} | ${dflt} | ${md(input.description)} |`);
  }
  lines.push('', '| Output | What it is |', '| --- | --- |');
  for (const [name, output] of Object.entries(meta.outputs)) lines.push(`| \`${name}\` | ${md(output.description)} |`);
  return lines.join('\n');
}

export const README_START = '<!-- generated:inputs-outputs (npm run gen -w codeqr-github-action) -->';
export const README_END = '<!-- /generated:inputs-outputs -->';

/** The value a README example shows for a field: core's example, else its placeholder or first choice. */
function exampleOf(spec: FieldSpec): unknown {
  if (spec.example !== undefined) return spec.example;
  if (spec.kind === 'object') {
    const entries = (spec.children ?? []).flatMap((child) => {
      const value = exampleOf(child);
      if (value !== undefined) return [[child.key, value] as const];
      return child.required ? [[child.key, `<${child.label}>`] as const] : [];
    });
    return Object.fromEntries(entries);
  }
  return spec.placeholder ?? spec.options?.[0]?.value;
}

/** A type's content keys: `ssid` (required), `encryption` (WPA, WPA2, ...). */
function contentKeys(spec: FieldSpec): string {
  if (spec.kind !== 'object') return accepts(spec);
  return (spec.children ?? [])
    .map(
      (c) =>
        `\`${c.key}\`${c.required ? ' (required)' : ''}${c.options ? ` (${c.options.map((o) => o.value).join(', ')})` : ''}`,
    )
    .join(', ');
}

/**
 * The README's per-type table, from core's registry: the commands whose `type` picks a content field (the field keyed
 * like the type); for each type, its content input, keys and an example; then the fields only `fields` sets.
 */
export function readmeTypes(): string {
  const typed = commands().filter((c) => c.fields.some((f) => f.spec.key === 'type'));
  const specs = typed.flatMap((c) => describeFields(c.op.input));
  const content = typeContent(specs);
  const type = content?.type;
  const lines = ['| Type | `type` | Its input | Keys | Example |', '| --- | --- | --- | --- | --- |'];
  for (const option of type?.options ?? []) {
    const value = String(option.value);
    const spec = content?.content.get(value);
    if (!spec) {
      lines.push(`| ${option.label} | \`${value}\` | none | | ${md(type?.description ?? '')} |`);
      continue;
    }
    const example = exampleOf(spec) ?? `<${spec.label}>`;
    const shown = typeof example === 'object' ? `'${JSON.stringify(example)}'` : String(example);
    const name = inputName(spec.key);
    lines.push(
      `| ${option.label} | \`${value}\` | \`${name}\` | ${md(contentKeys(spec))} | \`type: ${value}\`<br>\`${name}: ${md(shown)}\` |`,
    );
  }
  // each key once, from whichever command has it (the UTM ones are on update only)
  const only = [...new Map(specs.filter((s) => FIELDS_ONLY.has(s.key)).map((s) => [s.key, s])).values()];
  const takers = commands()
    .filter((c) => describeFields(c.op.input).some((s) => FIELDS_ONLY.has(s.key)))
    .map((c) => c.name);
  lines.push(
    '',
    `Set only in \`fields\` (JSON or YAML, by key) of ${takers.join(', ')}, and as catalogue columns:`,
    '',
    '| Key | What it is |',
    '| --- | --- |',
    ...only.map(
      (spec) => `| \`${spec.key}\` | ${md(`${spec.label}: ${spec.description ?? ''} Accepts ${accepts(spec)}.`)} |`,
    ),
  );
  return lines.join('\n');
}

export const TYPES_START = '<!-- generated:types (npm run gen -w codeqr-github-action) -->';
export const TYPES_END = '<!-- /generated:types -->';

function replaceBlock(readme: string, start: string, end: string, body: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no generated block ${start}`);
  return `${readme.slice(0, from + start.length)}\n\n${body}\n\n${readme.slice(to)}`;
}

/** `readme` with its generated blocks (types, inputs and outputs) replaced by the current tables. */
export function withReadmeTables(readme: string): string {
  return replaceBlock(
    replaceBlock(readme, README_START, README_END, readmeTables()),
    TYPES_START,
    TYPES_END,
    readmeTypes(),
  );
}
