/**
 * Custom auth with one CodeQR API key. The test reads the project's domains (one cheap authenticated call every
 * key may make) and labels the connection with the project's primary domain.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { toZapierError } from './errors.ts';
import { clientFor } from './transport.ts';

export const API_KEYS_URL = 'https://app.codeqr.io/settings/tokens';

export interface ConnectionInfo {
  /** What the connection is called in Zapier: the project's primary domain. */
  project: string;
  domains: number;
}

export async function testAuth(z: ZObject, _bundle: Bundle): Promise<ConnectionInfo> {
  try {
    const domains = await clientFor(z).domains.list({ pageSize: 50 });
    const primary = domains.find((d) => d.primary) ?? domains[0];
    return { project: primary ? primary.slug : 'CodeQR project', domains: domains.length };
  } catch (error) {
    // a wrong or revoked key: the same expired-connection path as every step (Zapier asks to reconnect)
    throw toZapierError(z, error);
  }
}

export const authentication = {
  type: 'custom' as const,
  fields: [
    {
      key: 'apiKey',
      label: 'API Key',
      required: true,
      type: 'password' as const,
      helpText:
        `Your CodeQR API key (it starts with \`codeqr_\`). Create one in CodeQR under [Settings → API Keys](${API_KEYS_URL}); ` +
        'a key with write access is needed for the create and update actions.',
    },
  ],
  test: testAuth,
  connectionLabel: '{{project}}',
};
