/**
 * The GitHub side, through `@octokit/core` (loaded only when a step comments or dispatches): one sticky PR comment
 * found by a hidden marker and updated in place, and `repository_dispatch` events. `baseUrl` comes from
 * `GITHUB_API_URL`, so GitHub Enterprise Server works.
 */
import { readFileSync } from 'node:fs';
import { timerSleep } from '@codeqr-integrations/core';
import type { Octokit } from '@octokit/core';
import { InputError } from './errors.ts';

export interface GitHubContext {
  token: string;
  apiUrl: string;
  repository: string | undefined;
  eventPath: string | undefined;
}

export async function octokitFor(context: GitHubContext): Promise<Octokit> {
  if (!context.token) {
    throw new InputError(
      'github-token',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
      'Input "github-token" is empty; pass a token, e.g. github-token: ${{ github.token }}.',
    );
  }
  const { Octokit } = await import('@octokit/core');
  return new Octokit({ auth: context.token, baseUrl: context.apiUrl, userAgent: 'codeqr-github-action' });
}

export function splitRepository(value: string | undefined, inputName: string): { owner: string; repo: string } {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value ?? '');
  if (!match) {
    if (/^[A-Z_]+$/.test(inputName)) {
      throw new InputError(
        inputName,
        `The runner variable ${inputName} must be owner/repo; got "${value ?? ''}" (this step expects to run in GitHub Actions).`,
      );
    }
    throw new InputError(inputName, `Input "${inputName}" must be owner/repo; got "${value ?? ''}".`);
  }
  return { owner: match[1] as string, repo: match[2] as string };
}

/** The pull request number of the triggering event (`pull_request`, `pull_request_target`, or a PR comment). */
export function pullRequestNumber(eventPath: string | undefined): number | undefined {
  if (!eventPath) return undefined;
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const pr = payload.pull_request as { number?: unknown } | undefined;
  if (pr && typeof pr.number === 'number') return pr.number;
  const issue = payload.issue as { number?: unknown; pull_request?: unknown } | undefined;
  if (issue?.pull_request && typeof issue.number === 'number') return issue.number;
  return undefined;
}

export const markerFor = (key: string) => `<!-- codeqr-action:${key.replace(/-->/g, '')} -->`;

interface IssueComment {
  id: number;
  body?: string | null;
  user?: { type?: string; login?: string } | null;
}

/** Who the token is, for a PAT (whose comments are a user's); installation tokens cannot ask and get undefined. */
async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    const { data } = await octokit.request('GET /user');
    return (data as { login?: string }).login;
  } catch {
    return undefined;
  }
}

/**
 * Creates the comment, or updates the one that carries the marker (paginating every comment of the PR). Only a
 * comment by a bot (GITHUB_TOKEN, an App) or by the token's own user (a PAT) counts, so a person quoting the marker
 * is never edited.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: { owner: string; repo: string; issueNumber: number },
  key: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  try {
    return await writeStickyComment(octokit, target, key, body);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401 || status === 403 || status === 404) {
      const reason = ((error as Error).message ?? '').split(' - ')[0];
      throw new Error(
        `GitHub refused the PR comment on #${target.issueNumber} of ${target.owner}/${target.repo} (HTTP ${status}` +
          `${reason ? `: ${reason}` : ''}): give the job \`permissions: pull-requests: write\` and pass that token in ` +
          'github-token (pull requests from forks only get a read-only token: comment from pull_request_target or a ' +
          'workflow_run follow-up).',
      );
    }
    throw error;
  }
}

async function writeStickyComment(
  octokit: Octokit,
  target: { owner: string; repo: string; issueNumber: number },
  key: string,
  body: string,
): Promise<{ id: number; created: boolean }> {
  const marker = markerFor(key);
  const text = `${marker}\n${body}`;
  const { owner, repo, issueNumber } = target;
  const marked: IssueComment[] = [];
  for (let page = 1; page <= 100; page++) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
      page,
    });
    const comments = data as IssueComment[];
    marked.push(...comments.filter((c) => c.body?.startsWith(marker)));
    if (marked.some((c) => c.user?.type === 'Bot') || comments.length < 100) break;
  }
  let existing = marked.find((c) => c.user?.type === 'Bot');
  if (!existing && marked.length > 0) {
    const login = await tokenLogin(octokit);
    existing = login ? marked.find((c) => c.user?.login === login) : undefined;
  }
  if (existing) {
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner,
      repo,
      comment_id: existing.id,
      body: text,
    });
    return { id: existing.id, created: false };
  }
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner,
    repo,
    issue_number: issueNumber,
    body: text,
  });
  return { id: (data as IssueComment).id, created: true };
}

/** Waits before each retry of a dispatch GitHub answered with a 5xx or 429, or that got no answer (1 s, 2 s, 4 s). */
export const DISPATCH_RETRY_DELAYS_MS = [1000, 2000, 4000] as const;

const retryable = (status: number | undefined) => status === undefined || status === 429 || status >= 500;

/**
 * `POST /repos/{owner}/{repo}/dispatches`. GitHub's API answers 5xx now and then (a 502 from its front end): those,
 * a rate limit (429, or a 403 that says so; https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api)
 * and a request that got no answer are retried with backoff (`DISPATCH_RETRY_DELAYS_MS`, or GitHub's
 * `retry-after` when longer, up to 60 s); a 4xx is not. A retried dispatch that GitHub had in fact accepted arrives
 * twice: the payload's `batchId` lets the receiving workflow drop the repeat. The final error says which status and
 * how many attempts, never only GitHub's "Server Error".
 */
export async function dispatchEvent(
  octokit: Octokit,
  target: { owner: string; repo: string },
  eventType: string,
  clientPayload: Record<string, unknown>,
  options: { sleep?: (ms: number) => Promise<void>; delaysMs?: readonly number[] } = {},
): Promise<void> {
  const sleep = options.sleep ?? timerSleep;
  const delays = options.delaysMs ?? DISPATCH_RETRY_DELAYS_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await octokit.request('POST /repos/{owner}/{repo}/dispatches', {
        ...target,
        event_type: eventType,
        client_payload: clientPayload,
      });
      return;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
      // GitHub's secondary rate limit answers 403 (or 429) with retry-after or x-ratelimit-remaining: 0, and says so
      const limited =
        status === 403 &&
        (headers['retry-after'] !== undefined ||
          headers['x-ratelimit-remaining'] === '0' ||
          /rate limit/i.test((error as Error).message ?? ''));
      if ((status === 404 || status === 403) && !limited) {
        throw new Error(
          `repository_dispatch to ${target.owner}/${target.repo} was refused (HTTP ${status}): the repository was not ` +
            'found or github-token lacks contents: write (another repository needs a PAT or GitHub App token).',
        );
      }
      const delay = delays[attempt - 1];
      if ((retryable(status) || limited) && delay !== undefined) {
        const after = Number(headers['retry-after']);
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(60_000, Math.max(delay, after * 1000)) : delay);
        continue;
      }
      const reason = ((error as Error).message ?? '').split(' - ')[0]?.trim();
      const answer =
        status === undefined
          ? `no answer (${reason || 'network error'})`
          : `HTTP ${status}${reason ? ` ${reason}` : ''}`;
      throw new Error(
        `GitHub answered ${answer} after ${attempt} attempt${attempt === 1 ? '' : 's'}${retryable(status) || limited ? ' (retried with backoff)' : ''}.`,
      );
    }
  }
}
