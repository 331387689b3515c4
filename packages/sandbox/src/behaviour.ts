/**
 * Where CodeQR's docs and the code CodeQR's server descends from (Dub's) disagree, the sandbox can answer either way,
 * so clients are tested against both. Defaults follow CodeQR's docs.
 */

/**
 * - `docs`: `X-RateLimit-Reset` in epoch seconds on every answer, `Retry-After` (a delay in seconds) on 429 only.
 * - `dub`: what Dub's `rateLimitRequest` sends: `Retry-After` and `X-RateLimit-Reset` both set to Upstash's `reset`
 *   (epoch milliseconds) on every answer, 2xx included.
 */
export type RateLimitHeaderStyle = 'docs' | 'dub';

/**
 * - `docs`: `POST /qrcodes/bulk` answers one entry per item in input order, errors in place.
 * - `dub`: Dub's bulk route: `[...created, ...errors]` (created in input order, then the errors), and an item whose
 *   `externalId` already exists (in the project or earlier in the same request) is skipped without a word
 *   (`createMany({ skipDuplicates: true })`), so the answer can be shorter than the request.
 */
export type BulkAnswerStyle = 'docs' | 'dub';

/**
 * - `docs`: list answers carry tags only with `withTags=true` (the spec: "If should include tags in the response").
 * - `dub`: what Dub's `getLinksForWorkspace` does: tags always included, and `withTags=true` FILTERS the list (and
 *   the count) to codes that have at least one tag.
 */
export type WithTagsStyle = 'docs' | 'dub';

export interface SandboxBehaviour {
  withTags: WithTagsStyle;
  rateLimitHeaders: RateLimitHeaderStyle;
  bulkAnswers: BulkAnswerStyle;
  /** Per-plan quotas and feature gates (403 `exceeded_limit` / `forbidden`). Off: every plan may do everything. */
  quotas: boolean;
}

export const DEFAULT_BEHAVIOUR: SandboxBehaviour = {
  rateLimitHeaders: 'docs',
  bulkAnswers: 'docs',
  withTags: 'docs',
  quotas: true,
};
