/** action.yml: generated from core's registry, committed, validated against SchemaStore's action-metadata schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actions, getOperation, kebabKey } from '@codeqr-integrations/core/base';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionYml, withReadmeTables } from '../src/action-yml.ts';
import { commands, findCommand, registryInputs } from '../src/inputs.ts';
import { HOST_INPUTS, OUTPUTS } from '../src/overrides.ts';
import { packageRoot } from './support/run-action.ts';

const committed = readFileSync(join(packageRoot, 'action.yml'), 'utf8');
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

  it('offers every action of the registry as an operation, plus poll-scans', () => {
    for (const op of actions) {
      expect(metadata.inputs.operation?.description).toContain(kebabKey(op.key));
      expect(findCommand(kebabKey(op.key))?.op.key).toBe(op.key);
    }
    expect(findCommand('poll-scans')?.op.key).toBe('newScan');
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

  it('lists every output the Action sets', () => {
    expect(Object.keys(metadata.outputs)).toEqual(Object.keys(OUTPUTS));
    expect(getOperation('upsertQrCode')).toBeDefined();
  });

  it('the README documents every input and output (its tables are generated: `npm run gen`)', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    expect(readme).toBe(withReadmeTables(readme));
    for (const name of [...Object.keys(metadata.inputs), ...Object.keys(metadata.outputs)]) {
      expect(readme).toContain(`| \`${name}\` |`);
    }
  });
});
