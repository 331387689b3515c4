import { parseArgs } from 'node:util';
import { isPlan, PLANS, type Plan } from './plans.ts';
import { type SandboxKey, type SandboxOptions, startSandbox } from './server.ts';

export const HELP = `codeqr-sandbox: a local CodeQR API (api.codeqr.io) for workflows and tests

Usage
  codeqr-sandbox [options]            (from the repo root: npm run sandbox -- [options])

Options
  --port <n>           API port (default 8787; 0 picks a free port)
  --link-port <n>      short-link host port, every project's primary domain (default 8788; 0 = free port)
  --key <key>[:<plan>][:readonly]
                       an API key, repeatable; each key is its own project.
                       plans: ${PLANS.join(', ')} (default: --plan)
  --plan <plan>        plan for keys given without one (default business)
  --window-ms <ms>     rate-limit window (default 60000, as the real API; scale it down for benchmarks)
  --webhook-retry-ms <list>
                       comma-separated webhook retry delays (default 120,1480,18080)
  --seed <n>           deterministic ids and keys
  --data <file>        persist state in this JSON file (loaded at start)
  --host <addr>        bind address (default 127.0.0.1)
  --dub-headers        rate-limit headers as Dub's code sends them: X-RateLimit-Reset and Retry-After both the
                       reset instant in epoch MILLISECONDS, on every answer (default: as CodeQR's docs say,
                       reset in epoch seconds, Retry-After a delay in seconds on 429 only)
  --dub-bulk           POST /qrcodes/bulk answers as Dub's code does: [...created, ...errors], and items whose
                       externalId already exists are skipped without a word (default: input order, errors in place)
  --dub-with-tags      lists as Dub's code answers them: tags always included, and withTags=true lists only
                       codes that have a tag (default: as the spec says, tags only with withTags=true)
  --standard-payloads  QR payloads in their intended standard forms (default: as CodeQR builds them, known bugs
                       included: a static crypto code reads crypto.email, geo encodes geo:undefined, facetime "")
  --no-quotas          no per-plan quotas or feature gates (default: each plan's limits answer 403 as CodeQR does)
  --quiet              print only the ready line
  -h, --help           show this help

Prints "CodeQR sandbox listening on http://127.0.0.1:<port>" when ready; stops cleanly on SIGINT/SIGTERM.
Control API (sandbox only): /__sandbox/scans, /__sandbox/webhooks, /__sandbox/faults, /__sandbox/reset.
`;

export const DEFAULT_KEY = 'codeqr_sandbox_key';

export function parseKey(spec: string, defaultPlan: Plan): SandboxKey {
  const [key = '', ...rest] = spec.split(':');
  if (!key) throw new Error(`--key "${spec}": the key is empty`);
  let plan = defaultPlan;
  let readOnly = false;
  for (const part of rest) {
    if (part === 'readonly' || part === 'ro') readOnly = true;
    else if (isPlan(part)) plan = part;
    else
      throw new Error(`--key "${key}:${part}": unknown plan "${part}"; use one of ${PLANS.join(', ')} or "readonly"`);
  }
  return { key, plan, readOnly };
}

function int(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min} (got "${value}")`);
  return n;
}

export interface CliConfig {
  options: SandboxOptions;
  quiet: boolean;
  help: boolean;
}

export function parseCli(argv: string[]): CliConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'link-port': { type: 'string' },
      key: { type: 'string', multiple: true },
      plan: { type: 'string' },
      'window-ms': { type: 'string' },
      'webhook-retry-ms': { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
      host: { type: 'string' },
      'dub-headers': { type: 'boolean', default: false },
      'dub-bulk': { type: 'boolean', default: false },
      'dub-with-tags': { type: 'boolean', default: false },
      'standard-payloads': { type: 'boolean', default: false },
      'no-quotas': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const plan = values.plan ?? 'business';
  if (!isPlan(plan)) throw new Error(`--plan "${values.plan}": use one of ${PLANS.join(', ')}`);
  const keys = (values.key ?? [DEFAULT_KEY]).map((spec) => parseKey(spec, plan));
  const retry = values['webhook-retry-ms'];
  return {
    help: values.help ?? false,
    quiet: values.quiet ?? false,
    options: {
      keys,
      port: int('port', values.port, 8787),
      linkPort: int('link-port', values['link-port'], 8788),
      host: values.host ?? '127.0.0.1',
      windowMs: int('window-ms', values['window-ms'], 60_000, 1),
      seed: values.seed === undefined ? undefined : int('seed', values.seed, 0),
      dataFile: values.data,
      rateLimitHeaders: values['dub-headers'] ? 'dub' : 'docs',
      bulkAnswers: values['dub-bulk'] ? 'dub' : 'docs',
      withTags: values['dub-with-tags'] ? 'dub' : 'docs',
      payloads: values['standard-payloads'] ? 'standard' : 'codeqr',
      quotas: !values['no-quotas'],
      webhookRetryDelaysMs:
        retry === undefined ? undefined : retry.split(',').map((v) => int('webhook-retry-ms', v, 0)),
    },
  };
}

/** Runs the sandbox until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCli(argv);
  } catch (error) {
    console.error(`codeqr-sandbox: ${(error as Error).message}\nRun with --help for usage.`);
    process.exitCode = 2;
    return;
  }
  if (config.help) {
    process.stdout.write(HELP);
    return;
  }
  const log = config.quiet ? undefined : (line: string) => console.error(`[codeqr-sandbox] ${line}`);
  const sandbox = await startSandbox({ ...config.options, log });
  console.log(`CodeQR sandbox listening on ${sandbox.url}`);
  if (!config.quiet) {
    console.log(`Short links served at ${sandbox.linkUrl}`);
    for (const k of config.options.keys) {
      console.log(`  key ${k.key}  plan=${k.plan}${k.readOnly ? ' read-only' : ''}`);
    }
    const { rateLimitHeaders, bulkAnswers, withTags, quotas } = config.options;
    console.log(
      `  rate-limit headers: ${rateLimitHeaders}; bulk answers: ${bulkAnswers}; withTags: ${withTags}; quotas: ${quotas ? 'on' : 'off'}`,
    );
  }
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  await main(process.argv.slice(2));
}
