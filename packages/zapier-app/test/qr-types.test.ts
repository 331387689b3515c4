/**
 * Every QR-code type through the app as Zapier runs it (createAppTester) against the sandbox: the form reshaped by
 * Type (dynamic fields), and each type created, updated, upserted (one, and as line items) and bulk-created, with
 * the record CodeQR stored read back. Geo, which CodeQR's API cannot create, fails naming Type and the fix.
 */

import { QR_TYPE_SAMPLES, type QrTypeContent } from '@codeqr-integrations/test/support/qr-type-samples';
import { describe, expect, it } from 'vitest';
import { resolveForm, TYPE_KEY } from '../src/type-fields.ts';
import { c, failure, type Item, keys, must, run, useSandbox } from './app-harness.ts';
import { type Action, app, typeChoices } from './support.ts';

const sandbox = useSandbox();

/** Types CodeQR's API cannot create, with the words of the fix. */
/** A type's content as Zapier sends it: flat keys (`wifi__ssid`), strings. */
const flat = (type: string, content: QrTypeContent): Item =>
  typeof content === 'string'
    ? { [type]: content }
    : Object.fromEntries(Object.entries(content).map(([key, value]) => [`${type}__${key}`, value]));

/** Two contents per type, A then B, as Zapier sends them. */
const SAMPLES: Record<string, [Item, Item]> = Object.fromEntries(
  Object.entries(QR_TYPE_SAMPLES).map(([type, [a, b]]) => [type, [flat(type, a), flat(type, b)]]),
);

const NOT_CREATABLE: Record<string, RegExp> = { geo: /Type\b.*"latlog" \(Location\)/ };

/** Types whose content CodeQR stores but never answers (the spec's QrCodeSchema has no `pix`). */
const WRITE_ONLY: Record<string, true> = { pix: true };

const createForm = (app.creates.createQrCode as Action).operation.inputFields;
const TYPES = typeChoices(createForm);

/** The flat Zapier content as CodeQR stores it: `{ wifi__ssid }` → `{ wifi: { ssid } }`, scalars as they are. */
function stored(content: Item): Item {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  for (const [key, value] of Object.entries(content)) {
    const [parent, child] = key.split('__');
    if (!child) out[key] = value;
    else out[String(parent)] = { ...((out[String(parent)] as object) ?? {}), [child]: value };
  }
  return out;
}

/** The record the sandbox stored (CodeQR answers no `pix`, so the store itself, not a GET). */
async function record(id: unknown): Promise<Item> {
  const sb = sandbox.sb;
  return must(sb.store.findQr(sb.project(keys.business), String(id))) as unknown as Item;
}

describe('the form follows Type (Zapier dynamic fields)', () => {
  it('core offers the 13 types, and every one but Geo has content fields', () => {
    expect(TYPES).toHaveLength(13);
    expect(Object.keys(SAMPLES).sort()).toEqual(TYPES.filter((t) => !(t in NOT_CREATABLE)).sort());
  });

  it.each(['createQrCode', 'updateQrCode', 'upsertQrCode'])(
    '%s: Type alters the form; each type shows its own fields',
    (key) => {
      const form = must(app.creates[key]).operation.inputFields ?? [];
      const type = form.find((f) => typeof f !== 'function' && f.key === TYPE_KEY);
      expect(type).toMatchObject({ altersDynamicFields: true });
      expect(form.filter((f) => typeof f === 'function')).toHaveLength(1);
      const statics = new Set(resolveForm(form.filter((f) => typeof f !== 'function')).map((f) => f.key));
      const dynamicKeys = (t?: string) =>
        resolveForm(form, t)
          .map((f) => f.key)
          .filter((k) => !statics.has(k));
      for (const t of TYPES) {
        const expected = Object.keys(SAMPLES[t]?.[0] ?? {});
        expect(dynamicKeys(t), t).toEqual(expect.arrayContaining(expected));
        expect(
          dynamicKeys(t).every((k) => k.split('__')[0] === t),
          t,
        ).toBe(true);
      }
      if (key === 'updateQrCode') {
        // an update's blank Type keeps the code's type: every type's content, none required
        const blank = resolveForm(form, undefined).filter((f) => !statics.has(f.key));
        expect(blank.length, 'every type’s content').toBeGreaterThan(20);
        expect(blank.every((f) => !f.required)).toBe(true);
      } else {
        expect(dynamicKeys(undefined), 'a blank Type shows a URL code’s field').toEqual(['url']);
        expect(resolveForm(form, 'url').find((f) => f.key === 'url')?.required, 'a URL code needs its URL').toBe(true);
      }
      // a value mapped from an earlier step is unknown until the Zap runs: every type's fields, none required
      const mapped = resolveForm(form, '{{123__type}}').filter((f) => !statics.has(f.key));
      expect(mapped.length).toBeGreaterThan(20);
      expect(mapped.every((f) => !f.required)).toBe(true);
      // a picked type's required parts are required (not on an update, which sends only what is filled in)
      const ssid = resolveForm(form, 'wifi').find((f) => f.key === 'wifi__ssid');
      expect(ssid?.required).toBe(key !== 'updateQrCode');
      expect(ssid?.group, 'shown up front, not under Advanced Options').toBeUndefined();
    },
  );

  it('Country Targeting (core’s `geo` field) stays on the form whatever the type', () => {
    for (const t of [undefined, ...TYPES]) {
      expect(
        resolveForm(createForm, t).some((f) => f.key === 'geo'),
        String(t),
      ).toBe(true);
    }
  });
});

