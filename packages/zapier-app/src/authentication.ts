/**
 * Custom auth with one CodeQR API key. The test reads the project's domains (one cheap authenticated call every
 * key may make) and labels the connection with the project's primary domain.
 */
import { isCodeQrError } from '@codeqr-integrations/core/base';
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
    if (isCodeQrError(error) && error.code === 'unauthorized') {
      throw new z.errors.Error(
        'CodeQR rejected this API key (401). Paste the whole key (it starts with "codeqr_"), or create a new one ' +
          'under Settings → API Keys in CodeQR.',
        'unauthorized',
        401,
      );
    }
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
