/**
 * The runner's entry (`runs.main: dist/index.js`). The API key is masked before anything else can print, then the
 * rest of the Action (core, zod, the registry) loads.
 */
import { getInput, setSecret } from '@actions/core';

const apiKey = getInput('api-key');
if (apiKey) setSecret(apiKey);

const { run } = await import('./main.ts');
await run(apiKey);
