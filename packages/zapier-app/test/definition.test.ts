/**
 * The app definition, offline: Zapier's own validator (what `zapier-platform validate` runs locally), each trigger,
 * create and search against its own schema (which is what catches a missing sample), and the publishing checks that
 * can be checked without Zapier's servers. The mapping itself: `fields.test.ts`, `clear-fields.test.ts`,
 * `overrides.test.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_BASE_URL } from '../src/transport.ts';
import type { ZapierInputField } from '../src/types.ts';
import { type Action, allInputFields, app, schemaOf, schemaTools, sections, zapierSchema } from './support.ts';

type Json = Record<string, unknown>;
const serialized = schemaTools.serializeApp(schemaTools.compileApp(app)) as {
  triggers: Record<string, Json>;
  creates: Record<string, Json>;
  searches: Record<string, Json>;
  searchOrCreates: Record<string, Json>;
};

type Kind = keyof typeof sections;
const visible = (Object.entries(sections) as [Kind, Action[]][]).flatMap(([kind, list]) =>
  list.filter((a) => !a.display.hidden).map((a) => ({ kind, ...a })),
);
const visibleOf = (kind: Kind) => visible.filter((a) => a.kind === kind).map((a) => [a.key, a] as const);

describe("Zapier's validator", () => {
  it('the whole app: validateApp(compileApp(app)) and the schema package find nothing', () => {
    const compiled = schemaTools.compileApp(app);
    expect(schemaTools.validateApp(compiled)).toEqual([]);
    expect(zapierSchema.validateAppDefinition(schemaTools.serializeApp(compiled)).errors).toEqual([]);
  });

  it.each([
    ['triggers', 'TriggerSchema'],
    ['creates', 'CreateSchema'],
    ['searches', 'SearchSchema'],
    ['searchOrCreates', 'SearchOrCreateSchema'],
  ] as const)('every one of %s against %s', (section, schema) => {
    const entries = Object.values(serialized[section]);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(
        schemaOf(schema)
          .validate(entry)
          .errors.map((e) => e.stack),
        String(entry.key),
      ).toEqual([]);
    }
  });

  it('the per-action check can fail: a visible create without a sample is reported', () => {
    const create = serialized.creates.createQrCode as Json;
    const { sample: _sample, ...operation } = create.operation as Json;
    const errors = schemaOf('CreateSchema').validate({ ...create, operation }).errors;
    expect(errors.map((e) => e.stack).join()).toMatch(/sample/);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);
const titleCase = (label: string) =>
  label
    .split(/[\s:/]+/)
    .filter(Boolean)
    // a brand's own casing (iOS, vCard) is not lower case
    .every((word, i) => (i > 0 && SMALL_WORDS.has(word)) || /^[^a-z]/.test(word) || /^[a-z]+[A-Z]/.test(word));

/** `{ a: { b: 1 }, tags: [{ id }] }` → `a__b`, `tags[]id`: the keys Zapier shows for a sample. */
function flatKeys(value: unknown, prefix = ''): [string, unknown][] {
  if (Array.isArray(value)) {
    const objects = value.filter((v) => v && typeof v === 'object' && !Array.isArray(v));
    if (objects.length === 0) return [[prefix, value]];
    return objects.flatMap((item) => flatKeys(item, `${prefix}[]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => {
      const path = prefix.endsWith('[]') ? `${prefix}${key}` : prefix ? `${prefix}__${key}` : key;
      return flatKeys(v, path);
    });
  }
  return [[prefix, value]];
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const looksLikeDate = (key: string, value: unknown) =>
  typeof value === 'string' && (/(At|timestamp|lastClicked|start)$/.test(key) || /^\d{4}-\d{2}-\d{2}/.test(value));

/** Where a sample disagrees with its output fields: a key with no field (D012), a wrong type (D024), a bad date (D023). */
function sampleProblems(flat: [string, unknown][], outputFields: NonNullable<Action['operation']['outputFields']>) {
  const byKey = new Map(outputFields.map((f) => [f.key, f]));
  return flat.flatMap(([key, value]) => {
    const field = byKey.get(key);
    if (!field) return [`sample key "${key}" is not in outputFields`];
    if (value === null || field.type === undefined) return [];
    const expected =
      field.type === 'integer' || field.type === 'number'
        ? 'number'
        : field.type === 'boolean'
          ? 'boolean'
          : field.list
            ? 'object'
            : 'string';
    const problems = typeof value === expected ? [] : [`D024: ${key} is a ${typeof value}, not a ${expected}`];
    if (looksLikeDate(key, value) && !ISO_WITH_ZONE.test(String(value))) {
      problems.push(`D023: ${key} is not ISO 8601 with a time zone: ${String(value)}`);
    }
    return problems;
  });
}

/** A field key that names an ID picked from the account (D004: it has a dropdown). */
const ID_KEY = /(^id|Id|Ids)$/;

/** What is wrong with one input field of the action `key` by Zapier's publishing checks (nothing: `[]`). */
function fieldProblems(key: string, field: ZapierInputField): string[] {
  const problems: string[] = [];
  const say = (check: string, what: string) => problems.push(`${check}: ${key}.${field.key} ${what}`);
  if (/api.?key|token|secret/i.test(field.key)) say('D001', 'looks like an API key field');
  if (!titleCase(field.label)) say('D018', `label "${field.label}" is not in title case`);
  if (field.helpText?.trim() === field.label) say('D011', 'help text only repeats the label');
  if (field.search && !field.dynamic) say('D014', 'has a search without a dropdown');
  if (ID_KEY.test(field.key) && !/external/i.test(field.key) && !field.dynamic)
    say('D004', 'is an ID without a dropdown');
  if (field.dynamic) {
    const [trigger, id, label] = field.dynamic.split('.');
    const source = app.triggers[trigger as keyof typeof app.triggers] as Action | undefined;
    const keys = source?.operation.outputFields?.map((f) => f.key) ?? [];
    if (!source || !keys.includes(String(id)) || !keys.includes(String(label))) {
      say('D005', `names a dropdown "${field.dynamic}" that does not exist`);
    }
  }
  if (field.search && !Object.keys(app.searches).includes(String(field.search.split('.')[0]))) {
    say('D013', `names a search "${field.search}" that does not exist`);
  }
  return problems;
}

describe('publishing checks that run offline (D001-D024)', () => {
  it('D002/D003: the auth field links to where keys are made; the connection has a label', () => {
    const field = app.authentication.fields[0];
    expect(field).toMatchObject({ key: 'apiKey', type: 'password', required: true });
    expect(field?.helpText).toMatch(/\[[^\]]+\]\(https:\/\/[^)]+\)/);
    expect(app.authentication.connectionLabel).toMatch(/{{\w+}}/);
  });

  /** How each kind's description opens (D021 for triggers). */
  const OPENING: Record<Kind, RegExp> = {
    trigger: /^Triggers when /,
    search: /^Finds /,
    create: /^(Creates|Updates|Deletes) /,
  };

  it.each(visible.map((a) => [a.kind, a.key, a] as const))('%s %s: label, description, noun', (kind, _key, a) => {
    expect(titleCase(a.display.label), a.display.label).toBe(true);
    expect(a.noun.length).toBeGreaterThanOrEqual(2);
    expect(a.display.description).toMatch(/\.$/);
    expect(a.display.description.length).toBeLessThanOrEqual(1000);
    expect(a.display.description).toMatch(OPENING[kind]);
  });

  it.each(visibleOf('trigger'))('D010: trigger %s: its polling sample carries an id', (_key, a) => {
    expect(a.operation.sample).toHaveProperty('id');
  });

  it.each(visible.map((a) => [a.kind, a.key, a] as const))(
    '%s %s: sample ⊆ outputFields, types agree',
    (_kind, _key, a) => {
      const { sample, outputFields = [] } = a.operation;
      expect(sample, 'D012: a static sample').toBeDefined();
      expect(outputFields.filter((field) => !titleCase(field.label)).map((field) => field.label)).toEqual([]);
      expect(sampleProblems(flatKeys(sample), outputFields)).toEqual([]);
    },
  );

  it('the sample checks meet what they check: nested keys, numbers, booleans, lists and dates', () => {
    const checked = visible.flatMap((a) => flatKeys(a.operation.sample));
    expect(checked.some(([key]) => key.includes('__') || key.includes('[]'))).toBe(true);
    for (const type of ['number', 'boolean', 'object']) expect(checked.some(([, v]) => typeof v === type)).toBe(true);
    expect(checked.some(([key, value]) => looksLikeDate(key, value))).toBe(true);
  });

  it.each(visibleOf('search'))('D009: search %s has a search field', (_key, a) => {
    expect(allInputFields(a.operation.inputFields).length).toBeGreaterThan(0);
  });

  it.each(visible.map((a) => [a.kind, a.key, a] as const))('%s %s: input fields', (_kind, key, a) => {
    expect(allInputFields(a.operation.inputFields).flatMap((field) => fieldProblems(key, field))).toEqual([]);
  });

  it('the field checks meet what they check: IDs, dropdowns, searches and help texts', () => {
    const fields = visible.flatMap((a) => allInputFields(a.operation.inputFields));
    expect(fields.filter((f) => ID_KEY.test(f.key) && !/external/i.test(f.key)).length).toBeGreaterThan(0);
    expect(fields.filter((f) => f.dynamic).length).toBeGreaterThan(0);
    expect(fields.filter((f) => f.search).length).toBeGreaterThan(0);
    expect(fields.filter((f) => f.helpText).length).toBeGreaterThan(0);
  });

  it('D007: every URL in the definition is https, and the base URL is CodeQR’s', () => {
    const text = JSON.stringify(serialized);
    expect(text.match(/http:\/\/[^"\s)]+/g) ?? []).toEqual([]);
    expect(API_BASE_URL).toBe('https://api.codeqr.io');
  });

  it('no hard-coded secrets in the definition or the sources', () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const texts = [
      JSON.stringify(serialized),
      ...readdirSync(src, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(`${src}${file}`, 'utf8')),
    ];
    expect(texts.length, 'every source file is read').toBeGreaterThan(10);
    for (const text of texts) {
      expect(text).not.toMatch(/\bcodeqr_(?!`|")[A-Za-z0-9]{6,}/);
      expect(text).not.toMatch(/Bearer [A-Za-z0-9_]{8,}/);
      expect(text).not.toMatch(/zap_(business|free|readonly)/);
    }
  });
});
