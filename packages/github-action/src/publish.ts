/**
 * Where a step's report goes after the work: the job summary and the optional sticky PR comment. The inputs read
 * here are checked before the work (`checkPublishInputs`), so that a typo fails the step before anything is created.
 */
import * as core from '@actions/core';
import { InputError } from './errors.ts';
import { octokitFor, pullRequestNumber, splitRepository, upsertStickyComment } from './github.ts';
import { booleanInput, input } from './inputs.ts';
import { COMMENT_LIMITS, renderReport, SUMMARY_LIMITS } from './markdown.ts';
import { setOutput } from './outputs.ts';
import type { Report } from './report.ts';

/**
 * The Action's own inputs that are read after the work (summary, comment, fail-on-error): checked first, so that a
 * typo fails the step before anything is created, not after.
 */
export function checkPublishInputs(): void {
  booleanInput('summary', true);
  booleanInput('fail-on-error', true);
  if (booleanInput('comment-on-pr', false) && pullRequestNumber(process.env.GITHUB_EVENT_PATH) !== undefined) {
    if (!input('github-token')) {
      throw new InputError(
        'github-token',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
        'Input "github-token" is empty, and comment-on-pr needs it; pass a token, e.g. github-token: ${{ github.token }}.',
      );
    }
    splitRepository(process.env.GITHUB_REPOSITORY, 'GITHUB_REPOSITORY');
  }
}

/** Summary and PR comment: after the work, never hiding its result. */
export async function publishReport(report: Report): Promise<void> {
  if (booleanInput('summary', true) && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(renderReport(report, SUMMARY_LIMITS), true).write();
  }
  if (booleanInput('comment-on-pr', false)) await commentOnPullRequest(report);
}

/** The sticky PR comment, created once and updated in place (`github.ts`). */
async function commentOnPullRequest(report: Report): Promise<void> {
  const number = pullRequestNumber(process.env.GITHUB_EVENT_PATH);
  if (number === undefined) {
    core.notice('comment-on-pr is set, but this run is not for a pull request: no comment written.');
    return;
  }
  const context = {
    token: input('github-token'),
    apiUrl: input('github-api-url') || process.env.GITHUB_API_URL || 'https://api.github.com',
    repository: process.env.GITHUB_REPOSITORY,
    eventPath: process.env.GITHUB_EVENT_PATH,
  };
  const octokit = await octokitFor(context);
  const { owner, repo } = splitRepository(context.repository, 'GITHUB_REPOSITORY');
  const key = input('comment-key') || 'codeqr';
  const body = renderReport(report, COMMENT_LIMITS);
  const { id, created } = await upsertStickyComment(octokit, { owner, repo, issueNumber: number }, key, body);
  setOutput('comment-id', String(id));
  core.info(`${created ? 'Created' : 'Updated'} the CodeQR comment on #${number}.`);
}
