/**
 * The steps of `npm start`'s guided run, each against the embedded sandbox: core's client, the GitHub Action's
 * committed bundle, the Zapier app's own definitions, a scan trigger, and local QR images. Each step returns a
 * one-line summary for people and a plain-JSON result for `--headless` (the demo's test reads those).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type CodeQrClient,
  createCodeQrClient,
  pollNewScans,
  qrImageContent,
  renderQrPng,
  renderQrSvg,
  type UpsertAction,
} from '@codeqr-integrations/core';
import { PLANS_WITH_EVENTS, type Plan } from '@codeqr-integrations/core/schemas';
import { type Sandbox, startSandbox } from '@codeqr-integrations/sandbox';
import { ACTION_DIST, runAction } from './action.ts';

/** Demo keys `npm start` serves: one project per key. Sandbox-only values, never real CodeQR keys. */
export const DEMO_KEYS = {
  main: 'codeqr_sandbox_demo',
  free: 'codeqr_sandbox_demo_free',
  readOnly: 'codeqr_sandbox_demo_readonly',
} as const;

/** The sandbox's usual ports (`npm run sandbox` uses the same); taken ones fall back to free ports. */
export const DEFAULT_PORT = 8787;

export interface DemoContext {
  sandbox: Sandbox;
  apiKey: string;
  client: CodeQrClient;
  plan: Plan;
  /** Folder the demo writes its files into (images, the Action's workspace). */
  out: string;
}

export interface StepOutcome<R> {
  /** The key figure, one line. */
  line: string;
  /** A few more lines worth showing (paths, ids). */
  detail?: string[];
  result: R;
}

export interface Step<R = unknown> {
  id: string;
  title: string;
  run(ctx: DemoContext): Promise<StepOutcome<R>>;
}

const isAddressInUse = (error: unknown) => (error as { code?: unknown } | undefined)?.code === 'EADDRINUSE';

/** Step 1: the sandbox with the demo keys and a few seeded codes with scans (the README's curl lines use them). */
export async function startDemoSandbox(options: { port: number; plan: Plan }): Promise<
  StepOutcome<{ url: string; linkUrl: string; apiKey: string; plan: Plan; portFallback: boolean }> & {
    sandbox: Sandbox;
  }
> {
  const start = (port: number, linkPort: number) =>
    startSandbox({
      keys: [
        { key: DEMO_KEYS.main, plan: options.plan },
        { key: DEMO_KEYS.free, plan: 'free' },
        { key: DEMO_KEYS.readOnly, plan: options.plan, readOnly: true },
      ],
      port,
      linkPort,
      seed: 42,
    });
  let sandbox: Sandbox;
  let portFallback = false;
  try {
    sandbox = await start(options.port, options.port === 0 ? 0 : options.port + 1);
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    portFallback = true;
    sandbox = await start(0, 0);
  }
  seed(sandbox);
  return {
    sandbox,
    line: `${sandbox.url}  key ${DEMO_KEYS.main} (${options.plan} plan)${portFallback ? `  (port ${options.port} was taken)` : ''}`,
    detail: [`short links on ${sandbox.linkUrl}; 3 seeded QR codes with 6 scans`],
    result: { url: sandbox.url, linkUrl: sandbox.linkUrl, apiKey: DEMO_KEYS.main, plan: options.plan, portFallback },
  };
}

