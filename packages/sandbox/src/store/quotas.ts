import { ApiError } from '../api-error.ts';
import { checkFeatureGates, qrCodeLimit, qrCodesExceeded } from '../plan-gates.ts';
import type { StoreContext } from './context.ts';
import type { Project } from './records.ts';

/** Plan gates and the monthly QR-code quota, unless quotas are off (`--no-quotas`). */

/** Per-plan feature gates of a create or update body. */
export function checkGates(ctx: StoreContext, project: Project, body: Record<string, unknown>): void {
  if (ctx.behaviour.quotas) checkFeatureGates(project.plan, body);
}

const monthOf = (ctx: StoreContext) => ctx.isoNow().slice(0, 7);

/** QR codes this project created this month (UTC), for the monthly quota. */
export function qrCodesThisMonth(ctx: StoreContext, project: Project): number {
  return project.data.usage?.month === monthOf(ctx) ? project.data.usage.qrCodes : 0;
}

/** Counts one creation against this month's quota (deleting gives none back). */
export function countCreation(ctx: StoreContext, project: Project): void {
  project.data.usage = { month: monthOf(ctx), qrCodes: qrCodesThisMonth(ctx, project) + 1 };
}

/**
 * The monthly QR-code quota before `count` creations: 403 `forbidden` once it is used up (single create, and a
 * bulk request when nothing is left), 403 `exceeded_limit` when a bulk request would overrun it (Dub's bulk route).
 */
export function checkQrQuota(ctx: StoreContext, project: Project, count = 1, bulk = false): void {
  const limit = qrCodeLimit(project.plan);
  if (!ctx.behaviour.quotas || limit === undefined) return;
  const used = qrCodesThisMonth(ctx, project);
  if (used >= limit) throw new ApiError('forbidden', qrCodesExceeded(project.plan, limit));
  if (bulk && used + count > limit) throw new ApiError('exceeded_limit', qrCodesExceeded(project.plan, limit));
}
