/**
 * The GitHub Action's committed bundle, run the way a runner runs a `node24` action, for the demo: through the
 * Action's own runner (`packages/github-action/scripts/run-dist.ts`, which its dist tests use too), with this
 * process's Node (npm start runs on the repo's Node 24, as `runs.using: node24` does) and the runner's files kept in
 * `runnerDir` for the demo to show.
 */
import { dist, runAction as runDist } from '../../packages/github-action/scripts/run-dist.ts';

export const ACTION_DIST = dist;

export interface ActionRun {
  code: number;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error::` lines of the log. */
  errors: string[];
  log: string;
}

/** One run of the Action in `workspace` (the checkout), with the runner's files in `runnerDir`. */
export async function runAction(
  inputs: Record<string, string>,
  workspace: string,
  runnerDir: string,
): Promise<ActionRun> {
  const { code, outputs, summary, errors, log } = await runDist({
    inputs,
    cwd: workspace,
    runnerDir,
    repository: 'acme/catalogue',
    node: process.execPath,
  });
  return { code, outputs, summary, errors, log };
}
