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

/**
 * - `codeqr`: payloads as CodeQR builds them today, known bugs included (CodeQR's MCP server): a static crypto code
 *   reads its address from `crypto.email`, a `geo` code encodes `geo:undefined`, a `facetime` code an empty string,
 *   and a dynamic `pix` code's link redirects to the site root.
 * - `standard`: the intended standard payloads (address from `crypto.address`, `geo:<lat>,<lng>` from `latlog`,
 *   `facetime:<contact>`, Pix's BR Code on the display page), to test a client's own encoders against.
 */
export type PayloadStyle = 'codeqr' | 'standard';

export interface SandboxBehaviour {
  /** How QR payloads are built (`contentStatic`, the short link's display page). */
  payloads: PayloadStyle;
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
  payloads: 'codeqr',
  quotas: true,
};
