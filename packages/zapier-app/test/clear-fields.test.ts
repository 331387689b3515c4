/**
 * Clearing fields on an update (`src/clear-fields.ts`): Zapier cannot send null, so Update QR Code has a Clear Fields
 * multi-select whose picks become the nulls core clears with.
 */
import { describeFields, getOperation, operations } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { applyClearFields, CLEAR_FIELDS_KEY, clearableFields } from '../src/clear-fields.ts';
import { type Action, allInputFields, app, sections } from './support.ts';

describe('Clear Fields on an update form', () => {
  it('Update QR Code has a Clear Fields multi-select whose choices are the fields core can clear (nullable)', () => {
    const update = app.creates.updateQrCode as Action;
    const clear = allInputFields(update.operation.inputFields).find((f) => f.key === CLEAR_FIELDS_KEY);
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
      const has = allInputFields(a.operation.inputFields).some((f) => f.key === CLEAR_FIELDS_KEY);
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
