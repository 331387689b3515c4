/** The example workflows parse, are valid workflows, and use only inputs, outputs and operations the Action has. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../scripts/run-dist.ts';
import { findCommand } from '../src/commands.ts';

const action = parse(readFileSync(join(packageRoot, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
};
const dir = join(packageRoot, 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
/** What the release produces (the Marketplace repository and its moving major tag), which the READMEs pin too. */
const USES = /^codeqr-io\/codeqr-action@v\d+$/;

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
type Workflow = { jobs: Record<string, { steps?: Step[] }> };

/** A step of ours that polls (poll-scans, poll-<trigger>): it keeps a cursor in its state file. */
const isPoll = (step: Step) => findCommand(String(step.with?.operation ?? ''))?.op.kind === 'trigger';

const schema = JSON.parse(readFileSync(join(packageRoot, 'test/fixtures/github-workflow.schema.json'), 'utf8'));
const validateWorkflow = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('examples', () => {
  it('covers catalogue upsert, PR comment, scan and QR-code polls with dispatch and a sharded matrix', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'catalogue-upsert.yml',
        'new-qr-code-poll.yml',
        'pr-preview-comment.yml',
        'scan-poll-dispatch.yml',
        'sharded-matrix.yml',
      ]),
    );
  });

  it.each(files)('%s is a valid workflow using only real inputs, outputs and operations', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const workflow = parse(text) as Workflow;
    expect(validateWorkflow(workflow), JSON.stringify(validateWorkflow.errors?.slice(0, 3))).toBe(true);
    const ours = new Map<string, Step>();
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.uses?.startsWith('codeqr-io/codeqr-action@')) continue;
        expect(step.uses).toMatch(USES);
        for (const name of Object.keys(step.with ?? {}))
          expect(Object.keys(action.inputs), `${file}: ${name}`).toContain(name);
        expect(findCommand(String(step.with?.operation)), `${file}: operation`).toBeDefined();
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
        expect(step.with?.['api-key']).toBe('${{ secrets.CODEQR_API_KEY }}');
        if (step.id) ours.set(step.id, step);
      }
    }
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect(ours.has(id as string), `${file}: steps.${id} is one of ours`).toBe(true);
      expect(Object.keys(action.outputs), `${file}: output ${output}`).toContain(output);
    }
  });

  it.each(files)('%s: a cache that keeps a cursor saves a new entry on every run and re-run attempt', (file) => {
    const workflow = parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
    for (const job of Object.values(workflow.jobs)) {
      const steps = job.steps ?? [];
      const saves = steps.filter((s) => s.uses?.startsWith('actions/cache/save@'));
      for (const save of saves) {
        const key = String(save.with?.key);
        // cache keys are immutable: a key reused by a re-run (same run_id) is never saved again
        expect(key, `${file}: cache key`).toMatch(/\$\{\{ github\.run_id \}\}/);
        expect(key, `${file}: cache key`).toMatch(/\$\{\{ github\.run_attempt \}\}/);
        const restore = steps.find(
          (s) => s.uses?.startsWith('actions/cache/restore@') && s.with?.path === save.with?.path,
        );
        expect(restore, `${file}: a restore step for ${String(save.with?.path)}`).toBeDefined();
        expect(restore?.with?.key, `${file}: restore and save use the same key`).toBe(key);
        const prefix = String(restore?.with?.['restore-keys']);
        expect(
          key.startsWith(prefix) && !prefix.includes('${{'),
          `${file}: restore-keys is a fixed prefix of the key`,
        ).toBe(true);
      }
      // each poller's cursor is the file the cache keeps
      for (const poll of steps.filter(isPoll)) {
        const stateFile = String(poll.with?.['state-file'] ?? '.codeqr/scan-cursor.json');
        expect(
          saves.map((s) => s.with?.path),
          `${file}: the cache saves ${stateFile}`,
        ).toContain(stateFile);
      }
      // a scheduled poller must not run twice at once over one cursor, nor two pushes upsert one catalogue at once
      const sharesState = steps.some((s) => isPoll(s) || (s.with?.file && !s.with?.shard));
      const concurrency = (workflow as { concurrency?: unknown }).concurrency;
      expect(sharesState ? concurrency : 'not needed', `${file}: concurrency`).toBeDefined();
    }
  });

  it("uses only GitHub's own actions at majors that run on node24 (node20 is gone from runners)", () => {
    // the first majors whose action.yml says `runs.using: node24`
    const NODE24: Record<string, number> = {
      'actions/checkout': 5,
      'actions/cache': 5,
      'actions/cache/restore': 5,
      'actions/cache/save': 5,
      'actions/upload-artifact': 6,
    };
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const [, name, major] of text.matchAll(/uses:\s*(actions\/[\w/-]+)@v(\d+)/g)) {
        expect(NODE24[name!], `${file}: ${name} is not a known node24 action`).toBeDefined();
        expect(Number(major), `${file}: ${name}@v${major} runs on node20`).toBeGreaterThanOrEqual(NODE24[name!]!);
      }
    }
  });

  it('a PR comment example skips fork pull requests (no secrets, read-only token)', () => {
    const workflow = parse(readFileSync(join(dir, 'pr-preview-comment.yml'), 'utf8')) as {
      jobs: Record<string, { if?: string; steps?: Step[] }>;
    };
    const commenting = Object.values(workflow.jobs).filter((job) =>
      job.steps?.some((s) => s.with?.['comment-on-pr'] === true || s.with?.['comment-on-pr'] === 'true'),
    );
    expect(commenting.length).toBeGreaterThan(0);
    for (const job of commenting) expect(job.if).toMatch(/head\.repo\.full_name == github\.repository/);
  });

  it('the check can fail: a made-up input is caught', () => {
    expect(Object.keys(action.inputs)).not.toContain('qr-colour');
  });
});
