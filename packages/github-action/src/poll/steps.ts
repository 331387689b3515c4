/**
 * A run's poll, in steps of one page of core's cursor each, every step sized so that its items fit one dispatch and
 * what is left of the items output. What a run cannot deliver is never polled past: the rest comes with the next run
 * (never dropped, never repeated).
 */
import type { CodeQrClient } from '@codeqr-integrations/core/base';
import { dispatchBatches } from './dispatch.ts';
import type { PollPlan } from './plan.ts';

/**
 * `new-scans` / `new-items` at most (GitHub: "Outputs can be a maximum of 1 MB per job … Size is approximated based
 * on UTF-16 encoding", https://docs.github.com/en/actions/reference/limits, github/docs#36846), measured as GitHub
 * does: 2 bytes per UTF-16 code unit. Half the job's 1 MB, so the step's other outputs and other steps' fit too.
 */
export const MAX_ITEMS_OUTPUT = 512 * 1024;

/** Each poll step reads one page of this many rows at most (fewer when a step's items must fit a smaller room). */
const STEP_PAGE_SIZE = 100;
/** Rows one run reads at most (as core's own poll: 10 pages of 100), so small steps make more steps, up to 100. */
const MAX_ROWS_PER_RUN = 1000;
const MAX_STEPS = 100;
/** Re-polls of a step that did not fit, per run at most. */
const MAX_RETRIES = 15;

/** An output's size as GitHub approximates it: UTF-16, 2 bytes per code unit. */
export const outputBytes = (text: string) => 2 * text.length;

/** One poll of core's trigger whose items are delivered together (one dispatch), and the cursor after them. */
export interface Step {
  items: { id: string }[];
  cursor: unknown;
  primed: boolean;
  truncated: boolean;
}

/** How a run's steps are sized: by the dispatches (when dispatching) and the output. */
export interface StepLimits {
  /** The dispatch's event type and most items per dispatch; undefined when the step does not dispatch. */
  dispatch?: { eventType: string; batchSize: number };
}

export interface PolledSteps {
  steps: Step[];
  /** More is waiting than this run delivers (or nothing was polled): the next run goes on. */
  pending: boolean;
}

/**
 * core's `newScan` cursor may carry `reach` (how wide its next first read is, grown by idle polls): a step re-read
 * because its items did not fit must read narrower, so the hint is dropped; core grows it again if needed.
 */
function withoutReach(cursor: unknown): unknown {
  if (!cursor || typeof cursor !== 'object' || !('reach' in cursor)) return cursor;
  const { reach: _reach, ...rest } = cursor as Record<string, unknown>;
  return rest;
}

/** Why the next items alone cannot be delivered at all (the cursor stays before them). */
function tooLarge(plan: PollPlan, items: unknown[], bytes: number, fitsDispatch: boolean): Error {
  const { one, many } = plan.words;
  const what = items.length === 1 ? `The next ${one} alone does` : `The next ${items.length} ${many} alone do`;
  const output = plan.itemsKey === 'scans' ? 'new-scans' : 'new-items';
  return new Error(
    fitsDispatch
      ? `${what} not fit the ${output} output (${Math.round(bytes / 1024)} KB of ` +
          `${Math.round(MAX_ITEMS_OUTPUT / 1024)} KB); the cursor stays before them.`
      : `${what} not fit one repository_dispatch event; the cursor stays before them.`,
  );
}

/** Polls from `stored` in steps that each fit (see the module's doc); the first poll (no cursor) only primes. */
export async function pollSteps(
  client: CodeQrClient,
  plan: PollPlan,
  raw: Record<string, unknown>,
  stored: unknown,
  limits: StepLimits,
): Promise<PolledSteps> {
  const { dispatch } = limits;
  const steps: Step[] = [];
  let cursor = stored;
  let room = MAX_ITEMS_OUTPUT - outputBytes('[]');
  let pageSize = dispatch ? Math.min(STEP_PAGE_SIZE, dispatch.batchSize) : STEP_PAGE_SIZE;
  let attempts = 0;
  let full = false;
  const maxSteps = Math.min(MAX_STEPS, Math.ceil(MAX_ROWS_PER_RUN / pageSize));
  while (steps.length < maxSteps && attempts < maxSteps + MAX_RETRIES) {
    attempts++;
    const primed = cursor === undefined;
    // the first poll (no cursor) only primes, with core's own budget
    const budget = primed ? undefined : { maxPages: 1, pageSize };
    const result = await plan.trigger.execute(client, raw, cursor, budget);
    const items = result.items as { id: string }[];
    // this step's share of the output: its items, without the brackets, and a comma after the previous ones
    const comma = steps.some((s) => s.items.length > 0) ? ',' : '';
    const bytes = items.length > 0 ? outputBytes(comma + JSON.stringify(items).slice(1, -1)) : 0;
    const fitsDispatch =
      !dispatch ||
      items.length === 0 ||
      dispatchBatches(dispatch.eventType, plan, items, dispatch.batchSize).length === 1;
    if (bytes > room || !fitsDispatch) {
      const delivered = steps.some((s) => s.items.length > 0);
      if (bytes > room && delivered && fitsDispatch) {
        full = true; // the output is full: this step's items come with the next run
        break;
      }
      const narrower = withoutReach(cursor);
      if (pageSize === 1 && narrower === cursor) {
        if (delivered) break; // deliver what fits; the rest comes with the next run
        throw tooLarge(plan, items, bytes, fitsDispatch);
      }
      // read the same position again, narrower: by the share of the items that fit
      const share = Math.min(
        bytes > room ? room / bytes : 1,
        fitsDispatch || !dispatch ? 1 : dispatch.batchSize / items.length,
      );
      pageSize = Math.max(1, Math.min(pageSize - 1, Math.floor(pageSize * share * 0.9)));
      cursor = narrower;
      continue;
    }
    steps.push({ items, cursor: result.cursor, primed: result.primed, truncated: result.truncated });
    room -= bytes;
    cursor = result.cursor;
    if (result.primed || !result.truncated) break;
  }
  const last = steps.at(-1);
  return { steps, pending: full || last === undefined || (last.truncated && !last.primed) };
}
