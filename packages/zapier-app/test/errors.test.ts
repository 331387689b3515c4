/** The errors a zap builder sees: each CodeQR failure as the Zapier error that says what to do. */
import { CodeQrError } from '@codeqr-integrations/core';
import { describe, expect, it } from 'vitest';
import zapier from 'zapier-platform-core';
import { RECONNECT_MESSAGE, toZapierError } from '../src/errors.ts';
import { c, failure, keys, run, s, useSandbox } from './app-harness.ts';

const sandbox = useSandbox();

describe('errors a zap builder can act on', () => {
  it('401: reconnect the CodeQR account', async () => {
    const error = await failure(run(c('createQrCode'), { url: 'https://example.com' }, { key: 'bad' }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toContain(RECONNECT_MESSAGE);
    expect(error.message).not.toContain('Bearer');
  });

  it("core's own codes: invalid_configuration and outcome_unknown keep their message and code; throttles get a delay", () => {
    const z = { errors: zapier.errors } as never;
    const unknown = toZapierError(
      z,
      new CodeQrError({ code: 'outcome_unknown', message: 'No answer came back; run it again (it is safe).' }),
    ) as Error;
    expect(unknown.name).toBe('AppError');
    expect(JSON.parse(unknown.message)).toMatchObject({ code: 'outcome_unknown', message: /run it again/ });
    const config = toZapierError(z, new CodeQrError({ code: 'invalid_configuration', message: 'Bad setup.' })) as Error;
    expect(JSON.parse(config.message)).toMatchObject({ code: 'invalid_configuration', message: 'Bad setup.' });
    const throttled = toZapierError(
      z,
      new CodeQrError({ code: 'rate_limit_exceeded', message: 'Slow down.' }),
    ) as Error;
    expect(throttled.name).toBe('ThrottledError');
    expect(JSON.parse(throttled.message)).toMatchObject({ message: 'Slow down.', delay: 60 });
  });

  it("403: CodeQR's own message and code (a read-only key)", async () => {
    const error = await failure(run(c('createQrCode'), { url: 'https://example.com' }, { key: keys.readOnly }));
    expect(error).toMatchObject({ name: 'AppError', code: 'forbidden', status: 403 });
    expect(error.message).toMatch(/403/);
  });

  it('404: the QR code does not exist', async () => {
    const error = await failure(run(c('updateQrCode'), { id: 'cm_missing', title: 'x' }));
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('a bad field is named by its label before anything is sent', async () => {
    const error = await failure(run(c('createQrCode'), { url: 'example dot com', size: 'huge' }));
    expect(error.code).toBe('validation_error');
    expect(error.message).toMatch(/Destination URL/);
    expect(error.message).toMatch(/Size/);
    const nested = await failure(run(c('createQrCode'), { type: 'wifi', wifi__password: 'x' }));
    expect(nested.message).toMatch(/Wi-Fi\W+Network Name \(SSID\)/);
  });

  it('422 from CodeQR: its message, with the field', async () => {
    const error = await failure(
      run(s('getScanAnalytics'), { start: '2026-03-01T00:00:00Z', end: '2020-01-01T00:00:00Z' }),
    );
    expect(error).toMatchObject({ code: 'unprocessable_entity', status: 422 });
    expect(error.message).toBe('CodeQR rejected these fields (422): End: must be after start.');
  });

  it('429 with a long Retry-After: ThrottledError with CodeQR delay, so Zapier retries later', async () => {
    await sandbox.fault(keys.business, {
      route: 'POST /qrcodes',
      mode: 'status',
      status: 429,
      retryAfter: 120,
      count: 1,
    });
    const error = await failure(run(c('createQrCode'), { url: 'https://example.com/throttled' }));
    expect(error.name).toBe('ThrottledError');
    expect(error.delay).toBe(120);
  });

  it('429 on a whole Bulk Create (nothing created): ThrottledError, so Zapier reruns the step later', async () => {
    for (const key of ['bulkCreateQrCodes', 'upsertQrCodes']) {
      // every QR-code request is turned away until the limit passes (lookups, creates, updates)
      await sandbox.fault(keys.business, {
        route: '* /qrcodes*',
        mode: 'status',
        status: 429,
        retryAfter: 120,
        count: 100,
      });
      const error = await failure(
        run(c(key), {
          items: [
            { url: 'https://example.com/throttled/1', externalId: `thr-${key}-1` },
            { url: 'not a url', externalId: `thr-${key}-2` },
            { url: 'https://example.com/throttled/3', externalId: `thr-${key}-3` },
          ],
        }),
      );
      expect(error.name, key).toBe('ThrottledError');
      expect(error.delay).toBeGreaterThan(0);
      expect(error.message).toMatch(/rate limit turned away 2 of 3 lines and nothing was created/);
      await sandbox.clearFaults();
      expect(await run(s('getQrCode'), { externalId: `thr-${key}-1` })).toEqual([]);
      // Zapier's rerun, once the limit has passed: the good lines are created, the bad one fails alone
      const rerun = await run<{ succeeded: number; failed: number }>(c(key), {
        items: [
          { url: 'https://example.com/throttled/1', externalId: `thr-${key}-1` },
          { url: 'not a url', externalId: `thr-${key}-2` },
          { url: 'https://example.com/throttled/3', externalId: `thr-${key}-3` },
        ],
      });
      expect(rerun, key).toMatchObject({ succeeded: 2, failed: 1 });
    }
  });

  it('429 with a short Retry-After: core waits inside the step and the create succeeds', async () => {
    await sandbox.fault(keys.business, {
      route: 'POST /qrcodes',
      mode: 'status',
      status: 429,
      retryAfter: 1,
      count: 1,
    });
    const qr = await run(c('createQrCode'), {
      url: 'https://example.com/after-wait',
      externalId: 'zap-429',
    });
    expect(qr).toMatchObject({ externalId: 'zap-429' });
  });
});
