/**
 * Every QR-code type through the Action's src/ in process (`run()` of main.ts, inputs as a workflow sets them) against
 * the spec-checked sandbox: created, updated, upserted (then unchanged) and rendered, each type's content given in the
 * input named like the type, with the record the sandbox stored read back. Geo, which CodeQR's API cannot create,
 * fails naming `type` and the fix, before anything is sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describeFields, getOperation } from '@codeqr-integrations/core';
import type { Sandbox } from '@codeqr-integrations/sandbox';
import { startSpecCheckedSandbox } from '@codeqr-integrations/test/support/client-requests';
import { QR_TYPE_SAMPLES, type QrTypeContent } from '@codeqr-integrations/test/support/qr-type-samples';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod/v4';
import { findCommand } from '../src/commands.ts';
import { inputName } from '../src/fields.ts';
import { FIELDS_ONLY } from '../src/overrides.ts';
import { API_KEY } from './support/env.ts';
import { runStepInProcess } from './support/step-in-process.ts';

/** Types CodeQR's API cannot create, with the words of the fix. */
const NOT_CREATABLE: Record<string, RegExp> = { geo: /Input "type".*"latlog" \(Location\)/ };
/** Types whose content CodeQR stores but never answers (the spec's QrCodeSchema has no `pix`): no "unchanged". */
const WRITE_ONLY: Record<string, true> = { pix: true };

const TYPES =
  describeFields(getOperation('createQrCode').input)
    .find((spec) => spec.key === 'type')
    ?.options?.map((o) => String(o.value)) ?? [];

let sandbox: Sandbox & { requests: unknown[] };
beforeAll(async () => {
  sandbox = await startSpecCheckedSandbox({ keys: [{ key: API_KEY, plan: 'business' }], seed: 17 });
});
afterAll(async () => {
  await sandbox?.close();
}, 30_000);

const step = (inputs: Record<string, string>) => runStepInProcess(API_KEY, { 'api-base-url': sandbox.url, ...inputs });
const asInput = (content: QrTypeContent) => (typeof content === 'string' ? content : JSON.stringify(content));
/** The record the sandbox stored (CodeQR answers no `pix`, so the store itself, not a GET). */
const record = (id: string | undefined) => sandbox.store.findQr(sandbox.project(API_KEY), String(id));

describe('QR-code types through the Action', () => {
  it('core offers 13 types; each one with content has an input named like it', () => {
    expect(TYPES).toHaveLength(13);
    expect(Object.keys(QR_TYPE_SAMPLES).sort()).toEqual(TYPES.filter((t) => !(t in NOT_CREATABLE)).sort());
    const inputs = new Set(findCommand('create-qr-code')?.fields.map((f) => f.name));
    for (const type of Object.keys(QR_TYPE_SAMPLES)) expect(inputs, type).toContain(type);
  });

  it.each(Object.keys(QR_TYPE_SAMPLES))(
    '%s: created, updated, upserted (then unchanged) and rendered',
    async (type) => {
      const [a, b] = QR_TYPE_SAMPLES[type] as [QrTypeContent, QrTypeContent];
      const ext = `action-type-${type}`;
      const created = await step({ operation: 'create-qr-code', type, [type]: asInput(a), 'external-id': ext });
      expect(created.error).toBeUndefined();
      const id = created.outputs.id;
      expect(record(id)).toMatchObject({ type, [type]: a, externalId: ext });

      const updated = await step({ operation: 'update-qr-code', 'qr-code-id': String(id), type, [type]: asInput(b) });
      expect(updated.error).toBeUndefined();
      expect(record(id)).toMatchObject({ type, [type]: b });

      const upserted = await step({ operation: 'upsert-qr-code', type, [type]: asInput(a), 'external-id': ext });
      expect(upserted.outputs).toMatchObject({ id, action: 'updated' });
      expect(record(id)).toMatchObject({ type, [type]: a });
      const again = await step({ operation: 'upsert-qr-code', type, [type]: asInput(a), 'external-id': ext });
      expect(again.outputs).toMatchObject({ id, action: type in WRITE_ONLY ? 'updated' : 'unchanged' });

      const image = await step({ operation: 'get-qr-code-image', 'qr-code-id': String(id), format: 'svg' });
      expect(image.error).toBeUndefined();
      const path = String(image.outputs.path);
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    },
  );

  it('design and targeting fields are keys of `fields` only: no input of their own, and they reach CodeQR', async () => {
    const write = ['createQrCode', 'updateQrCode', 'upsertQrCode'];
    const keys = new Set(
      write.flatMap((key) => describeFields(getOperation(key)?.input ?? z.object({})).map((spec) => spec.key)),
    );
    for (const key of FIELDS_ONLY) expect(keys, key).toContain(key);
    const yml = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as { inputs: object };
    for (const key of FIELDS_ONLY) expect(Object.keys(yml.inputs), key).not.toContain(inputName(key));
    const fields = { frame: 'frame-1', ios: 'https://apps.apple.com/app/id1', geo: { US: 'https://example.com/us' } };
    const created = await step({
      operation: 'create-qr-code',
      url: 'https://example.com/designed',
      fields: JSON.stringify(fields),
    });
    expect(created.error).toBeUndefined();
    expect(record(created.outputs.id)).toMatchObject(fields);
  });

  it.each(Object.entries(NOT_CREATABLE))('%s: fails naming the input and the fix, nothing sent', async (type, fix) => {
    const before = sandbox.requests.length;
    const failed = await step({ operation: 'create-qr-code', type, 'external-id': `action-type-${type}` });
    expect(failed.error).toMatch(fix);
    expect(sandbox.requests.length).toBe(before);
  });
});
