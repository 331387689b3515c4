import { Hono } from 'hono';
import type { z } from 'zod/v4';
import { ApiError, unprocessable } from '../api-error.ts';
import type { SandboxBehaviour } from '../behaviour.ts';
import { type Ctx, type Env, queryObject, readJson } from '../http.ts';
import type { Project, QrRecord, Store } from '../store/index.ts';
import type { WebhookDispatcher } from '../webhooks.ts';
import { QrCountQuery, type QrFilters, QrListQuery } from '../wire/lists.ts';
import { WireCreateBody } from '../wire/qr-code.ts';

function matches(qr: QrRecord, f: QrFilters, withTagsFilters: boolean): boolean {
  if (!f.showArchived && qr.archived) return false;
  // Dub's getLinksForWorkspace reads `withTags=true` as "only codes that have a tag"
  if (withTagsFilters && f.withTags && qr.tags.length === 0) return false;
  if (f.domain && qr.domain !== f.domain) return false;
  if (f.folderId && qr.folderId !== f.folderId) return false;
  if (f.type && qr.type !== f.type) return false;
  if (f.format && (f.format === 'static') !== qr.static) return false;
  const tagIds = [...(f.tagIds ?? []), ...(f.tagId ? [f.tagId] : [])];
  if (tagIds.length > 0 && !qr.tags.some((t) => tagIds.includes(t.id))) return false;
  if (f.tagNames && f.tagNames.length > 0) {
    const names = f.tagNames.map((n) => n.toLowerCase());
    if (!qr.tags.some((t) => names.includes(t.name.toLowerCase()))) return false;
  }
  if (f.search) {
    const needle = f.search.toLowerCase();
    const hay = [qr.key, qr.title ?? '', qr.url ?? '', qr.shortLink].join(' ').toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  if (f.createdAfter && Date.parse(qr.createdAt) <= Date.parse(f.createdAfter)) return false;
  if (f.createdBefore && Date.parse(qr.createdAt) >= Date.parse(f.createdBefore)) return false;
  if (f.scansMin !== undefined && qr.scans < f.scansMin) return false;
  if (f.scansMax !== undefined && qr.scans > f.scansMax) return false;
  return true;
}

function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw unprocessable(parsed.error);
  return parsed.data;
}

