/**
 * The CodeQR Zapier app: custom API-key auth, and triggers, creates, searches and search-or-creates derived from
 * core's operation registry (`operations.ts`). Requests go through `z.request` with the key added here.
 */
import zapier from 'zapier-platform-core';
import packageJson from '../package.json' with { type: 'json' };
import { authentication } from './authentication.ts';
import { addApiKey } from './client.ts';
import { buildCreates, buildSearches, buildSearchOrCreates, buildTriggers } from './operations.ts';

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
