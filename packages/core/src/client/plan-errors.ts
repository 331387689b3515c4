/**
 * Plans as users meet them: CodeQR answers quotas and feature gates with 403s whose text names the plan or the
 * limit. Quoted by CodeQR's MCP server and Dub's code (the sandbox answers with the same words):
 * - quotas: "You have reached the monthly limit of 10 qrcodes on the Free plan. Please upgrade to add more QR
 *   Codes." (Dub: "You've reached your monthly limit of 25 links on the Free plan. …"), sometimes with code
 *   `forbidden` rather than `exceeded_limit`;
 * - feature gates: "You can only use password protection on a Starter plan. Upgrade to Starter …", "Smart rules are
 *   available on the Business plan and above. …";
 * - history windows: "You can only get analytics for up to 30 days on a free plan. …";
 * - `/events` below Business: "Unauthorized: Need higher plan."
 * Core keeps CodeQR's words and adds the fix: which plan to upgrade to, or what to delete, shorten or leave out.
 */
import { PLANS, type Plan } from '../schemas/common.ts';

const PLAN_NAMES: Record<Plan, string> = {
  free: 'Free',
  starter: 'Starter',
  pro: 'Pro',
  business: 'Business',
  scale: 'Scale',
};

function planOf(word: string | undefined): Plan | undefined {
  const lower = word?.toLowerCase();
  return PLANS.find((plan) => plan === lower);
}

/** The plan above `plan`, as CodeQR names it ("Pro"), or undefined at the top. */
function nextPlan(plan: Plan): string | undefined {
  const next = PLANS[PLANS.indexOf(plan) + 1];
  return next ? PLAN_NAMES[next] : undefined;
}

export interface PlanAdvice {
  /** `exceeded_limit` for a quota that is used up; `forbidden` for a feature or window the plan does not include. */
  code: 'exceeded_limit' | 'forbidden';
  /** The whole message: CodeQR's text, then the fix. */
  message: string;
  /** The fix alone (the end of `message`). */
  advice: string;
}

const QUOTA =
  /(?:reached|exceeded|used up)\s+(?:your\s+|the\s+)?(?:(monthly|yearly|daily)\s+)?(?:limit|quota)\s+of\s+([\d,.]+)\s+([\w\s-]+?)\s+(?:on|for)\s+(?:the|your|a)\s+(\w+)\s+plan/i;
const QUOTA_LOOSE = /\b(?:limit|quota)\b.*\b(?:reached|exceeded)\b|\b(?:reached|exceeded)\b.*\b(?:limit|quota)\b/i;
const WINDOW = /\banalytics\b.*?\bup to (\d+\s+(?:days?|months?|years?))/i;
const GATE_PLAN =
  /\b(?:on|requires?|needs?|with)\s+(?:a|the)\s+(\w+)\s+plan\b|\b(\w+)\s+plan\s+(?:and|or)\s+(?:above|higher|up)\b/i;
const HIGHER_PLAN = /\b(?:need|needs|requires?)\s+(?:a\s+)?higher\s+plan\b/i;

const sentence = (text: string) => text.trim().replace(/\.?$/, '.');

/**
 * Plan-gated features: the words CodeQR's 403 uses, the form field, and the lowest plan that has it (CodeQR's
 * `lib/api/links/process-link.ts` and `lib/api/errors.ts` as quoted by its MCP server's `tests/plan-limit-message.test.ts`;
 * webhooks and conversions from CodeQR's docs). Used when the answer names the feature but not the plan, and to name
 * the field to leave out.
 */
