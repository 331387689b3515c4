/** action.yml: generated from core's registry, committed, validated against SchemaStore's action-metadata schema. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actions, getOperation, kebabKey, triggers } from '@codeqr-integrations/core/base';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../scripts/run-dist.ts';
import { actionYml, withReadmeTables } from '../src/action-yml.ts';
import { commands, findCommand, registryInputs } from '../src/commands.ts';
import { HOST_INPUTS } from '../src/inputs.ts';
import { OUTPUTS } from '../src/outputs.ts';

const committed = readFileSync(join(packageRoot, 'action.yml'), 'utf8');

/**
 * The outputs a source file sets: every `setOutput('name'` (outputs.ts's `setOutput` takes only literal names of
 * OUTPUTS). A call with any other first argument fails, so no output can be set out of this check's sight; only
 * outputs.ts itself reaches `core.setOutput`.
 */
function outputNamesOf(text: string, file: string): string[] {
  const calls = [...text.matchAll(/\bsetOutput\(\s*([^,)]*)/g)].map((m) => (m[1] ?? '').trim());
  return calls.map((arg) => {
    const literal = /^'([a-z0-9-]+)'$/.exec(arg);
    if (!literal) throw new Error(`${file} sets an output by a name that is not a literal: setOutput(${arg}`);
    return literal[1] as string;
  });
}

/** Every output name set by src/ (recursively), outputs.ts's own definition and its core.setOutput call aside. */
function outputsSetIn(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const own = path.endsWith(join('src', 'outputs.ts'));
    const source = readFileSync(path, 'utf8');
    expect(own ? '' : source, `${path} sets outputs through outputs.ts`).not.toMatch(/core\.setOutput/);
    const text = own
      ? source.replace('export function setOutput(name: OutputName', '').replace('core.setOutput(name,', '')
      : source;
    for (const name of outputNamesOf(text, path)) names.add(name);
  }
  return names;
}
const metadata = parse(committed) as {
  inputs: Record<string, { description: string; required: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('is what the generator writes from the registry today (run `npm run gen -w codeqr-github-action`)', () => {
    expect(committed).toBe(actionYml());
  });

  it("is valid against SchemaStore's github-action.json", () => {
    const schema = JSON.parse(readFileSync(join(packageRoot, 'test/fixtures/github-action.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(metadata), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // and the schema can fail: a runtime it does not know
    expect(validate({ ...metadata, runs: { using: 'node99', main: 'x.js' } })).toBe(false);
  });

  it('runs the committed bundle on node24', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('offers every action of the registry as an operation, poll-scans, and a poll-<trigger> per trigger', () => {
    for (const op of actions) {
      expect(metadata.inputs.operation?.description).toContain(kebabKey(op.key));
      expect(findCommand(kebabKey(op.key))?.op.key).toBe(op.key);
    }
    expect(triggers.map((t) => t.key)).toEqual(expect.arrayContaining(['newScan', 'scanCountChanged', 'newQrCode']));
    for (const trigger of triggers) {
      const name = `poll-${kebabKey(trigger.key)}`;
      expect(metadata.inputs.operation?.description).toContain(`${name} (Poll ${trigger.title})`);
      expect(findCommand(name)?.op.key).toBe(trigger.key);
    }
    expect(findCommand('poll-scans')?.op.key).toBe('newScan');
    expect(findCommand('poll')?.name).toBe('poll-scans');
    expect(findCommand('IMAGE')?.name).toBe('get-qr-code-image');
  });

  it('has one kebab-case input per registry field, with no YAML default (core applies its own)', () => {
    const names = Object.keys(metadata.inputs);
    expect(names.every((n) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(n))).toBe(true);
    for (const c of commands()) {
      for (const field of c.fields) {
        expect(names, `${c.name}.${field.spec.key}`).toContain(field.name);
        expect(metadata.inputs[field.name]).not.toHaveProperty('default');
      }
    }
    for (const name of [
      'url',
      'type',
      'qr-code-id',
      'external-id',
      'domain',
      'key',
      'fg-color',
      'bg-color',
      'size',
      'level',
      'tags',
      'folder-id',
    ]) {
      expect(names).toContain(name);
    }
    expect(registryInputs().length + Object.keys(HOST_INPUTS).length + 1).toBe(names.length);
  });

  it('marks only operation and api-key required, and documents what each field input accepts', () => {
    expect(
      Object.entries(metadata.inputs)
        .filter(([, i]) => i.required)
        .map(([n]) => n),
    ).toEqual(['operation', 'api-key']);
    expect(metadata.inputs.level?.description).toContain('one of L, M, Q, or H');
    expect(metadata.inputs['qr-code-id']?.description).toContain('[update-qr-code (required)');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    expect(metadata.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(metadata.inputs['state-file']?.default).toBe('.codeqr/scan-cursor.json');
  });

  it('lists every output the Action sets, and sets every output it lists', () => {
    expect(Object.keys(metadata.outputs)).toEqual(Object.keys(OUTPUTS));
    const set = outputsSetIn(join(packageRoot, 'src'));
    expect([...set].sort()).toEqual(Object.keys(metadata.outputs).sort());
    expect(getOperation('upsertQrCode')).toBeDefined();
  });

  it('reads the outputs set from src/: the check fails on an output that no code sets', () => {
    const set = outputsSetIn(join(packageRoot, 'src'));
    expect(set).toContain('new-items');
    expect(set).not.toContain('comment-url');
    expect(() => outputNamesOf('setOutput(name, value);', 'x.ts')).toThrow(/x\.ts sets an output by a name/);
  });

  it('the README documents every input and output (its tables are generated: `npm run gen`)', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    expect(readme).toBe(withReadmeTables(readme));
    for (const name of [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)]) {
      expect(readme).toContain(`| \`${name}\` |`);
    }
  });
});
