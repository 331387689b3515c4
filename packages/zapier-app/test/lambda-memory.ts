/**
 * Vitest set-up for the Zapier app's suites. zapier-platform-core guards each Lambda with a memory check: once a
 * process has served 250 invocations with more than 450 MB resident it calls `process.exit(1)`, and Zapier starts a
 * fresh Lambda and retries (`tools/memory-checker.js`). A test worker is one long-lived process serving thousands of
 * invocations, so that guard would end the worker midway (vitest: "process.exit unexpectedly called"). Here the
 * checker module is replaced, before zapier-platform-core first loads it, by one that does nothing; nothing else of
 * the platform changes.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const path = require.resolve('zapier-platform-core/src/tools/memory-checker');
require.cache[path] = { id: path, filename: path, loaded: true, exports: () => undefined } as unknown as NodeJS.Module;