const FEATURE_GATES: readonly { words: RegExp; field: string; plan: Plan }[] = [
  { words: /\bsmart rules?\b|\brules\b/i, field: 'Smart Rules', plan: 'business' },
  { words: /\bpre-?redirect/i, field: 'Pre-Redirection', plan: 'business' },
  { words: /\bwebhook/i, field: 'Webhooks', plan: 'business' },
  { words: /\bflexible\b/i, field: 'Flexible', plan: 'starter' },
  { words: /\bconversion/i, field: 'Track Conversion', plan: 'pro' },
  { words: /\bcloak|\brewrite\b/i, field: 'Link Cloaking', plan: 'pro' },
  { words: /\broot[- ]domain/i, field: 'root-domain redirect', plan: 'pro' },
  { words: /\bpremium\b|\bshort key/i, field: 'Key', plan: 'starter' },
  { words: /\bpassword/i, field: 'Link Password', plan: 'starter' },
];
const GATE_WORDS = /\b(?:plan|upgrade|available|feature)\b/i;

/** What the user can free up, by the quota's resource as CodeQR words it ("qrcodes", "links", "tags", …). */
function freeUp(what: string, monthly: boolean): string {
  if (/scan|click|event|usage/.test(what) || (monthly && /qr|link/.test(what)))
    return "wait for next month's allowance";
  // "1 folder" is the singular CodeQR uses for a limit of one: the advice names the plural
  const noun = /qr|link/.test(what) ? 'QR codes' : what.endsWith('s') ? what : `${what}s`;
  return `delete ${noun} you no longer need`;
}

/**
 * The user-facing error for a 403 that names a plan or a limit; undefined for other 403s (a read-only key, a
 * domain of another project), which keep the generic wording. `path` (the request's) sharpens the advice for
 * answers that name no feature ("Need higher plan.").
 */
export function planAdvice(
  serverCode: string | undefined,
  serverMessage: string | undefined,
  path = '',
): PlanAdvice | undefined {
  const text = serverMessage?.trim() ?? '';
  const quota = QUOTA.exec(text);
  if (quota || serverCode === 'exceeded_limit' || QUOTA_LOOSE.test(text)) {
    const current = planOf(quota?.[4]);
    const what = quota?.[3]?.trim().toLowerCase();
    const upgrade = current && nextPlan(current) ? `upgrade to ${nextPlan(current)} or higher` : 'upgrade your plan';
    const fix = what
      ? `To go on, ${upgrade} in CodeQR's billing settings, or ${freeUp(what, /monthly/i.test(quota?.[1] ?? text))}.`
      : `To go on, ${upgrade} in CodeQR's billing settings.`;
    const head = text ? sentence(text) : 'CodeQR did not say which limit.';
    return {
      code: 'exceeded_limit',
      message: `Your CodeQR plan's limit is reached (403): ${head} ${fix}`,
      advice: fix,
    };
  }
  const window = WINDOW.exec(text);
  if (window) {
    const fix = `Pick a shorter interval (at most ${window[1]}) or a later start date.`;
    return {
      code: 'forbidden',
      message: `Your CodeQR plan does not include this much history (403): ${sentence(text)} ${fix}`,
      advice: fix,
    };
  }
  const gate = GATE_PLAN.exec(text);
  const feature = FEATURE_GATES.find((entry) => entry.words.test(text));
  if (gate || (feature && GATE_WORDS.test(text))) {
    const required = planOf(gate?.[1] ?? gate?.[2]) ?? feature?.plan;
    const what = feature ? `${feature.field} needs` : 'This needs';
    const leave = feature ? `leave ${feature.field} out of this step` : 'leave that setting out of this step';
    const fix = required
      ? `${what} the ${PLAN_NAMES[required]} plan or higher: upgrade in CodeQR's billing settings, or ${leave}.`
      : `Upgrade your CodeQR plan, or ${leave}.`;
    return {
      code: 'forbidden',
      message: `Your CodeQR plan does not include this (403): ${sentence(text)} ${fix}`,
      advice: fix,
    };
  }
  if (HIGHER_PLAN.test(text)) {
    const fix = path.startsWith('/events')
      ? 'Listing individual scans needs the Business plan or higher; on other plans, use scan counts (the "Scan Count Changed" trigger or analytics) instead.'
      : 'Upgrade your CodeQR plan in its billing settings.';
    return {
      code: 'forbidden',
      message: `Your CodeQR plan does not include this (403): ${sentence(text)} ${fix}`,
      advice: fix,
    };
  }
  return undefined;
}