function seed(sandbox: Sandbox): void {
  const project = sandbox.project(DEMO_KEYS.main);
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
  ['US', 'BR', 'DE', 'JP', 'US', 'FR'].forEach((country, i) => {
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

export function demoClient(sandbox: Sandbox): CodeQrClient {
  return createCodeQrClient({ apiKey: DEMO_KEYS.main, baseUrl: sandbox.url, userAgent: 'codeqr-demo' });
}

type Outcome = { externalId: string; call: string; action: UpsertAction; shortLink: string };

/** Step 2: create, update and upsert through core; every call's outcome. */
export const coreStep: Step<{ created: number; updated: number; unchanged: number; calls: Outcome[] }> = {
  id: 'core',
  title: 'Core client',
  async run({ client }) {
    const calls: Outcome[] = [];
    const note = (call: string, action: UpsertAction, qr: { externalId: string | null; shortLink: string }) =>
      calls.push({ call, action, externalId: qr.externalId ?? '', shortLink: qr.shortLink });
    const poster = await client.qrcodes.create({
      url: 'https://example.com/poster',
      externalId: 'demo-poster',
      title: 'Demo poster',
    });
    note('create', 'created', poster);
    const flyer = await client.qrcodes.create({
      url: 'https://example.com/flyer',
      externalId: 'demo-flyer',
      title: 'Demo flyer',
    });
    note('create', 'created', flyer);
    note('update', 'updated', await client.qrcodes.update(flyer.id, { title: 'Demo flyer (spring)' }));
    // the same three fields again: nothing differs, nothing is written
    const same = await client.qrcodes.upsert({
      url: 'https://example.com/poster',
      externalId: 'demo-poster',
      title: 'Demo poster',
    });
    note('upsert', same.action, same.qrCode);
    const moved = await client.qrcodes.upsert({
      url: 'https://example.com/flyer-v2',
      externalId: 'demo-flyer',
      title: 'Demo flyer (spring)',
    });
    note('upsert', moved.action, moved.qrCode);
    const badge = await client.qrcodes.upsert({
      url: 'https://example.com/badge',
      externalId: 'demo-badge',
      title: 'Demo badge',
    });
    note('upsert', badge.action, badge.qrCode);
    const count = (action: UpsertAction) => calls.filter((c) => c.action === action).length;
    const result = { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), calls };
    return {
      line: `${calls.length} calls: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`,
      detail: calls.map((c) => `${c.call.padEnd(6)} ${c.externalId.padEnd(11)} → ${c.action.padEnd(9)} ${c.shortLink}`),
      result,
    };
  },
};

type ActionCounts = { code: number; created: number; updated: number; unchanged: number; failed: number };

/** Step 3: the Action's committed `dist/index.js` on a 5-row CSV catalogue, twice. */
export const actionStep: Step<{ rows: number; runs: ActionCounts[]; workspace: string }> = {
  id: 'action',
  title: 'GitHub Action',
  async run({ sandbox, apiKey, out }) {
    const workspace = join(out, 'action-workspace');
    mkdirSync(workspace, { recursive: true });
    const rows = [
      ['sku', 'url', 'title'],
      ['mug-blue', 'https://shop.example.com/mug-blue', '"Mug, blue"'],
      ['mug-red', 'https://shop.example.com/mug-red', '"Mug, red"'],
      ['poster-xl', 'https://shop.example.com/poster-xl', 'Poster XL'],
      ['cap', 'https://shop.example.com/cap', 'Cap'],
      ['tote', 'https://shop.example.com/tote', 'Tote bag'],
    ];
    writeFileSync(join(workspace, 'catalogue.csv'), `${rows.map((r) => r.join(',')).join('\n')}\n`);
    // what a workflow's `with:` gives (see packages/github-action/examples/catalogue-upsert.yml)
    const inputs = {
      operation: 'upsert-qr-code',
      'api-key': apiKey,
      'api-base-url': sandbox.url,
      file: 'catalogue.csv',
      'external-id-column': 'sku',
      'results-file': 'codeqr-results.csv',
      'fail-on-error': 'true',
    };
    const runs: ActionCounts[] = [];
    for (const n of [1, 2]) {
      const run = await runAction(inputs, workspace, join(out, `action-runner-${n}`));
      if (run.code !== 0) {
        const why = run.errors.join('; ') || run.log.trim().split('\n').at(-1);
        throw new Error(`run ${n} of ${relative(process.cwd(), ACTION_DIST)} exited ${run.code}: ${why}`);
      }
      writeFileSync(join(workspace, `job-summary-${n}.md`), run.summary);
      const count = (name: string) => Number(run.outputs[`${name}-count`] ?? Number.NaN);
      runs.push({
        code: run.code,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        failed: count('failed'),
      });
    }
    const say = (r: ActionCounts) =>
      [
        r.created && `${r.created} created`,
        r.updated && `${r.updated} updated`,
        r.unchanged && `${r.unchanged} unchanged`,
        r.failed && `${r.failed} failed`,
      ]
        .filter(Boolean)
        .join(', ') || 'nothing';
    return {
      line: `catalogue of ${rows.length - 1} rows: run 1 → ${say(runs[0] as ActionCounts)}; run 2 → ${say(runs[1] as ActionCounts)}`,
      detail: [`catalogue, results and job summaries in ${workspace}`],
      result: { rows: rows.length - 1, runs, workspace },
    };
  },
};

type ZapierQr = { id: string; externalId?: string | null; shortLink?: string };

/** Step 4: two Zapier app operations through the app's own definitions, in Zapier's test harness. */
export const zapierStep: Step<{ create: ZapierQr; search: { found: number; sameId: boolean } }> = {
  id: 'zapier',
  title: 'Zapier app',
  async run({ sandbox, apiKey }) {
    // zapier-platform-core reads NODE_ENV once, at load: under "test" its harness runs as in the app's own tests
    // (Zapier's response checks throw; no per-call memory log lines on stdout)
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'test';
    const [{ default: zapier }, { default: app }, { BASE_URL_ENV }] = await Promise.all([
      import('zapier-platform-core'),
      import('../../packages/zapier-app/src/index.ts'),
      import('../../packages/zapier-app/src/transport.ts'),
    ]).finally(() => {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    });
    // the app's local-testing switch: its definitions only ever name https://api.codeqr.io
    process.env[BASE_URL_ENV] = sandbox.url;
    const appTester = zapier.createAppTester(app);
    const perform = (kind: 'creates' | 'searches', key: string) => {
      const definition = app[kind][key];
      if (!definition) throw new Error(`the Zapier app has no ${kind.slice(0, -1)} "${key}"`);
      return definition.operation.perform;
    };
    const bundle = (inputData: Record<string, unknown>) =>
      ({
        authData: { apiKey },
        inputData,
        meta: { isLoadingSample: false, isFillingDynamicDropdown: false, isPopulatingDedupe: false },
      }) as never;
    const created = (await appTester(
      perform('creates', 'createQrCode') as never,
      bundle({ url: 'https://example.com/from-zapier', externalId: 'zap-demo', title: 'Made by a zap' }),
    )) as ZapierQr;
    const found = (await appTester(
      perform('searches', 'getQrCode') as never,
      bundle({ externalId: 'zap-demo' }),
    )) as ZapierQr[];
    const sameId = found.length === 1 && found[0]?.id === created.id;
    return {
      line: `createQrCode → ${created.id}; getQrCode (externalId zap-demo) → ${found.length} found${sameId ? ', the same code' : ''}`,
      result: {
        create: { id: created.id, externalId: created.externalId ?? null, shortLink: created.shortLink ?? '' },
        search: { found: found.length, sameId },
      },
    };
  },
};

type Poll = { primed: boolean; emitted: number };

/**
 * Step 5: a scan trigger (core's `pollNewScans`, which the n8n, Zapier and Action triggers run): the first poll
 * primes, scans arrive, the second emits them once, the third nothing. Business and Scale read each scan from
 * `/events` ("New Scan"); other plans have no `/events` and see codes whose scan count grew ("Scan Count Changed").
 */
export const scansStep: Step<{
  strategy: 'events' | 'counts';
  simulated: number;
  polls: Poll[];
  scansEmitted: number;
  emittedOnce: boolean;
}> = {
  id: 'scans',
  title: 'Scan trigger',
  async run({ sandbox, apiKey, client, plan }) {
    const strategy = PLANS_WITH_EVENTS.includes(plan) ? 'events' : 'counts';
    const polls: Poll[] = [];
    const poll = async (cursor?: unknown) => {
      const result = await pollNewScans(client, { strategy }, cursor);
      polls.push({
        primed: result.primed,
        emitted: strategy === 'events' ? result.scans.length : result.changes.length,
      });
      return result;
    };
    const first = await poll();
    // A trigger reads up to 2 s behind now (CodeQR's scan events show up a moment after their timestamp), so these
    // scans are stamped a few seconds ago: the next poll sees them, as a trigger running a minute later would.
    const at = Date.now() - 5_000;
    const recorded: string[] = [];
    for (const [externalId, country, count] of [
      ['demo-poster', 'BR', 3],
      ['demo-flyer', 'DE', 2],
    ] as const) {
      const answer = await fetch(`${sandbox.url}/__sandbox/scans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ externalId, country, count, timestamp: at + recorded.length * 100, intervalMs: 100 }),
      });
      if (!answer.ok) throw new Error(`simulating scans answered ${answer.status}: ${await answer.text()}`);
      const body = (await answer.json()) as { recorded: { id: string }[] };
      recorded.push(...body.recorded.map((r) => r.id));
    }
    const second = await poll(first.cursor);
    await poll(second.cursor);
    let scansEmitted: number;
    let emittedOnce: boolean;
    if (strategy === 'events') {
      const ids = second.scans.map((scan) => scan.id);
      scansEmitted = ids.length;
      emittedOnce = ids.length === recorded.length && recorded.every((id) => ids.includes(id));
    } else {
      scansEmitted = second.changes.reduce((sum, change) => sum + change.newScans, 0);
      emittedOnce =
        scansEmitted === recorded.length && new Set(second.changes.map((c) => c.id)).size === second.changes.length;
    }
    const [p1, p2, p3] = polls as [Poll, Poll, Poll];
    const what = strategy === 'events' ? 'new scans' : 'codes scanned more';
    return {
      line: `${recorded.length} scans simulated: poll 1 ${p1.primed ? 'primed' : `→ ${p1.emitted}`}, poll 2 → ${p2.emitted} ${what}, poll 3 → ${p3.emitted}`,
      detail: [
        strategy === 'events'
          ? 'strategy events: one item per scan (New Scan)'
          : `strategy counts (the ${plan} plan has no /events): one item per code (Scan Count Changed)`,
      ],
      result: { strategy, simulated: recorded.length, polls, scansEmitted, emittedOnce },
    };
  },
};

/** Step 6: the poster's QR code rendered locally, as PNG and SVG files. */
export const imagesStep: Step<{ dir: string; png: string; svg: string; content: string; pngBytes: number }> = {
  id: 'images',
  title: 'QR images',
  async run({ client, out }) {
    const qr = await client.qrcodes.get({ externalId: 'demo-poster' });
    const content = qrImageContent(qr);
    const png = join(out, 'demo-poster.png');
    const svg = join(out, 'demo-poster.svg');
    const bytes = renderQrPng(content, { size: 512 });
    writeFileSync(png, bytes);
    writeFileSync(svg, renderQrSvg(content, { size: 512 }));
    return {
      line: `demo-poster.png (${(bytes.length / 1024).toFixed(1)} KB) and demo-poster.svg, encoding ${content}`,
      detail: [`in ${out} (any QR reader decodes them; the short link itself opens on this machine only)`],
      result: { dir: out, png, svg, content, pngBytes: bytes.length },
    };
  },
};

export const STEPS: Step[] = [coreStep, actionStep, zapierStep, scansStep, imagesStep] as Step[];

/** Step 7: the one-line commands for the real hosts, against this sandbox. */
export function hostCommands(sandbox: Sandbox, apiKey: string) {
  return {
    n8n: 'npm run n8n',
    zapier: `authData_apiKey=${apiKey} npm run zapier -- invoke createQrCode --sandbox=${sandbox.url} -i '{"url":"https://example.com"}'`,
    zapierSearch: `authData_apiKey=${apiKey} npm run zapier -- invoke getQrCode --sandbox=${sandbox.url} -i '{"externalId":"demo-poster"}'`,
    action: 'uses: codeqr-io/codeqr-action@v1',
    curl: `curl -H 'Authorization: Bearer ${apiKey}' '${sandbox.url}/qrcodes?sort=scans'`,
  };
}
