/**
 * `npm start`: a guided run of the product on the embedded sandbox. It starts the sandbox, then, one line per step,
 * drives it through core's client, the GitHub Action's committed bundle, the Zapier app's own definitions and a scan
 * trigger, writes QR images, prints the commands for the real hosts, and keeps the sandbox serving (Ctrl+C stops
 * it). `--headless` (or CODEQR_DEMO_HEADLESS=1) prints one JSON line per step instead, stops the sandbox and exits
 * non-zero when a step failed. The bare sandbox is `npm run sandbox`.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, styleText } from 'node:util';
import { PLANS, type Plan } from '@codeqr-integrations/core/schemas';
import {
  DEFAULT_PORT,
  DEMO_KEYS,
  type DemoContext,
  demoClient,
  hostCommands,
  STEPS,
  type StepOutcome,
  startDemoSandbox,
} from './demo/steps.ts';

const HELP = `npm start: a guided run of the CodeQR integrations on a local sandbox

Usage: npm start -- [--port <n>] [--plan <plan>] [--out <dir>] [--headless]

  --port <n>     API port (default ${DEFAULT_PORT}, or a free one when taken; short links on port + 1)
  --plan <plan>  plan of the demo key: ${PLANS.join(', ')} (default business)
  --out <dir>    where the QR images and the Action's workspace go (default: codeqr-demo in the temp folder)
  --headless     print one JSON line per step, stop the sandbox and exit (also CODEQR_DEMO_HEADLESS=1);
                 exit code 1 when a step failed
`;

// styleText drops colours when stdout is not a TTY or NO_COLOR is set
const bold = (s: string) => styleText('bold', s);
const dim = (s: string) => styleText('dim', s);
const cyan = (s: string) => styleText('cyan', s);
const green = (s: string) => styleText('green', s);
const red = (s: string) => styleText('red', s);

interface StepReport {
  step: string;
  ok: boolean;
  ms: number;
  result?: unknown;
  error?: string;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function main(argv: string[]): Promise<number> {
  let values: { port?: string; plan?: string; out?: string; headless?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        plan: { type: 'string' },
        out: { type: 'string' },
        headless: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`npm start: ${errorText(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = Number(values.port ?? DEFAULT_PORT);
  const plan = (values.plan ?? 'business') as Plan;
  if (!Number.isInteger(port) || port < 0 || port > 65534) {
    console.error(`npm start: --port must be a port number (got "${values.port}")`);
    return 2;
  }
  if (!(PLANS as readonly string[]).includes(plan)) {
    console.error(`npm start: --plan must be one of ${PLANS.join(', ')} (got "${values.plan}")`);
    return 2;
  }
  const headless = values.headless === true || ['1', 'true'].includes(process.env.CODEQR_DEMO_HEADLESS ?? '');
  const out = resolve(values.out ?? resolve(tmpdir(), 'codeqr-demo'));

  const tty = !headless && process.stdout.isTTY === true;
  const reports: StepReport[] = [];
  const report = (step: string, title: string, started: number, outcome: StepOutcome<unknown> | Error) => {
    const ms = Math.round(performance.now() - started);
    const ok = !(outcome instanceof Error);
    const entry: StepReport = ok ? { step, ok, ms, result: outcome.result } : { step, ok, ms, error: outcome.message };
    reports.push(entry);
    if (headless) {
      console.log(JSON.stringify(entry));
      return;
    }
    if (tty) process.stdout.write('\r\x1b[2K');
    const name = bold(title.padEnd(14));
    if (ok) {
      console.log(`${green('✓')} ${name} ${outcome.line} ${dim(`${ms} ms`)}`);
      for (const line of outcome.detail ?? []) console.log(`  ${' '.repeat(14)} ${dim(line)}`);
    } else {
      console.log(`${red('✗')} ${name} ${red(outcome.message)}`);
    }
  };
  const pending = (title: string) => {
    if (tty) process.stdout.write(`${dim('…')} ${bold(title.padEnd(14))} ${dim('running')}`);
  };

  if (!headless) console.log(`${bold('CodeQR integrations: a guided run on a local sandbox')}\n`);
  let started = performance.now();
  pending('Sandbox');
  let sandboxStep: Awaited<ReturnType<typeof startDemoSandbox>>;
  try {
    sandboxStep = await startDemoSandbox({ port, plan });
    report('sandbox', 'Sandbox', started, sandboxStep);
  } catch (error) {
    report('sandbox', 'Sandbox', started, new Error(errorText(error)));
    return 1;
  }
  const { sandbox } = sandboxStep;
  mkdirSync(out, { recursive: true });
  const ctx: DemoContext = { sandbox, apiKey: sandboxStep.result.apiKey, client: demoClient(sandbox), plan, out };

  for (const step of STEPS) {
    started = performance.now();
    pending(step.title);
    try {
      report(step.id, step.title, started, await step.run(ctx));
    } catch (error) {
      report(step.id, step.title, started, new Error(errorText(error)));
    }
  }

  const commands = hostCommands(sandbox, ctx.apiKey);
  const failed = reports.filter((r) => !r.ok).length;
  if (headless) {
    console.log(JSON.stringify({ step: 'commands', ok: true, ms: 0, result: commands }));
    await sandbox.close();
    return failed > 0 ? 1 : 0;
  }

  console.log(`
${failed > 0 ? red(`${failed} step(s) failed (above); the sandbox still runs.`) : green('Every step passed.')}

${bold('Base URL')}  ${cyan(sandbox.url)}   ${bold('API key')}  ${green(ctx.apiKey)} ${dim(`(${plan}; sandbox-only)`)}

${bold('Now try the real hosts')}
  ${dim('# n8n: real n8n with the CodeQR nodes, its own sandbox and example workflows (first run installs n8n)')}
  ${commands.n8n}
  ${dim('# Zapier: run one of the app\u2019s creates or searches through the Zapier CLI, against this sandbox')}
  ${commands.zapier}
  ${commands.zapierSearch}
  ${dim('# GitHub Actions: a step in your workflow (see packages/github-action/examples)')}
  ${commands.action}
  ${dim('# the API itself: the QR codes, most scanned first')}
  ${commands.curl}

${dim(`More keys: ${DEMO_KEYS.free} (free plan), ${DEMO_KEYS.readOnly} (read-only: writes answer 403).`)}
${dim(`Ctrl+C stops the sandbox; npm start -- --help for flags.`)}`);
  // the first Ctrl+C closes the sandbox cleanly; a second one while it closes exits at once
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1; // keep serving
}

// `npm start | head` closes the pipe early: stop quietly rather than crash on EPIPE
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const code = await main(process.argv.slice(2));
// a finished run exits at once (Zapier's and ky's keep-alive sockets would hold the process a while)
if (code >= 0) process.exit(code);
