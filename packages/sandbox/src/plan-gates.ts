import { ApiError } from './api-error.ts';
import { atLeast, FREE_LIMITS, PLAN_NAMES, type Plan } from './plans.ts';

/**
 * Plans as users meet them: quotas and feature gates, answered with CodeQR's codes and words. Every message below is
 * quoted from a source (README "Plans" says which): CodeQR's MCP server quotes them from CodeQR's repo
 * (`tests/plan-limit-message.test.ts`), the rest is Dub's code that CodeQR's server descends from. Only the Free
 * plan's quotas are published; paid plans get no count quotas here (README "Differences").
 */

/** "a, b and c", as Dub's `combineWords` joins them (the MCP's quotes show no Oxford comma). */
function combineWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const truthy = (v: unknown) =>
  v !== undefined && v !== null && v !== false && v !== '' && !(Array.isArray(v) && !v.length);

/**
 * The feature gates of a QR-code create or update body, in the order CodeQR checks them; the first that applies is
 * thrown as a 403 `forbidden`. `body` is what the request sets (an update checks only the fields it sends).
 */
export function checkFeatureGates(plan: Plan, body: Record<string, unknown>): void {
  if (!atLeast(plan, 'starter')) {
    // CodeQR's free-plan block of process-link.ts (MCP quote): one sentence naming every feature sent
    const features = combineWords(
      [
        truthy(body.proxy) && 'custom link preview',
        truthy(body.password) && 'password protection',
        truthy(body.expiresAt) && 'link expiration',
        truthy(body.ios) && 'iOS targeting',
        truthy(body.android) && 'Android targeting',
        truthy(body.geo) && 'geographic targeting',
        truthy(body.doIndex) && 'search engine indexing',
      ].filter((x): x is string => typeof x === 'string'),
    );
    if (features) {
      throw new ApiError(
        'forbidden',
        `You can only use ${features} on a Starter plan. Upgrade to Starter to use these features.`,
      );
    }
    if (truthy(body.flexible)) {
      throw new ApiError(
        'forbidden',
        'You can only use the Flexible QR Code feature on a Starter plan and above. Upgrade to Starter to use this feature.',
      );
    }
  }
  if (!atLeast(plan, 'pro')) {
    if (truthy(body.trackConversion)) {
      throw new ApiError(
        'forbidden',
        'You can only use conversion tracking on a Pro plan and above. Upgrade to Pro to use this feature.',
      );
    }
    if (truthy(body.rewrite)) {
      throw new ApiError(
        'forbidden',
        'You can only use link cloaking on a Pro plan and above. Upgrade to Pro to use this feature.',
      );
    }
  }
  if (!atLeast(plan, 'business')) {
    if (truthy(body.rules)) {
      throw new ApiError(
        'forbidden',
        'Smart rules are available on the Business plan and above. Upgrade to Business to use this feature.',
      );
    }
    if (truthy(body.preRedirection)) {
      throw new ApiError(
        'forbidden',
        'You can only use pre-redirection on a Business plan and above. Upgrade to Business to use this feature.',
      );
    }
    if (truthy(body.webhookIds)) {
      // Dub's process-link.ts
      throw new ApiError(
        'forbidden',
        'You can only use webhooks on a Business plan and above. Upgrade to Business to use this feature.',
      );
    }
  }
}

/** The QR-code quota message (MCP quote of `exceededLimitError`; "monthly", as QR codes are billed per month). */
export function qrCodesExceeded(plan: Plan, limit: number): string {
  return `You have reached the monthly limit of ${limit} qrcodes on the ${PLAN_NAMES[plan]} plan. Please upgrade to add more QR Codes.`;
}

/** Monthly QR-code allowance of a plan, or undefined when the sandbox enforces none. */
export function qrCodeLimit(plan: Plan): number | undefined {
  return plan === 'free' ? FREE_LIMITS.qrCodesPerMonth : undefined;
}

/** `POST /tags`: 403 `exceeded_limit` past the plan's tag count (the double space is CodeQR's, not a typo). */
export function checkTagQuota(plan: Plan, existing: number): void {
  if (plan === 'free' && existing >= FREE_LIMITS.tags) {
    throw new ApiError(
      'exceeded_limit',
      `You have reached the  limit of ${FREE_LIMITS.tags} tags on the Free plan. Please upgrade to add more tags.`,
    );
  }
}

/** `POST /folders`: 403 `exceeded_limit` past the plan's folder allowance. */
export function checkFolderQuota(plan: Plan, existing: number): void {
  if (plan === 'free' && existing >= FREE_LIMITS.folders) {
    throw new ApiError(
      'exceeded_limit',
      `You have reached the monthly limit of ${FREE_LIMITS.folders} folder on the Free plan. Please upgrade to add more folders.`,
    );
  }
}

/** `/analytics` and `/events` once the month's scans are past the plan's allowance (403 `forbidden`). */
export function checkScanQuota(plan: Plan, scansThisMonth: number): void {
  if (plan === 'free' && scansThisMonth > FREE_LIMITS.scans) {
    throw new ApiError(
      'forbidden',
      `You have reached the  limit of ${FREE_LIMITS.scans} scans on the Free plan. Please upgrade to add more scans.`,
    );
  }
}

/** `GET /events`: Business and up (CodeQR docs); the words are Dub's `withWorkspace({ requiredPlan })`. */
export function checkEventsPlan(plan: Plan): void {
  if (!atLeast(plan, 'business')) throw new ApiError('forbidden', 'Unauthorized: Need higher plan.');
}

const DAY = 86_400_000;

/**
 * Analytics history per plan (CodeQR's MCP: "free stops at 30d, so 90d, ytd, 1y and all are all refused; starter
 * refuses ytd, 1y and all; pro refuses all"; Business has no limit). A `start` further back than the window is
 * refused the same way (Dub's `validDateRangeForPlan`, with a day of slack as it has).
 */
export function checkAnalyticsWindow(
  plan: Plan,
  query: { interval?: string; start?: string; end?: string },
  now: number,
): void {
  const refused: Partial<Record<Plan, { intervals: string[]; days: number; message: string }>> = {
    free: {
      intervals: ['90d', 'ytd', '1y', 'all'],
      days: 31,
      // CodeQR's wording, quoted by its MCP server (lib/analytics/utils.ts)
      message:
        'You can only get analytics for up to 30 days on a free plan. Upgrade to Starter, Pro, or Business to get analytics for longer periods.',
    },
    starter: {
      intervals: ['ytd', '1y', 'all'],
      days: 91,
      message:
        'You can only get analytics for up to 90 days on a Starter plan. Upgrade to Pro or Business to get analytics for longer periods.',
    },
    pro: {
      intervals: ['all'],
      days: 366,
      // Dub's wording for its Pro window
      message:
        'You can only get analytics for up to 1 year on a Pro plan. Upgrade to Business to get analytics for longer periods.',
    },
  };
  const rule = refused[plan];
  if (!rule) return;
  const byInterval = query.interval !== undefined && rule.intervals.includes(query.interval);
  const start = !query.interval && query.start ? Date.parse(query.start) : undefined;
  const end = query.end ? Date.parse(query.end) : now;
  const byRange = start !== undefined && (end - start) / DAY > rule.days;
  if (byInterval || byRange) throw new ApiError('forbidden', rule.message);
}
