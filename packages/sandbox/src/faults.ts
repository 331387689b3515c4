import { z } from 'zod/v4';

export const FAULT_MODES = ['status', 'reset', 'delay', 'truncate', 'drop'] as const;

/**
 * A fault rule of the control API: for the next `count` requests matching `route`, misbehave.
 * - `status`: answer `status` (429/500/502/503) without processing the request; 429 carries `Retry-After`.
 * - `reset`: destroy the connection before processing (the request never happened).
 * - `delay`: wait `delayMs`, then process normally.
 * - `truncate`: process, then send the headers and only half the body (malformed JSON) and close.
 * - `drop`: process the request, then close the connection without answering (outcome unknown to the client).
 */
export const FaultRule = z.object({
  route: z
    .string()
    .min(1)
    .default('*')
    .describe('"METHOD /path" with * wildcards, e.g. "POST /qrcodes/bulk", "GET /qrcodes*", or "*"'),
  mode: z.enum(FAULT_MODES),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
  count: z.number().int().min(1).max(100_000).default(1),
  delayMs: z.number().int().min(0).max(120_000).default(0),
  retryAfter: z.number().int().min(0).max(3600).default(1),
});
export type FaultRuleInput = z.input<typeof FaultRule>;
export type Fault = z.output<typeof FaultRule> & { id: string; remaining: number; matcher: RegExp };

function compile(route: string): RegExp {
  const pattern = route.trim() === '*' ? '* *' : route.trim();
  const [method = '*', path = '*'] = pattern.includes(' ') ? pattern.split(/\s+/, 2) : ['*', pattern];
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${esc(method.toUpperCase())} ${esc(path)}$`);
}

export class FaultInjector {
  private faults: Fault[] = [];

  add(rule: z.output<typeof FaultRule>, id: string): Fault {
    if (rule.mode === 'status' && !rule.status) rule.status = 500;
    const fault: Fault = { ...rule, id, remaining: rule.count, matcher: compile(rule.route) };
    this.faults.push(fault);
    return fault;
  }

  /** Takes one use of the first rule matching this request, if any. */
  take(method: string, path: string): Fault | undefined {
    const line = `${method.toUpperCase()} ${path}`;
    const fault = this.faults.find((f) => f.remaining > 0 && f.matcher.test(line));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  list(): Array<Omit<Fault, 'matcher'>> {
    return this.faults.map(({ matcher: _matcher, ...rest }) => rest);
  }

  clear(): void {
    this.faults = [];
  }
}