describe.each(TYPES.filter((t) => t in SAMPLES))('type %s through the app', (type) => {
  const [a, b] = must(SAMPLES[type]);

  it('created, updated, and upserted (updated then unchanged): the stored record holds the content', async () => {
    const created = await run(c('createQrCode'), { type, ...a, externalId: `zap-type-${type}`, title: type });
    expect(await record(created.id)).toMatchObject({ type, ...stored(a) });

    const updated = await run(c('updateQrCode'), { id: created.id, type, ...b });
    expect(updated.id).toBe(created.id);
    expect(await record(created.id)).toMatchObject({ type, ...stored(b) });

    const upserted = await run(c('upsertQrCode'), { type, ...a, externalId: `zap-type-${type}`, title: type });
    expect(upserted).toMatchObject({ action: 'updated' });
    expect(await record(created.id)).toMatchObject({ type, ...stored(a) });
    const again = await run(c('upsertQrCode'), { type, ...a, externalId: `zap-type-${type}`, title: type });
    // CodeQR never answers `pix`, so an upsert cannot see that it is unchanged and sends it again
    expect(again).toMatchObject({ action: type in WRITE_ONLY ? 'updated' : 'unchanged' });
    expect(await record(created.id)).toMatchObject({ type, ...stored(a) });
  });

  it('as line items: Bulk Create and Create or Update QR Codes (created, then updated)', async () => {
    const bulk = await run<{ results: Item[] }>(c('bulkCreateQrCodes'), {
      items: [{ type, ...a, externalId: `zap-bulk-${type}` }],
    });
    expect(bulk.results[0]).toMatchObject({ status: 'created' });
    expect(await record(bulk.results[0]?.id)).toMatchObject({ type, ...stored(a) });

    const ext = `zap-lines-${type}`;
    const first = await run<{ results: Item[] }>(c('upsertQrCodes'), { items: [{ type, ...a, externalId: ext }] });
    expect(first.results[0]).toMatchObject({ status: 'created' });
    const second = await run<{ results: Item[] }>(c('upsertQrCodes'), { items: [{ type, ...b, externalId: ext }] });
    expect(second.results[0]).toMatchObject({ status: 'updated', id: first.results[0]?.id });
    expect(await record(first.results[0]?.id)).toMatchObject({ type, ...stored(b) });
  });
});

describe.each(Object.entries(NOT_CREATABLE))('type %s', (type, fix) => {
  it('fails before anything is sent, naming Type and the type to use instead', async () => {
    const before = sandbox.sb.requests.length;
    const error = await failure(run(c('createQrCode'), { type, externalId: `zap-type-${type}` }));
    expect(error).toMatchObject({ code: 'validation_error' });
    expect(error.message).toMatch(fix);
    expect(sandbox.sb.requests.length).toBe(before);
  });
});
