/**
 * action.yml, generated from core's registry (operations, field inputs with their labels, help, accepted values
 * and defaults) plus the Action's own inputs and outputs. `npm run gen -w codeqr-github-action` writes it;
 * `test/action-yml.test.ts` regenerates it in memory and fails on drift.
 */
import { stringify } from 'yaml';
import { commands, registryInputs } from './commands.ts';
import { describeInput } from './fields.ts';
import { HOST_INPUTS } from './inputs.ts';
import { OUTPUTS } from './outputs.ts';
import { OPERATION_ALIASES } from './overrides.ts';

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

/** `readme` with its generated block replaced by the current tables. */
export function withReadmeTables(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README.md has no generated inputs/outputs block');
  return `${readme.slice(0, start + README_START.length)}\n\n${readmeTables()}\n\n${readme.slice(end)}`;
}
