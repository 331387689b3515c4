/**
 * CodeQR's plans and what each one is allowed, as the sandbox's own facts (never read from core, so a fidelity test
 * can catch core drifting from CodeQR). The checks that answer a request with these facts live in plan-gates.ts.
 */

/**
 * The plans the sandbox serves, in ascending order. docs: rate limits per key per minute name these five plans
 * (spec: components.schemas.ProjectSchema.properties.plan.enum also lists `enterprise`, whose limits are not
 * published: the sandbox does not offer it).
 */
export const PLANS = ['free', 'starter', 'pro', 'business', 'scale'] as const;
export type Plan = (typeof PLANS)[number];

export function isPlan(value: string): value is Plan {
  return (PLANS as readonly string[]).includes(value);
}

export const PLAN_NAMES: Record<Plan, string> = {
  free: 'Free',
  starter: 'Starter',
  pro: 'Pro',
  business: 'Business',
  scale: 'Scale',
};

const RANK: Record<Plan, number> = { free: 0, starter: 1, pro: 2, business: 3, scale: 4 };

/** Whether `plan` is `minimum` or a plan above it. */
export const atLeast = (plan: Plan, minimum: Plan): boolean => RANK[plan] >= RANK[minimum];

/** Requests per rate-limit window (one minute on the real API) and API key. */
export const PLAN_RATE_LIMITS: Record<Plan, number> = {
  free: 60, // docs: rate limits, Free 60/min
  starter: 100, // docs: rate limits, Starter 100/min
  pro: 500, // docs: rate limits, Pro 500/min
  business: 1000, // docs: rate limits, Business 1,000/min
  scale: 10_000, // docs: rate limits, Scale 10,000/min
};

/** The Free plan's published allowances (CodeQR MCP, quoting `exceededLimitError`). */
export const FREE_LIMITS = { qrCodesPerMonth: 10, tags: 5, folders: 1, scans: 1000 } as const;
