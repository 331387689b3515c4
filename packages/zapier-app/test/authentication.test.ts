/** The connection: the auth test, and the API key going only to CodeQR, never shown, never sent broken. */
import { describe, expect, it } from 'vitest';
import { RECONNECT_MESSAGE } from '../src/errors.ts';
import { addApiKey, BASE_URL_ENV } from '../src/transport.ts';
import { app, c, failure, run, useSandbox } from './app-harness.ts';

const sandbox = useSandbox();

describe('authentication', () => {
  it('tests the key with one cheap call and labels the connection with the project', async () => {
    const info = await run<{ project: string; domains: number }>(app.authentication.test);
    expect(info.project).toBe(sandbox.sb.linkDomain);
    expect(info.domains).toBeGreaterThan(0);
    expect(app.authentication.connectionLabel).toBe('{{project}}');
  });

  it('a wrong key fails the test as an expired connection, the same path as every step: reconnect', async () => {
    const error = await failure(run(app.authentication.test, {}, { key: 'codeqr_wrong' }));
    expect(error.name).toBe('ExpiredAuthError');
    // (Zapier's tester adds "What happened: …" under the message)
    expect(error.message.startsWith(RECONNECT_MESSAGE), error.message).toBe(true);
    const step = await failure(run(c('createQrCode'), { url: 'https://example.com/x' }, { key: 'codeqr_wrong' }));
    expect(step.name).toBe(error.name);
    expect(step.message.startsWith(RECONNECT_MESSAGE), step.message).toBe(true);
    expect(error.message).not.toContain('codeqr_wrong');
  });

  it('a key pasted with a line break: one sentence saying to paste it again, and the key never shows', async () => {
    const broken = 'zap_busi\nness';
    for (const perform of [c('createQrCode'), app.authentication.test]) {
      const before = sandbox.sb.requests.length;
      const error = await failure(run(perform, { url: 'https://example.com/broken-key' }, { key: broken }));
      expect(error.message).toMatch(/API key has a space, line break .* paste the key again/);
      expect(error.code).toBe('invalid_configuration');
      expect(error.message).not.toMatch(/zap_busi|ness|Bearer/);
      expect(sandbox.sb.requests.length, 'nothing was sent').toBe(before);
    }
  });

  it('the key goes only to CodeQR’s own origin, never to a look-alike host', () => {
    const saved = process.env[BASE_URL_ENV];
    delete process.env[BASE_URL_ENV];
    try {
      const bundle = { authData: { apiKey: 'codeqr_k' } } as never;
      const add = (url: string) => addApiKey({ url }, {} as never, bundle).headers ?? {};
      expect(add('https://api.codeqr.io/qrcodes')).toEqual({ authorization: 'Bearer codeqr_k' });
      expect(add('https://api.codeqr.io.example.com/qrcodes')).toEqual({});
      expect(add('https://api.codeqr.io@example.com/qrcodes')).toEqual({});
      expect(add('https://zapier-dev-files.s3.amazonaws.com/x.png')).toEqual({});
    } finally {
      process.env[BASE_URL_ENV] = saved;
    }
  });
});
