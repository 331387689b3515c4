// The published shape of @codeqr-integrations/core: tsup builds dist/ once, then publint, attw and a real import of
// both module formats check what consumers outside the monorepo (no "source" condition) would get.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { beforeAll, describe, expect, it } from 'vitest';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const binOf = (pkg: string, bin: string) => {
  const manifest = require.resolve(`${pkg}/package.json`);
  const bins = JSON.parse(readFileSync(manifest, 'utf8')).bin as Record<string, string>;
  return join(dirname(manifest), bins[bin]!);
};
const run = (args: string[]) =>
  execFileSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

type ExportTarget = string | { [condition: string]: ExportTarget };
const collectTargets = (target: ExportTarget): string[] =>
  typeof target === 'string' ? [target] : Object.values(target).flatMap(collectTargets);

/** The public surface (README "Public surface"): what hosts and users call. Anything else is internal. */
const BASE_SURFACE = [
  'CODEQR_ERROR_CODES',
  'CodeQrError',
  'DEFAULT_BASE_URL',
  'FIELD_KINDS',
  'RECENT_LOOKBACK_MS',
  'RECENT_MAX_ITEMS',
  'RecentScanCount',
  'SIGNATURE_HEADER',
  'actions',
  'createCodeQrClient',
  'createWebhookDeduper',
  'defineOperation',
  'defineTrigger',
  'describeFields',
  'diffScanCounts',
  'dynamicSources',
  'fieldAtPath',
  'getOperation',
  'getTrigger',
  'headersToRecord',
  'humanize',
  'isCodeQrError',
  'kebabKey',
  'listOptions',
  'operations',
  'parseWebhookEvent',
  'pollNewQrCodes',
  'pollNewScans',
  'qrImageContent',
  'recentQrCodes',
  'recentReaders',
  'recentScanCounts',
  'recentScans',
  'renderQrPng',
  'renderQrSvg',
  'runItems',
  'scanEventFromRow',
  'scanEventFromWebhook',
  'schemas',
  'selectNewQrCodes',
  'selectNewScans',
  'signWebhook',
  'transportError',
  'triggers',
  'typeContent',
  'verifyWebhook',
];
const MAIN_SURFACE = [...BASE_SURFACE, 'createFetchTransport', 'timerSleep'].sort();
/** The `schemas` namespace and `/schemas` entry: CodeQR's body schemas and the plan and webhook facts hosts read. */
const SCHEMAS_SURFACE = [
  'AnalyticsGroupBy',
  'AnalyticsInterval',
  'AnalyticsQuery',
  'AnalyticsResponse',
  'BulkDeleteResult',
  'BulkItemError',
  'CreateQrCodeBody',
  'CreateQrCodeRequest',
  'DeletedQrCode',
  'Domain',
  'EventsQuery',
  'Folder',
  'PLANS',
  'PLANS_WITH_EVENTS',
  'Plan',
  'QR_WEBHOOK_EVENTS',
  'QrCode',
  'QrCodeFields',
  'QrCodeType',
  'QrLevel',
  'QrWebhookEvent',
  'SIGNATURE_HEADER',
  'ScanEventRow',
  'ScanEventRows',
  'Tag',
  'TagColor',
  'UpdateQrCodeBody',
  'UpdateQrCodeRequest',
];

describe('package build', () => {
  beforeAll(() => {
    run([binOf('tsup', 'tsup'), '--silent']);
  }, 120_000);

  it('emits every file the exports map points at', () => {
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    const targets = collectTargets(manifest.exports);
    const distTargets = targets.filter((target) => target.startsWith('./dist/'));
    expect(distTargets).toHaveLength(16);
    expect(targets.filter((target) => !existsSync(join(pkgDir, target)))).toEqual([]);
  });

  it('publint reports no errors or warnings', async () => {
    const { messages } = await publint({ pkgDir, level: 'warning', strict: true });
    expect(messages.map(({ code, path, type }) => ({ code, path: path.join('.'), type }))).toEqual([]);
  }, 60_000);

  it('attw finds no type resolution problems for node10, node16 (cjs/esm) or bundler', () => {
    const report = JSON.parse(run([binOf('@arethetypeswrong/cli', 'attw'), '--pack', '.', '--format', 'json']));
    expect(report.analysis.problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([
      '.',
      './base',
      './fetch',
      './package.json',
      './schemas',
    ]);
    for (const { resolutions } of Object.values<{ resolutions: object }>(report.analysis.entrypoints)) {
      expect(Object.keys(resolutions).sort()).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
    }
  }, 60_000);

  it('the built ESM and CJS entries load in plain Node and export createCodeQrClient', () => {
    const esm = `const m = await import('./dist/index.js'); const b = await import('./dist/base.js');
      console.log(JSON.stringify([typeof m.createCodeQrClient, typeof m.createFetchTransport, typeof b.createFetchTransport]));`;
    const cjs = `const m = require('./dist/index.cjs'); const b = require('./dist/base.cjs');
      console.log(JSON.stringify([typeof m.createCodeQrClient, typeof m.createFetchTransport, typeof b.createFetchTransport]));`;
    const expected = ['function', 'function', 'undefined'];
    expect(JSON.parse(run(['--input-type=module', '-e', esm]))).toEqual(expected);
    expect(JSON.parse(run(['--input-type=commonjs', '-e', cjs]))).toEqual(expected);
  });

  it('the main, base and schemas entries export the public surface and nothing else, in both formats', () => {
    const list = (load: string) =>
      `${load} console.log(JSON.stringify([m, b, m.schemas, s].map((entry) => Object.keys(entry).sort())));`;
    const esm = list(
      `const m = await import('./dist/index.js'); const b = await import('./dist/base.js'); const s = await import('./dist/schemas.js');`,
    );
    const cjs = list(
      `const m = require('./dist/index.cjs'); const b = require('./dist/base.cjs'); const s = require('./dist/schemas.cjs');`,
    );
    for (const [main, base, namespace, schemas] of [
      JSON.parse(run(['--input-type=module', '-e', esm])),
      JSON.parse(run(['--input-type=commonjs', '-e', cjs])),
    ]) {
      expect(main).toEqual(MAIN_SURFACE);
      expect(base).toEqual([...BASE_SURFACE].sort());
      expect(namespace).toEqual([...SCHEMAS_SURFACE].sort());
      expect(schemas).toEqual([...SCHEMAS_SURFACE].sort());
    }
  });
});
