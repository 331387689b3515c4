/**
 * The mapper from core's field descriptions to Zapier's form (`src/fields.ts`): types, choices, comma lists,
 * dropdowns, groups and line items; flat keys back to nested input; issue paths to the labels on the form.
 */
import { describeFields, type FieldSpec, getOperation, operations } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { inputFieldsFor, labelFor, unflatten } from '../src/fields.ts';
import type { ZapierInputField } from '../src/types.ts';
import { type Action, allInputFields, app, sections } from './support.ts';

describe("core's fields as Zapier's form", () => {
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
    expect(fields.size?.type).toBe('integer');
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

  it('a Zapier list field (list: true) only for fixed choices: every other list of text is one comma-list field', () => {
    const fields = Object.values(sections).flatMap((list) =>
      list.flatMap((a) => allInputFields(a.operation.inputFields).map((field) => ({ action: a.key, field }))),
    );
    const lists = fields.filter(({ field }) => field.list);
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.filter(({ field }) => !field.choices).map(({ action, field }) => `${action}.${field.key}`)).toEqual(
      [],
    );
    const ids = allInputFields((app.creates.bulkDeleteQrCodes as Action).operation.inputFields).find(
      (f) => f.key === 'ids',
    );
    expect(ids).toMatchObject({ type: 'string', required: true, dynamic: 'qrCodesDropdown.id.name' });
    expect(ids?.list).toBeUndefined();
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

  const visibleForms = Object.values(sections).flatMap((list) =>
    list.filter((a) => !a.display.hidden).map((a) => [a.key, allInputFields(a.operation.inputFields)] as const),
  );

  it('every visible field of every trigger, create and search has a label and help text, from core', () => {
    // a line-items field (children) is only a frame: Zapier forbids help text beside children, each column has its own
    const missing = visibleForms.flatMap(([key, fields]) =>
      fields.filter((f) => !f.children && !(f.label?.trim() && f.helpText?.trim())).map((f) => `${key}.${f.key}`),
    );
    expect(visibleForms.flatMap(([, fields]) => fields).length).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });

  it('dates are datetime fields and whole numbers integer fields, in every form and line item', () => {
    const byKind = new Map<string, Set<string | undefined>>();
    const dates: string[] = [];
    for (const op of operations) {
      const fields = new Map(allInputFields([...inputFieldsFor(op.key, op.input)]).map((f) => [f.key, f]));
      const walk = (specs: FieldSpec[], prefix: string) => {
        for (const spec of specs) {
          const field = fields.get(`${prefix}${spec.key}`);
          if (field && spec.kind === 'datetime') dates.push(`${op.key}.${field.key}: ${field.type}`);
          if (field && spec.kind === 'number')
            byKind.set(field.key, (byKind.get(field.key) ?? new Set()).add(field.type));
          if (spec.kind === 'object' && spec.children) walk(spec.children, `${prefix}${spec.key}__`);
        }
      };
      walk(describeFields(op.input), '');
    }
    expect(dates.length, 'date fields checked').toBeGreaterThan(0);
    expect(dates.filter((entry) => !entry.endsWith(': datetime'))).toEqual([]);
    // sizes, margins and page sizes are whole numbers (`z.number().int()`): Zapier's integer
    for (const key of ['size', 'margin']) expect([...(byKind.get(key) ?? [])], key).toEqual(['integer']);
  });

  it('trigger fields offer no search step (they filter what fires); a create’s QR Code field does', () => {
    for (const a of sections.trigger) {
      for (const f of allInputFields(a.operation.inputFields)) expect(f.search, `${a.key}.${f.key}`).toBeUndefined();
    }
    const update = allInputFields((app.creates.updateQrCode as Action).operation.inputFields);
    expect(update.find((f) => f.key === 'id')?.search).toBe('getQrCode.id');
  });

  it("CodeQR's own defaults (core's `initial`) show as placeholders, never as saved defaults", () => {
    const input = getOperation('createQrCode').input;
    const fields = new Map(inputFieldsFor('createQrCode', input).map((f) => [f.key, f]));
    const withInitial = describeFields(input).filter((spec) => spec.initial !== undefined && !spec.placeholder);
    expect(withInitial.length).toBeGreaterThan(0);
    for (const spec of withInitial) {
      expect(fields.get(spec.key)?.placeholder, spec.key).toBe(String(spec.initial));
      expect(fields.get(spec.key)?.default, spec.key).toBe(
        spec.default === undefined ? undefined : String(spec.default),
      );
    }
  });
});
