/** Failures as one sentence: a 403 on a read names the plan; a bad field names its input and what it accepts. */
import { CodeQrError } from '@codeqr-integrations/core/base';
import { describe, expect, it } from 'vitest';
import { findCommand } from '../src/commands.ts';
import { failureMessage } from '../src/errors.ts';
import { accepts } from '../src/fields.ts';

describe('failure messages', () => {
  it('a 403 on a read names the plan, never write access', () => {
    const forbidden = new CodeQrError({ code: 'forbidden', status: 403, message: 'Unauthorized: Need higher plan.' });
    const lookup = { inputFor: () => undefined, acceptsFor: () => undefined };
    expect(failureMessage(forbidden, { ...lookup, reads: true })).toMatch(/Business plan or higher.*strategy: counts/);
    expect(failureMessage(forbidden, { ...lookup, reads: true })).not.toMatch(/use a key with write access/);
    expect(failureMessage(forbidden, lookup)).toMatch(/write access/);
  });

  it('name the input and what it accepts', () => {
    const create = findCommand('create')!;
    const lookup = {
      inputFor: (k: string) => create.fields.find((f) => f.spec.key === k)?.name,
      acceptsFor: (k: string) => {
        const f = create.fields.find((x) => x.spec.key === k);
        return f ? accepts(f.spec) : undefined;
      },
    };
    const error = new CodeQrError({
      code: 'validation_error',
      message: 'x',
      issues: [
        // core's own checks: structured (label and rule), so nothing is read out of the sentence
        {
          field: 'fgColor',
          label: 'Foreground Color',
          rule: 'must be a hex colour',
          message: 'Foreground Color (fgColor) must be a hex colour',
        },
        {
          field: 'wifi.ssid',
          label: 'Wi-Fi › SSID',
          rule: 'is required',
          message: 'Wi-Fi › SSID (wifi.ssid) is required',
        },
        // what CodeQR answered for a field (no rule): its words, and what the input accepts
        { field: 'size', message: 'Invalid input: expected number, received string' },
      ],
    });
    expect(failureMessage(error, lookup)).toBe(
      'Input "fg-color" (Foreground Color) must be a hex colour. Input "wifi" (Wi-Fi › SSID) is required. ' +
        'Input "size" Invalid input: expected number, received string; it accepts a number from 16 to 4096.',
    );
    expect(failureMessage(new CodeQrError({ code: 'unauthorized', status: 401, message: 'Invalid API key.' }))).toBe(
      'CodeQR: Invalid API key (HTTP 401, unauthorized). Check that api-key holds a valid CodeQR API key (Settings > API Keys in CodeQR).',
    );
  });
});
