/**
 * The Zapier-only choices (`src/overrides.ts`): every registry operation placed (or excluded with a reason), nouns,
 * and overrides that name only operations and fields that exist.
 */
import { actions, getOperation, triggers } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import { fieldPaths } from '../src/fields.ts';
import { nounOf, overrides, searchForSources, searchOrCreates } from '../src/overrides.ts';
import { app, sections } from './support.ts';

describe('overrides', () => {
  it('every registry action is in the app as a create or a search, or excluded with a reason', () => {
    const reasons = actions.flatMap((op) => {
      const placement = overrides[op.key]?.as;
      return typeof placement === 'object' ? [[op.key, placement.exclude] as const] : [];
    });
    expect(reasons.length, 'the list operations are excluded').toBeGreaterThan(0);
    for (const [key, reason] of reasons) expect(reason.length, key).toBeGreaterThan(10);
    const excluded = new Set(reasons.map(([key]) => key));
    for (const op of actions.filter((action) => !excluded.has(action.key))) {
      const section = overrides[op.key]?.as === 'search' ? app.searches : app.creates;
      expect(section, op.key).toHaveProperty(op.key);
    }
  });

  it("every registry trigger is in the app, under Zapier's key when it has its own (Updated Scan Count)", () => {
    for (const op of triggers) expect(app.triggers).toHaveProperty(overrides[op.key]?.key ?? op.key);
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
});
