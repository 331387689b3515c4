/** How the queue-mode run reads its figures: window use of a key's rate limit, executions from n8n's database. */
import { DatabaseSync } from 'node:sqlite';

/** One answered API request: when it was answered, and its status. */
export interface Seen {
  at: number;
  status: number;
}

/**
 * Accepted requests (not 429) per rate-limit window (fixed windows aligned to the epoch, as the sandbox counts
 * them), over every window from the first request's to the one before the last (the last is cut short when the work
 * runs out): their sum ÷ (limit × windows). 1.0 = every window the key allows was used.
 */
export function windowUse(seen: Seen[], windowMs: number, limit: number) {
  const accepted = seen.filter((s) => s.status !== 429).map((s) => Math.floor(s.at / windowMs));
  if (accepted.length === 0) return { ratio: 0, windows: 0, accepted: 0, spread: '' };
  const first = Math.min(...accepted);
  const last = Math.max(...accepted);
  const full = last - first;
  if (full === 0) return { ratio: accepted.length / limit, windows: 1, accepted: accepted.length, spread: '' };
  const inFull = accepted.filter((w) => w < last).length;
  const per = Array.from({ length: full }, (_, i) => accepted.filter((w) => w === first + i).length).sort(
    (a, b) => a - b,
  );
  const spread = `per window min ${per[0]}, median ${per[Math.floor(full / 2)]}, max ${per[full - 1]}`;
  return { ratio: inFull / (limit * full), windows: full, accepted: accepted.length, spread };
}

/** Executions of a workflow by status, read from n8n's SQLite database (read-only, while n8n runs). */
export function executionStatuses(databaseFile: string, workflowId: string): Record<string, number> {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  try {
    const rows = db
      .prepare('SELECT status, COUNT(*) AS n FROM execution_entity WHERE workflowId = ? GROUP BY status')
      .all(workflowId) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  } finally {
    db.close();
  }
}

/**
 * Failed executions by cause, from their stored error: SQLite's lock
 * (`SQLITE_BUSY`: several n8n processes writing one SQLite file, which n8n does not support), a rate limit
 * (rate_limit_exceeded, Too Many Requests), or anything else.
 */
export function failureCauses(databaseFile: string, workflowId: string) {
  const db = new DatabaseSync(databaseFile, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
         WHERE e.workflowId = ? AND e.status IN ('error', 'crashed')`,
      )
      .all(workflowId) as { data: string }[];
    const causes = { rateLimit: 0, sqliteBusy: 0, other: 0, samples: [] as string[] };
    for (const { data } of rows) {
      // n8n stores the run flattened (numbers are indexes: a bare 429 means nothing), so the words are matched
      if (/SQLITE_BUSY/.test(data)) causes.sqliteBusy++;
      else if (/rate_limit_exceeded|rate limit|Too Many Requests/i.test(data)) causes.rateLimit++;
      else {
        causes.other++;
        if (causes.samples.length < 3) causes.samples.push(data.slice(0, 600));
      }
    }
    return causes;
  } finally {
    db.close();
  }
}

export const isDone = (status: string) => !['new', 'running', 'waiting', 'unknown'].includes(status);

export function bench(
  figure: string,
  result: number,
  unit: '×' | 'count',
  target: string,
  anchor: string,
  detail: string,
) {
  console.log(`BENCH ${JSON.stringify({ figure, result, unit, target, anchor, detail })}`);
}
