import { parseArgs, styleText } from 'node:util';
import { PLANS, type Plan } from '@codeqr-integrations/core/schemas';
import { startSandbox } from './server.ts';

/** Demo keys `npm start` serves: one project per key. Sandbox-only values, never real CodeQR keys. */
export const DEMO_KEYS = {
  main: 'codeqr_sandbox_demo',
  free: 'codeqr_sandbox_demo_free',
  readOnly: 'codeqr_sandbox_demo_readonly',
} as const;

const HELP = `npm start: run the CodeQR sandbox with demo keys and a few QR codes

Usage: npm start -- [--port <n>] [--plan <plan>] [--data <file>] [--quiet]

  --port <n>     API port (default 8787; the short-link host uses port + 1)
  --plan <plan>  plan of the main demo key: ${PLANS.join(', ')} (default business)
  --data <file>  keep the demo's state in this JSON file across restarts
  --quiet        print only the ready line
`;

const bold = (s: string) => styleText('bold', s);
const dim = (s: string) => styleText('dim', s);
const cyan = (s: string) => styleText('cyan', s);
const green = (s: string) => styleText('green', s);

async function main(argv: string[]): Promise<void> {
  let values: { port?: string; plan?: string; data?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        plan: { type: 'string' },
        data: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port ?? 8787);
  const plan = (values.plan ?? 'business') as Plan;
  if (!Number.isInteger(port) || port < 0 || port > 65534) {
    console.error(`npm start: --port must be a port number (got "${values.port}")`);
    process.exitCode = 2;
    return;
  }
  if (!(PLANS as readonly string[]).includes(plan)) {
    console.error(`npm start: --plan must be one of ${PLANS.join(', ')} (got "${values.plan}")`);
    process.exitCode = 2;
    return;
  }

  const sandbox = await startSandbox({
    keys: [
      { key: DEMO_KEYS.main, plan },
      { key: DEMO_KEYS.free, plan: 'free' },
      { key: DEMO_KEYS.readOnly, plan, readOnly: true },
    ],
    port,
    linkPort: port === 0 ? 0 : port + 1,
    dataFile: values.data,
    seed: values.data ? undefined : 42,
  });

  const project = sandbox.project(DEMO_KEYS.main);
  if (project.data.qrCodes.length === 0) {
    const store = sandbox.store;
    const spring = store.create(project, {
      type: 'url',
      url: 'https://example.com/spring-sale',
      key: 'spring-sale',
      externalId: 'campaign-spring',
      title: 'Spring sale poster',
    });
    store.create(project, {
      type: 'url',
      url: 'https://example.com/menu',
      key: 'menu',
      externalId: 'table-menu',
      title: 'Restaurant menu',
    });
    store.create(project, {
      type: 'wifi',
      static: true,
      wifi: { ssid: 'Guest', password: 'welcome123', encryption: 'WPA' },
      title: 'Guest Wi-Fi',
    });
    const day = 86_400_000;
    const now = store.now();
    const countries = ['US', 'BR', 'DE', 'JP', 'US', 'FR'];
    countries.forEach((country, i) => {
      store.recordScan(project, spring, {
        timestamp: now - (i + 1) * (day / 3),
        url: spring.url ?? '',
        country,
        city: 'Unknown',
        region: 'Unknown',
        continent: 'Unknown',
        device: i % 2 ? 'Desktop' : 'Mobile',
        browser: i % 2 ? 'Chrome' : 'Safari',
        os: i % 2 ? 'Windows' : 'iOS',
        referer: '(direct)',
        refererUrl: '(direct)',
        ip: '127.0.0.1',
        ua: 'demo',
      });
    });
  }

  console.log(`CodeQR sandbox listening on ${sandbox.url}`);
  if (!values.quiet) {
    const key = DEMO_KEYS.main;
    const auth = `-H 'Authorization: Bearer ${key}'`;
    const spring = project.data.qrCodes.find((qr) => qr.key === 'spring-sale');
    console.log(`
${bold('Base URL')}     ${cyan(sandbox.url)}   ${dim('(point n8n, Zapier or the Action here)')}
${bold('Short links')}  ${cyan(sandbox.linkUrl)}
${bold('API keys')}     ${green(key)} ${dim(`(${plan})`)}
             ${green(DEMO_KEYS.free)} ${dim('(free: 10 QR codes a month, no /events, 60 req/min)')}
             ${green(DEMO_KEYS.readOnly)} ${dim('(read-only: writes answer 403)')}

${bold('Try it')}
  ${dim('# create a QR code')}
  curl ${auth} -H 'content-type: application/json' -d '{"url":"https://example.com"}' ${sandbox.url}/qrcodes
  ${dim('# list QR codes, most scanned first')}
  curl ${auth} '${sandbox.url}/qrcodes?sort=scans'
  ${dim('# scan one for real (a redirect that counts a scan)')}
  curl -i ${spring?.shortLink ?? `${sandbox.linkUrl}/spring-sale`}
  ${dim('# simulate 25 scans from Brazil')}
  curl ${auth} -H 'content-type: application/json' -d '{"externalId":"campaign-spring","count":25,"country":"BR"}' ${sandbox.url}/__sandbox/scans
  ${dim('# scans per country, and the individual scan events')}
  curl ${auth} '${sandbox.url}/analytics?event=scans&groupBy=countries&interval=30d'
  curl ${auth} '${sandbox.url}/events?event=scans&limit=5'

${dim('Ctrl+C stops the sandbox. Flags: npm start -- --help')}`);
  }
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main(process.argv.slice(2));
