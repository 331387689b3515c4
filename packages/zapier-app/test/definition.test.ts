/**
 * The app definition, offline: Zapier's own validator (what `zapier-platform validate` runs locally), each trigger,
 * create and search against its own schema (which is what catches a missing sample), the publishing checks that
 * can be checked without Zapier's servers, and the registry → Zapier mapping with its overrides.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { actions, describeFields, type FieldSpec, getOperation, operations, triggers } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { API_BASE_URL } from '../src/client.ts';
import {
  applyClearFields,
  CLEAR_FIELDS_KEY,
  clearableFields,
  fieldPaths,
  inputFieldsFor,
  labelFor,
  unflatten,
  type ZapierInputField,
} from '../src/fields.ts';
import { nounOf } from '../src/operations.ts';
import { overrides, searchForSources, searchOrCreates } from '../src/overrides.ts';
import { app, schemaOf, schemaTools, zapierSchema } from './support.ts';

type Json = Record<string, unknown>;
const serialized = schemaTools.serializeApp(schemaTools.compileApp(app)) as {
  triggers: Record<string, Json>;
  creates: Record<string, Json>;
  searches: Record<string, Json>;
  searchOrCreates: Record<string, Json>;
};

interface Action {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: {
    inputFields?: ZapierInputField[];
    outputFields?: { key: string; label: string; type?: string; list?: boolean }[];
    sample?: Json;
  };
}
const sections = {
  trigger: Object.values(app.triggers) as Action[],
  create: Object.values(app.creates) as Action[],
  search: Object.values(app.searches) as Action[],
};
const visible = Object.entries(sections).flatMap(([kind, list]) =>
  list.filter((a) => !a.display.hidden).map((a) => ({ kind, ...a })),
);

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
    .every((word, i) => (i > 0 && SMALL_WORDS.has(word)) || /^[^a-z]/.test(word));

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

const allInputFields = (fields: ZapierInputField[] = []): ZapierInputField[] =>
  fields.flatMap((f) => [f, ...allInputFields(f.children)]);

describe('publishing checks that run offline (D001-D024)', () => {
  it('D002/D003: the auth field links to where keys are made; the connection has a label', () => {
    const field = app.authentication.fields[0];
    expect(field).toMatchObject({ key: 'apiKey', type: 'password', required: true });
    expect(field?.helpText).toMatch(/\[[^\]]+\]\(https:\/\/[^)]+\)/);
    expect(app.authentication.connectionLabel).toMatch(/{{\w+}}/);
  });

  it.each(visible.map((a) => [a.kind, a.key, a] as const))('%s %s: label, description, noun', (kind, _key, a) => {
    expect(titleCase(a.display.label), a.display.label).toBe(true);
    expect(a.noun.length).toBeGreaterThanOrEqual(2);
    expect(a.display.description).toMatch(/\.$/);
    expect(a.display.description.length).toBeLessThanOrEqual(1000);
    if (kind === 'trigger') expect(a.display.description).toMatch(/^Triggers when /); // D021
    if (kind === 'search') expect(a.display.description).toMatch(/^Finds /);
    if (kind === 'create') expect(a.display.description).toMatch(/^(Creates|Updates|Deletes) /);
  });

  it.each(visible.map((a) => [a.kind, a.key, a] as const))(
    '%s %s: sample ⊆ outputFields, types agree',
    (kind, _key, a) => {
      const { sample, outputFields = [] } = a.operation;
      expect(sample, 'D012: a static sample').toBeDefined();
      if (kind === 'trigger') expect(sample, 'D010: polling samples carry id').toHaveProperty('id');
      const byKey = new Map(outputFields.map((f) => [f.key, f]));
      for (const field of outputFields) expect(titleCase(field.label), field.label).toBe(true);
      for (const [key, value] of flatKeys(sample)) {
        const field = byKey.get(key);
        expect(field, `sample key "${key}" is in outputFields`).toBeDefined();
        if (value === null || field?.type === undefined) continue;
        const expected =
          field.type === 'integer' || field.type === 'number'
            ? 'number'
            : field.type === 'boolean'
              ? 'boolean'
              : field.list
                ? 'object'
                : 'string';
        expect(typeof value, `D024: type of ${key}`).toBe(expected);
        if (looksLikeDate(key, value))
          expect(value, `D023: ${key} is ISO 8601 with a time zone`).toMatch(ISO_WITH_ZONE);
      }
    },
  );

  it.each(visible.map((a) => [a.kind, a.key, a] as const))('%s %s: input fields', (kind, key, a) => {
    const fields = allInputFields(a.operation.inputFields);
    if (kind === 'search') expect(fields.length, 'D009: a search has a search field').toBeGreaterThan(0);
    for (const field of fields) {
      expect(field.key, 'D001: no API key as an action field').not.toMatch(/api.?key|token|secret/i);
      expect(titleCase(field.label), `D018: ${field.label}`).toBe(true);
      if (field.helpText) expect(field.helpText.trim(), 'D011').not.toBe(field.label);
      if (field.search) expect(field.dynamic, 'D014: search needs dynamic').toBeDefined();
      // D004: an ID picked from the account has a dropdown
      if (/(^id|Id|Ids)$/.test(field.key) && !/external/i.test(field.key)) {
        expect(field.dynamic, `D004: ${key}.${field.key}`).toBeDefined();
      }
      if (field.dynamic) {
        const [trigger, id, label] = field.dynamic.split('.');
        const source = app.triggers[trigger as keyof typeof app.triggers] as Action | undefined;
        expect(source, `D005: ${field.dynamic}`).toBeDefined();
        expect(source?.operation.outputFields?.map((f) => f.key)).toEqual(expect.arrayContaining([id, label]));
      }
      if (field.search) {
        const [search] = field.search.split('.');
        expect(Object.keys(app.searches), `D013: ${field.search}`).toContain(search);
      }
    }
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
      ...readdirSync(src).map((file) => readFileSync(`${src}${file}`, 'utf8')),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/\bcodeqr_(?!`|")[A-Za-z0-9]{6,}/);
      expect(text).not.toMatch(/Bearer [A-Za-z0-9_]{8,}/);
      expect(text).not.toMatch(/zap_(business|free|readonly)/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('registry → Zapier', () => {
  it('every registry operation is in the app (or excluded with a reason), under its own key', () => {
    for (const op of actions) {
      const placement = overrides[op.key]?.as;
      if (placement && typeof placement === 'object') {
        expect(placement.exclude.length, op.key).toBeGreaterThan(10);
        continue;
      }
      const section = placement === 'search' ? app.searches : app.creates;
      expect(section, op.key).toHaveProperty(op.key);
    }
    // under Zapier's key when it has its own (Updated Scan Count)
    for (const op of triggers) expect(app.triggers).toHaveProperty(overrides[op.key]?.key ?? op.key);
  });

  it('every input field of every operation has a Zapier field (nested ones flattened with __)', () => {
    const zapierKeys = (fields: ZapierInputField[]) => fields.map((f) => f.key.split('__')[0]);
    for (const op of operations) {
      const keys = zapierKeys(inputFieldsFor(op.key, op.input));
      for (const key of Object.keys(op.input.shape)) expect(keys, `${op.key}.${key}`).toContain(key);
    }
  });

  it('maps kinds to Zapier types, choices, lists, dropdowns, groups and line items', () => {
    const fields = Object.fromEntries(
      inputFieldsFor('createQrCode', getOperation('createQrCode').input).map((f) => [f.key, f]),
    );
    expect(fields.type).toMatchObject({ type: 'string', default: 'url' });
    expect(fields.type?.choices).toContainEqual({ value: 'wifi', label: 'Wi-Fi', sample: 'wifi' });
    // a comma list (one text field core splits), not a Zapier list: a mapped "A,B" must reach core as text
    expect(fields.tagNames).toMatchObject({ type: 'string', dynamic: 'tagsDropdown.id.name' });
    expect(fields.tagNames?.list).toBeUndefined();
    expect(fields.tagNames?.helpText).toMatch(/several separated by commas/);
    expect(fields.domain).toMatchObject({ dynamic: 'domainsDropdown.id.name' });
    expect(fields.expiresAt).toMatchObject({ type: 'datetime', group: 'advanced' });
    expect(fields.wifi__ssid).toMatchObject({ label: 'Wi-Fi: Network Name (SSID)', required: false });
    expect(fields.size?.type).toBe('number');
    const update = inputFieldsFor('updateQrCode', getOperation('updateQrCode').input);
    expect(update[0]).toMatchObject({
      key: 'id',
      required: true,
      dynamic: 'qrCodesDropdown.id.name',
      search: 'getQrCode.id',
    });
    const [items] = inputFieldsFor('bulkCreateQrCodes', getOperation('bulkCreateQrCodes').input);
    expect(items).toMatchObject({ key: 'items', required: true });
    expect(items?.children?.map((c) => c.key)).toEqual(expect.arrayContaining(['url', 'externalId', 'wifi__ssid']));
    expect(items?.children?.every((c) => !c.list && !c.children)).toBe(true);
    // a search never offers itself as its own search
    const get = inputFieldsFor('getQrCode', getOperation('getQrCode').input);
    expect(get.find((f) => f.key === 'id')?.search).toBeUndefined();
  });

  it('nouns: singular, QR in capitals', () => {
    expect(['qrCode', 'qrCodes', 'scan', 'analytics', 'domains'].map(nounOf)).toEqual([
      'QR Code',
      'QR Code',
      'Scan',
      'Analytics',
      'Domain',
    ]);
    expect(sections.search.find((a) => a.key === 'getScanAnalytics')?.noun).toBe('Analytics');
  });

  it('unflattens Zapier keys, in line items too, and leaves values as Zapier sent them', () => {
    expect(unflatten({ type: 'wifi', wifi__ssid: 'Cafe', wifi__password: '', size: '512' })).toEqual({
      type: 'wifi',
      wifi: { ssid: 'Cafe', password: '' },
      size: '512',
    });
    expect(unflatten({ items: [{ url: 'u', email__email: 'a@b.c' }], tagNames: ['a', 'b'] })).toEqual({
      items: [{ url: 'u', email: { email: 'a@b.c' } }],
      tagNames: ['a', 'b'],
    });
  });

  it('names issue paths by the labels on the form', () => {
    const create = getOperation('createQrCode').input;
    expect(labelFor(create, 'wifi.ssid')).toBe('Wi-Fi: Network Name (SSID)');
    expect(labelFor(create, 'bgColor')).toBe('Background Color');
    expect(labelFor(getOperation('bulkCreateQrCodes').input, 'items.2.url')).toBe('line 3, Destination URL');
    expect(labelFor(create, 'nope')).toBeUndefined();
  });
});

describe('lists and clearing, the Zapier way', () => {
  const allFields = (a: Action) => allInputFields(a.operation.inputFields);

  it('a Zapier list field (list: true) only for fixed choices: every other list of text is one comma-list field', () => {
    for (const a of [...sections.create, ...sections.search, ...sections.trigger]) {
      for (const field of allFields(a)) {
        if (field.key === CLEAR_FIELDS_KEY) continue;
        if (field.list) expect(field.choices, `${a.key}.${field.key} is a list without fixed choices`).toBeDefined();
      }
    }
    const ids = allFields(app.creates.bulkDeleteQrCodes as Action).find((f) => f.key === 'ids');
    expect(ids).toMatchObject({ type: 'string', required: true, dynamic: 'qrCodesDropdown.id.name' });
    expect(ids?.list).toBeUndefined();
  });

  it('Update QR Code has a Clear Fields multi-select whose choices are the fields core can clear (nullable)', () => {
    const update = app.creates.updateQrCode as Action;
    const clear = update.operation.inputFields?.find((f) => f.key === CLEAR_FIELDS_KEY);
    expect(clear).toMatchObject({ label: 'Clear Fields', list: true, required: false, group: 'advanced' });
    const values = clear?.choices?.map((c) => c.value) ?? [];
    expect(values).toEqual(
      expect.arrayContaining(['title', 'description', 'comments', 'externalId', 'tagNames', 'folderId', 'wifi']),
    );
    // derived from the schema: every choice takes null (or is an optional list, which null empties), nothing else
    const input = getOperation('updateQrCode').input;
    const shape = input.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    for (const value of values) {
      const spec = describeFields(input).find((s) => s.key === value);
      expect(spec?.kind === 'stringList' || shape[value]?.safeParse(null).success, value).toBe(true);
    }
    for (const never of ['id', 'type', 'domain', 'key', 'bgColor', 'size', 'static'])
      expect(values).not.toContain(never);
    expect(clear?.choices).toContainEqual({ value: 'title', label: 'Title', sample: 'title' });
  });

  it('only updates get Clear Fields, and no core input uses its key', () => {
    for (const a of [...sections.create, ...sections.search, ...sections.trigger]) {
      const has = (a.operation.inputFields ?? []).some((f) => f.key === CLEAR_FIELDS_KEY);
      expect(has, a.key).toBe(getOperation(a.key)?.verb === 'update');
    }
    for (const op of operations) expect(Object.keys(op.input.shape), op.key).not.toContain(CLEAR_FIELDS_KEY);
  });

  it('picks (keys or labels, listed or mapped as comma text) become explicit nulls; conflicts are named', () => {
    const clearable = clearableFields(getOperation('updateQrCode').input);
    expect(applyClearFields({ id: 'qr_1', clearFields: ['title', 'Comments'], url: '' }, clearable)).toEqual({
      id: 'qr_1',
      title: null,
      comments: null,
      url: '',
    });
    expect(applyClearFields({ id: 'qr_1', clearFields: ['tagNames, wifi'] }, clearable)).toEqual({
      id: 'qr_1',
      tagNames: null,
      wifi: null,
    });
    expect(applyClearFields({ id: 'qr_1', clearFields: '' }, clearable)).toEqual({ id: 'qr_1' });
    expect(() => applyClearFields({ id: 'q', title: 'New', clearFields: ['title'] }, clearable)).toThrow(
      /picked in Clear Fields/,
    );
    expect(() => applyClearFields({ id: 'q', wifi: { ssid: 'x' }, clearFields: ['wifi'] }, clearable)).toThrow(
      /picked in Clear Fields/,
    );
    expect(() => applyClearFields({ id: 'q', clearFields: ['size'] }, clearable)).toThrow(
      /Clear Fields: "size" is not a field that can be cleared/,
    );
  });
});

describe('overrides', () => {
  it('name only operations and fields that exist', () => {
    for (const [key, override] of Object.entries(overrides)) {
      const op = getOperation(key);
      expect(op, `override for unknown operation "${key}"`).toBeDefined();
      if (!op) continue;
      const paths = fieldPaths(op.input);
      for (const path of Object.keys(override.fields ?? {})) {
        expect(paths, `override names unknown field "${key}.${path}"`).toContain(path);
      }
    }
    for (const [search, pair] of Object.entries(searchOrCreates)) {
      expect(app.searches, search).toHaveProperty(search);
      expect(app.creates, pair.create).toHaveProperty(pair.create);
    }
    for (const { search, field } of Object.values(searchForSources)) {
      const op = getOperation(search);
      expect(op && fieldPaths(op.input)).toContain(field);
    }
  });

  it('the check fails for a misspelt field', () => {
    const paths = fieldPaths(getOperation('updateQrCode').input);
    expect(paths).toContain('id');
    expect(paths).not.toContain('qrCodeID');
    expect(paths).toContain('wifi.ssid');
  });

  it('the registry has no fields the mapper cannot place', () => {
    const kinds = new Set<string>();
    const walk = (specs: FieldSpec[]) => {
      for (const s of specs) {
        kinds.add(s.kind);
        if (s.children) walk(s.children);
      }
    };
    for (const op of operations) walk(describeFields(op.input));
    expect(
      [...kinds].every((k) =>
        ['string', 'number', 'boolean', 'enum', 'stringList', 'datetime', 'json', 'object', 'url'].includes(k),
      ),
    ).toBe(true);
  });
});
