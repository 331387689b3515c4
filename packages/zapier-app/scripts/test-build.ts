/**
 * `npm run test:build -w codeqr-zapier`: the app the way Zapier gets it. Zapier's CLI 19.1.0 (installed into the
 * cache, never into the repo) validates it offline and builds build.zip; the zip is unzipped and its own
 * `zapierwrapper.js` runs a create and a trigger on Node 22 (Zapier's runtime for core 19) against the sandbox.
 * Exits non-zero on any failure. Works with CI=true and no stdin.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startSandbox } from '@codeqr-integrations/sandbox';
import { unzipSync } from 'fflate';
import { node22, zapierCli } from './runtimes.ts';
import { appDir, stage } from './stage.ts';

const repoBin = join(appDir, '..', '..', 'node_modules', '.bin');
// no analytics calls to zapier.com from tests (the CLI's own switch)
const env = { ...process.env, CI: 'true', DISABLE_ZAPIER_ANALYTICS: '1', PATH: `${repoBin}:${process.env.PATH ?? ''}` };
const started = Date.now();
const step = (text: string) =>
  console.log(`\n== zapier build: ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

function cli(bin: string, args: string[], cwd: string): string {
  const out = execFileSync(bin, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(out);
  return out;
}

/** Runs inside the unzipped build on Node 22: the Lambda handler Zapier calls, with Zapier's event shape. */
const DRIVER = `
const { handler } = await import('./zapierwrapper.js');
const apiKey = process.env.DRIVER_API_KEY;
const call = (method, inputData) =>
  handler({ command: 'execute', method, bundle: { authData: { apiKey }, inputData, meta: {} } }).then((r) => r.results);
const definition = (await handler({ command: 'definition' })).results;
const created = await call('creates.createQrCode.operation.perform', {
  url: 'https://example.com/from-build-zip', title: 'From build.zip', externalId: 'build-zip-1', size: '512',
});
const polled = await call('triggers.newQrCode.operation.perform', {});
const bulk = await call('creates.bulkCreateQrCodes.operation.perform', {
  items: [{ url: 'https://example.com/bulk/1' }, { url: 'not a url' }],
});
let unauthorized;
try {
  await handler({ command: 'execute', method: 'creates.createQrCode.operation.perform',
    bundle: { authData: { apiKey: 'wrong' }, inputData: { url: 'https://example.com' } } });
} catch (error) {
  unauthorized = { name: error.name, message: error.message };
}
console.log(JSON.stringify({ node: process.version, definition, created, polled, bulk, unauthorized }));
`;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`build check failed: ${message}`);
}

async function main() {
  step('runtimes (cached)');
  const zapier = zapierCli();
  const node = node22();

  step('zapier-platform validate --without-style (offline)');
  const validated = cli(zapier, ['validate', '--without-style'], appDir);
  check(/structurally sound/.test(validated), 'validate did not report a sound project');

  step('stage the standalone app');
  const dir = stage();

  step('zapier-platform build --skip-validation --skip-dep-install');
  const built = cli(zapier, ['build', '--skip-validation', '--skip-dep-install'], dir);
  check(/Build complete/.test(built), 'build did not complete');

  step('unzip build.zip');
  const out = mkdtempSync(join(tmpdir(), 'codeqr-zapier-build-'));
  const files = unzipSync(readFileSync(join(dir, 'build', 'build.zip')));
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), data);
  }
  console.log(`${Object.keys(files).length} files in ${out}`);
  for (const shipped of ['dist/THIRD_PARTY_NOTICES.txt', 'dist/LICENSE'])
    check(files[shipped] !== undefined, `build.zip does not carry ${shipped}`);
  writeFileSync(join(out, 'zap-driver.mjs'), DRIVER);

  step('run a create and a trigger from the unzipped build on Node 22 against the sandbox');
  const key = 'zap_build_business';
  const sandbox = await startSandbox({ keys: [{ key, plan: 'business' }], seed: 22 });
  try {
    const { stdout: text } = await promisify(execFile)(node, ['zap-driver.mjs'], {
      cwd: out,
      env: { PATH: env.PATH, HOME: process.env.HOME, CODEQR_API_BASE_URL: sandbox.url, DRIVER_API_KEY: key },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = text.trim().split('\n').pop() ?? '';
    const result = JSON.parse(line);
    check(result.node.startsWith('v22.'), `ran on ${result.node}, not Node 22`);
    check(result.definition.platformVersion === '19.1.0', 'definition is not on core 19.1.0');
    for (const key of ['newScan', 'updatedScanCount', 'newQrCode'])
      check(result.definition.triggers[key], `trigger ${key} missing from definition.json`);
    check(
      result.created.id && result.created.shortLink && result.created.size === 512,
      'create did not answer a QR code',
    );
    check(
      result.polled.some((item: { id: string }) => item.id === result.created.id),
      'New QR Code did not return the created code',
    );
    check(
      result.bulk.succeeded === 1 &&
        result.bulk.failed === 1 &&
        /Destination URL/.test(result.bulk.results[1].errorMessage),
      `bulk create lines: ${JSON.stringify(result.bulk)}`,
    );
    check(
      result.unauthorized?.name === 'ExpiredAuthError' &&
        /Reconnect your CodeQR account/.test(result.unauthorized.message),
      `401 mapping: ${JSON.stringify(result.unauthorized)}`,
    );

    step('npm run zapier -- invoke newQrCode (zapier-platform invoke, locally, against the sandbox)');
    // async: the sandbox answers from this very process
    const { stdout: invoked } = await promisify(execFile)(
      process.execPath,
      ['--conditions=source', join(appDir, 'scripts', 'zapier.ts'), 'invoke', 'newQrCode', '--non-interactive'],
      {
        cwd: appDir,
        env: { ...env, CODEQR_API_BASE_URL: sandbox.url, authData_apiKey: key },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    check(invoked.includes(result.created.id), `invoke did not list the created QR code:\n${invoked.slice(0, 500)}`);

    console.log(
      `ok: ${result.node}; created ${result.created.shortLink}; New QR Code returned ${result.polled.length} item(s); ` +
        `bulk ${result.bulk.succeeded} created / ${result.bulk.failed} failed; 401 → ${result.unauthorized.name}; ` +
        'zapier-platform invoke listed it too',
    );
  } finally {
    await sandbox.close();
    rmSync(out, { recursive: true, force: true });
  }
  step('done');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
