import type { Exchange } from '@codeqr-integrations/sandbox';
import { loadSpec } from '../contract/spec.ts';

/**
 * The test-level hook behind "every request the client sends is valid against the official spec": collect the
 * sandbox's exchanges (its `onExchange` option), then check each request against `openapi.json`.
 *
 * One documented exception (brief, "known spec gaps" 3): the spec marks `projectSlug`, `domain` and `key` required on
 * `GET /qrcodes/info`, yet the route resolves the project from the key and accepts any one identifier: `projectSlug`
 * is never needed, and a lookup by `qrCodeId` or `externalId` omits `domain`/`key`. Only those "required" complaints
 * are forgiven, only on that route; anything else wrong with a request still fails.
 */
export async function invalidClientRequests(exchanges: readonly Exchange[]): Promise<string[]> {
  const spec = await loadSpec();
  const problems: string[] = [];
  for (const exchange of exchanges) {
    const info = exchange.path === '/qrcodes/info';
    const byIdentifier = info && (exchange.query.qrCodeId || exchange.query.externalId);
    const forgiven = byIdentifier
      ? /must have required property '(projectSlug|domain|key)'/
      : /must have required property 'projectSlug'/;
    const found = spec.checkRequest(exchange).filter((p) => !(info && forgiven.test(p)));
    for (const p of found) problems.push(`${exchange.method} ${exchange.path}: ${p}`);
  }
  return problems;
}
