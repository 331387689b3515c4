/** Reading the Action's own structured inputs (`fields`, `wifi`, `items`): YAML as text for core to coerce. */
import { describe, expect, it } from 'vitest';
import { parseStructured } from '../src/inputs.ts';

describe('structured inputs (fields, wifi, items)', () => {
  it('read YAML scalars as text for core to coerce: leading zeros kept, empty = not set, only ~/null are null', async () => {
    expect(await parseStructured('fields', 'externalId: 007\ntitle:\nsize: 512\nexpiresAt: ~\nnote: "null"')).toEqual({
      externalId: '007',
      title: '',
      size: '512',
      expiresAt: null,
      note: 'null',
    });
    expect(await parseStructured('fields', '{"size": 512, "expiresAt": null}')).toEqual({ size: 512, expiresAt: null });
    await expect(parseStructured('fields', 'a: [1')).rejects.toThrow(
      /^Input "fields" is neither valid JSON nor valid YAML: .*\d\.$/,
    );
  });
});
