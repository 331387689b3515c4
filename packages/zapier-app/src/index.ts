/**
 * The CodeQR Zapier app: custom API-key auth, and triggers, creates, searches and search-or-creates derived from
 * core's operation registry (`triggers/`, `creates/`, `searches/`). Requests go through `z.request` with the key
 * added here.
 */
import zapier from 'zapier-platform-core';
import packageJson from '../package.json' with { type: 'json' };
import { authentication } from './authentication.ts';
import { buildCreates } from './creates/index.ts';
import { buildSearches, buildSearchOrCreates } from './searches/index.ts';
import { addApiKey } from './transport.ts';
import { buildTriggers } from './triggers/index.ts';

const app = {
  version: packageJson.version,
  platformVersion: zapier.version,
  authentication,
  beforeRequest: [addApiKey],
  afterResponse: [],
  triggers: buildTriggers(),
  creates: buildCreates(),
  searches: buildSearches(),
  searchOrCreates: buildSearchOrCreates(),
};

export default app;
