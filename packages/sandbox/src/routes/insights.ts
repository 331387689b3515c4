import { Hono } from 'hono';
import { z } from 'zod/v4';
import { aggregate, COUNTED_EVENTS, selectScans } from '../analytics/aggregate.ts';
import { eventRow } from '../analytics/event-row.ts';
import { resolveWindow } from '../analytics/window.ts';
import { ApiError, unprocessable } from '../api-error.ts';
import type { SandboxBehaviour } from '../behaviour.ts';
import { type Env, queryObject, readJson } from '../http.ts';
import {
  checkAnalyticsWindow,
  checkEventsPlan,
  checkFolderQuota,
  checkScanQuota,
  checkTagQuota,
} from '../plan-gates.ts';
import type { Project, Store } from '../store/index.ts';
import { WireAnalyticsQuery, WireEventsQuery } from '../wire/analytics.ts';
import { WireCreateTagBody } from '../wire/tags.ts';

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw unprocessable(parsed.error);
  return parsed.data;
}

function page<T>(rows: T[], query: Record<string, string>, max: number): T[] {
  const q = parse(
    z.object({
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(max).default(max),
    }),
    { page: query.page, pageSize: query.pageSize },
  );
  return rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
}

/** `/analytics`, `/events`, `/domains`, `/tags`, `/folders`. */
export function insightRoutes(store: Store, behaviour: SandboxBehaviour) {
  const app = new Hono<Env>();

  const scansThisMonth = (project: Project) => {
    const month = store.isoNow().slice(0, 7);
    let n = 0;
    for (const s of project.data.scans) if (new Date(s.timestamp).toISOString().startsWith(month)) n++;
    return n;
  };

  app.get('/analytics', (c) => {
    const project = c.get('project');
    const q = parse(WireAnalyticsQuery, queryObject(c));
    if (q.interval === 'all_unfiltered') {
      // CodeQR answers it with a 500 today (its MCP server records it and withholds the value)
      throw new ApiError('internal_server_error', "interval=all_unfiltered fails on CodeQR's API as well; use all.");
    }
    if (behaviour.quotas) {
      checkScanQuota(project.plan, scansThisMonth(project));
      checkAnalyticsWindow(project.plan, q, store.now());
    }
    const window = resolveWindow(q, store.now());
    const scans = selectScans(store, project, q, window);
    return c.json(aggregate(project, scans, q.groupBy, window, q.event));
  });

  app.get('/events', (c) => {
    const project = c.get('project');
    if (behaviour.quotas) {
      checkEventsPlan(project.plan);
      checkScanQuota(project.plan, scansThisMonth(project));
    }
    const q = parse(WireEventsQuery, queryObject(c));
    if (behaviour.quotas) checkAnalyticsWindow(project.plan, q, store.now());
    const window = resolveWindow(q, store.now());
    // the sandbox records scans only: leads, sales and views have no events
    const scans = COUNTED_EVENTS.has(q.event) ? selectScans(store, project, q, window) : [];
    const dir = q.order === 'asc' ? 1 : -1;
    scans.sort((a, b) => dir * (a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    const rows = scans.slice((q.page - 1) * q.limit, q.page * q.limit);
    return c.json(rows.map((scan) => eventRow(project, project.qrById.get(scan.qrCodeId), scan)));
  });

  app.get('/domains', (c) => {
    const q = queryObject(c);
    let rows = store.domains;
    if (q.search) rows = rows.filter((d) => d.slug.includes(q.search!.toLowerCase()));
    if (q.archived !== 'true') rows = rows.filter((d) => !d.archived);
    return c.json(page(rows, q, 50));
  });

  app.get('/tags', (c) => {
    const project = c.get('project');
    const q = queryObject(c);
    const opts = parse(
      z.object({
        sortBy: z.enum(['name', 'createdAt']).default('name'),
        sortOrder: z.enum(['asc', 'desc']).default('asc'),
      }),
      { sortBy: q.sortBy, sortOrder: q.sortOrder },
    );
    let rows = [...project.data.tags];
    if (q.search) rows = rows.filter((t) => t.name.toLowerCase().includes(q.search!.toLowerCase()));
    if (q.ids) {
      const wanted = q.ids.split(',');
      rows = rows.filter((t) => wanted.includes(t.id));
    }
    const dir = opts.sortOrder === 'asc' ? 1 : -1;
    rows.sort(
      (a, b) => dir * (opts.sortBy === 'name' ? a.name.localeCompare(b.name) : a.createdAt.localeCompare(b.createdAt)),
    );
    return c.json(page(rows, q, 100).map(({ id, name, color }) => ({ id, name, color })));
  });

  app.post('/tags', async (c) => {
    const body = parse(WireCreateTagBody, (await readJson(c)) ?? {});
    const name = body.name ?? body.tag;
    if (!name) throw new ApiError('unprocessable_entity', 'name: is required');
    if (behaviour.quotas) checkTagQuota(c.get('project').plan, c.get('project').data.tags.length);
    const { id, color } = store.createTag(c.get('project'), name, body.color);
    return c.json({ id, name, color }, 201);
  });

  app.get('/folders', (c) => {
    const q = queryObject(c);
    let rows = c.get('project').data.folders;
    if (q.search) rows = rows.filter((f) => f.name.toLowerCase().includes(q.search!.toLowerCase()));
    return c.json(page(rows, q, 50));
  });

  app.post('/folders', async (c) => {
    const body = parse(
      z.object({ name: z.string().min(3).max(190), accessLevel: z.enum(['write', 'read']).nullish() }),
      (await readJson(c)) ?? {},
    );
    if (behaviour.quotas) checkFolderQuota(c.get('project').plan, c.get('project').data.folders.length);
    return c.json(store.createFolder(c.get('project'), body.name, body.accessLevel ?? null), 201);
  });

  return app;
}
