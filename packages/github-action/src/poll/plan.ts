/**
 * What one poll command polls and how it names it: `poll-scans` picks its scan trigger by `strategy` and keeps its
 * outputs (`new-scans`) and payload (`scans`), every `poll-<trigger>` polls its own trigger into `new-items`.
 */
import { type AnyTrigger, getOperation } from '@codeqr-integrations/core/base';
import type { Command } from '../commands.ts';
import { choiceInput } from '../inputs.ts';
import { POLL_NOUNS, POLL_SCANS, POLL_STRATEGIES, type PollStrategy } from '../overrides.ts';

export interface PollPlan {
  trigger: AnyTrigger;
  /** Which cursor the state file holds and each dispatch carries: poll-scans' strategy, or the trigger's key. */
  tag: { strategy: PollStrategy } | { trigger: string };
  /** The items in messages: `scan`, `scans`, `scan(s)`. */
  words: { one: string; many: string; counted: string };
  /** The outputs (`new-scans` or `new-items`) and the dispatch payload's list (`scans` or `items`). */
  itemsKey: 'scans' | 'items';
}

/** The strategy or trigger key a plan's cursor and dispatches are tagged with. */
export const tagOf = (plan: PollPlan): string => ('strategy' in plan.tag ? plan.tag.strategy : plan.tag.trigger);

function triggerOf(key: string): AnyTrigger {
  const op = getOperation(key);
  if (op?.kind !== 'trigger') throw new Error(`core has no ${key} trigger`);
  return op;
}

/** `poll-scans` with a strategy: its messages say scans for both, its counts say what each item is. */
export function scansPlan(strategy: PollStrategy): PollPlan {
  return {
    trigger: triggerOf(POLL_STRATEGIES[strategy]),
    tag: { strategy },
    words: { one: 'scan', many: 'scans', counted: strategy === 'events' ? 'scan(s)' : 'scan-count change(s)' },
    itemsKey: 'scans',
  };
}

/** `poll-<trigger>`: the trigger's own items. */
export function triggerPlan(trigger: AnyTrigger): PollPlan {
  const noun = POLL_NOUNS[trigger.key] ?? 'item';
  return {
    trigger,
    tag: { trigger: trigger.key },
    words: { one: noun, many: `${noun}s`, counted: `${noun}(s)` },
    itemsKey: 'items',
  };
}

/** The plan of the step's poll command (reads `strategy` for poll-scans). */
export function planFor(command: Command): PollPlan {
  if (command.name === POLL_SCANS) return scansPlan(choiceInput('strategy', ['events', 'counts'] as const, 'events'));
  return triggerPlan(triggerOf(command.op.key));
}