export function qrCodeRoutes(store: Store, webhooks: WebhookDispatcher, behaviour: SandboxBehaviour) {
  const app = new Hono<Env>();
  const emit = (project: Project, event: string, qr: QrRecord) => webhooks.emit(project, event, { qrcode: qr });

  /** Tags in a list answer: per the spec only with `withTags=true`; Dub's code always includes them. */
  const listed = (qr: QrRecord, withTags: boolean | undefined) =>
    withTags || behaviour.withTags === 'dub' ? qr : { ...qr, tags: [], tagId: null };

  app.post('/', async (c) => {
    const project = c.get('project');
    const body = await readJson(c);
    store.checkQrQuota(project);
    const qr = store.create(project, body);
    emit(project, 'qrcode.created', qr);
    return c.json(qr);
  });

  app.get('/', (c) => {
    const project = c.get('project');
    const q = parseQuery(QrListQuery, queryObject(c));
    const rows = project.data.qrCodes.filter((qr) => matches(qr, q, behaviour.withTags === 'dub'));
    const sortKey = (qr: QrRecord) =>
      q.sort === 'scans'
        ? qr.scans
        : q.sort === 'lastClicked'
          ? Date.parse(qr.lastClicked ?? '') || 0
          : Date.parse(qr.createdAt);
    rows.sort((a, b) => sortKey(b) - sortKey(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const start = (q.page - 1) * q.pageSize;
    return c.json(rows.slice(start, start + q.pageSize).map((qr) => listed(qr, q.withTags)));
  });

  app.get('/count', (c) => {
    const project = c.get('project');
    const q = parseQuery(QrCountQuery, queryObject(c));
    const rows = project.data.qrCodes.filter((qr) => matches(qr, q, behaviour.withTags === 'dub'));
    if (!q.groupBy) return c.json(rows.length);
    const counts = new Map<string | null, number>();
    for (const qr of rows) {
      const keys =
        q.groupBy === 'tagId'
          ? qr.tags.map((t) => t.id)
          : [q.groupBy === 'domain' ? qr.domain : q.groupBy === 'userId' ? (qr.userId as string) : qr.folderId];
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return c.json([...counts.entries()].map(([value, count]) => ({ [q.groupBy!]: value, _count: count })));
  });

  app.get('/info', (c) => {
    const project = c.get('project');
    const q = queryObject(c);
    // Dub's getLinkOrThrow: the id or the external id, `ext_<externalId>` found by external id, anything else by id
    const id = q.qrCodeId || q.qrcodeId || q.externalId;
    let qr: QrRecord | undefined;
    if (id) qr = store.findQr(project, id);
    else if (q.domain && q.key) {
      const hit = store.byShortLink.get(`${q.domain}/${q.key}`);
      qr = hit?.project === project ? hit.qr : undefined;
    } else {
      throw new ApiError('bad_request', 'Pass one of qrCodeId, externalId (prefixed with ext_), or domain and key.');
    }
    if (!qr && q.externalId && !q.externalId.startsWith('ext_')) {
      throw new ApiError('bad_request', 'Invalid externalId. Did you forget to prefix it with `ext_`?');
    }
    if (!qr) throw new ApiError('not_found', 'QR code not found in this project.');
    return c.json(qr);
  });

  app.post('/bulk', async (c) => {
    const project = c.get('project');
    const body = await readJson(c);
    if (!Array.isArray(body)) throw new ApiError('unprocessable_entity', 'body: expected an array of QR codes');
    if (body.length === 0) throw new ApiError('unprocessable_entity', 'body: provide at least one QR code');
    if (body.length > 100) {
      throw new ApiError('unprocessable_entity', `body: at most 100 QR codes per request (got ${body.length})`);
    }
    store.checkQrQuota(project, body.length, true);
    const dub = behaviour.bulkAnswers === 'dub';
    const reserved = { links: new Set<string>(), externalIds: new Set<string>() };
    const skipped = Symbol('skipped');
    const prepared = body.map((item, index) => {
      try {
        const parsed = WireCreateBody.safeParse(item);
        if (!parsed.success) throw unprocessable(parsed.error, `[${index}]`);
        const externalId = parsed.data.externalId;
        // Dub: createMany({ skipDuplicates: true }) drops a row whose externalId exists, and the answer omits it
        if (dub && externalId && (project.qrByExternalId.has(externalId) || reserved.externalIds.has(externalId))) {
          return skipped;
        }
        return store.prepareCreate(project, parsed.data, reserved);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return { qrcode: item, error: error.message, code: error.code };
      }
    });
    // Bulk operations fire no webhooks (as the real API).
    const answers = prepared
      .filter((item) => item !== skipped)
      .map((item) => ('error' in item ? item : store.insert(project, item as QrRecord)));
    if (!dub) return c.json(answers);
    return c.json([...answers.filter((a) => !('error' in a)), ...answers.filter((a) => 'error' in a)]);
  });

  app.delete('/bulk', (c) => {
    const project = c.get('project');
    const raw = queryObject(c).qrcodeIds;
    if (!raw) throw new ApiError('unprocessable_entity', 'qrcodeIds: pass a comma-separated list of QR code ids');
    const idList = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (idList.length > 100) {
      throw new ApiError('unprocessable_entity', `qrcodeIds: at most 100 ids per request (got ${idList.length})`);
    }
    let deletedCount = 0;
    for (const id of new Set(idList)) {
      const qr = project.qrById.get(id);
      if (qr) {
        store.remove(project, qr);
        deletedCount += 1;
      }
    }
    return c.json({ deletedCount });
  });

  // CodeQR's introduction page upserts at POST /qrcodes/update; the spec had PATCH /qrcodes/upsert until 2026-08-03.
  const upsert = async (c: Ctx) => {
    const project = c.get('project');
    const { qr, action } = store.upsertByUrl(project, await readJson(c), () => store.checkQrQuota(project));
    if (action !== 'unchanged') emit(project, action === 'created' ? 'qrcode.created' : 'qrcode.updated', qr);
    return c.json(qr);
  };
  app.post('/update', upsert);
  app.patch('/upsert', upsert);
  app.put('/upsert', upsert);

  const update = async (c: Ctx) => {
    const project = c.get('project');
    const existing = store.getQr(project, c.req.param('id')!);
    const { qr, changed } = store.update(project, existing, await readJson(c));
    if (changed) emit(project, 'qrcode.updated', qr);
    return c.json(qr);
  };
  app.put('/:id', update);
  app.patch('/:id', update);

  app.delete('/:id', (c) => {
    const project = c.get('project');
    const qr = store.getQr(project, c.req.param('id'));
    store.remove(project, qr);
    emit(project, 'qrcode.deleted', qr);
    return c.json({ id: qr.id });
  });

  return app;
}
