import {
  type AnalyticsGroupBy,
  type AnalyticsQuery,
  PLAN_ANALYTICS_DAYS,
  PLANS_WITH_EVENTS,
  type Plan,
} from '@codeqr-integrations/core/schemas';
import { ApiError } from './api-error.ts';
import { scanContext } from './scans.ts';
import type { Project, QrRecord, ScanRecord, Store } from './store.ts';

const DAY = 86_400_000;
const PLAN_NAMES: Record<Plan, string> = {
  free: 'Free',
  starter: 'Starter',
  pro: 'Pro',
  business: 'Business',
  scale: 'Scale',
};

export interface TimeWindow {
  start: number;
  end: number;
  granularity: 'minute' | 'hour' | 'day' | 'month';
}

/** Resolves `interval` (which takes precedence) or `start`/`end` into a window, enforcing the plan's history limit. */
export function resolveWindow(
  query: { interval?: string; start?: string; end?: string },
  plan: Plan,
  now: number,
  defaultInterval = '24h',
): TimeWindow {
  let start: number;
  let end = now;
  const interval = query.interval ?? (query.start ? undefined : defaultInterval);
  if (interval) {
    const year = new Date(now).getUTCFullYear();
    const spans: Record<string, number> = {
      '1h': 3_600_000,
      '24h': DAY,
      '7d': 7 * DAY,
      '30d': 30 * DAY,
      '90d': 90 * DAY,
      ytd: now - Date.UTC(year, 0, 1),
      '1y': 365 * DAY,
      all: now - Date.UTC(2020, 0, 1),
    };
    start = now - (spans[interval] ?? DAY);
  } else {
    start = Date.parse(query.start!);
    if (query.end) end = Date.parse(query.end);
    if (end < start) throw new ApiError('unprocessable_entity', 'end: must be after start');
  }
  const days = (now - start) / DAY;
  const limit = PLAN_ANALYTICS_DAYS[plan];
  if (limit !== null && days > limit + 1e-6) {
    throw new ApiError(
      'forbidden',
      `Your ${PLAN_NAMES[plan]} plan can query analytics up to ${limit} days back; pick a shorter interval or upgrade your plan.`,
    );
  }
  const span = end - start;
  const granularity = span <= 3_600_000 ? 'minute' : span <= 2 * DAY ? 'hour' : span <= 92 * DAY ? 'day' : 'month';
  return { start, end, granularity };
}

export function requireEventsPlan(plan: Plan): void {
  if (!PLANS_WITH_EVENTS.includes(plan)) {
    throw new ApiError(
      'forbidden',
      `Listing individual events requires a Business plan or higher; this project is on the ${PLAN_NAMES[plan]} plan.`,
    );
  }
}

/** Scans of the project inside the window, narrowed by the query's scope and filters. */
export function selectScans(
  store: Store,
  project: Project,
  query: Pick<AnalyticsQuery, 'qrcodeId' | 'domain' | 'key' | 'externalId' | 'country' | 'device' | 'browser'>,
  window: TimeWindow,
): ScanRecord[] {
  let source: ScanRecord[] = project.data.scans;
  let scoped: QrRecord | undefined;
  if (query.qrcodeId) scoped = store.getQr(project, query.qrcodeId);
  else if (query.externalId) scoped = store.getQr(project, `ext_${query.externalId.replace(/^ext_/, '')}`);
  else if (query.domain && query.key) {
    const hit = store.byShortLink.get(`${query.domain}/${query.key}`);
    if (!hit || hit.project !== project)
      throw new ApiError('not_found', `QR code ${query.domain}/${query.key} not found.`);
    scoped = hit.qr;
  }
  if (scoped) source = project.scansByQr.get(scoped.id) ?? [];
  const eq = (a: string | undefined, b: string) => a === undefined || a.toLowerCase() === b.toLowerCase();
  return source.filter(
    (s) =>
      s.timestamp >= window.start &&
      s.timestamp <= window.end &&
      eq(query.country, s.country) &&
      eq(query.device, s.device) &&
      eq(query.browser, s.browser) &&
      (!query.domain || scoped !== undefined || project.qrById.get(s.qrCodeId)?.domain === query.domain),
  );
}

const zero = { leads: 0, sales: 0, saleAmount: 0 };

function floorTo(ms: number, granularity: TimeWindow['granularity']): number {
  const d = new Date(ms);
  switch (granularity) {
    case 'minute':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
    case 'hour':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

function nextBucket(ms: number, granularity: TimeWindow['granularity']): number {
  const d = new Date(ms);
  switch (granularity) {
    case 'minute':
      return ms + 60_000;
    case 'hour':
      return ms + 3_600_000;
    case 'day':
      return ms + DAY;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
}

function groupCount<T extends string>(scans: ScanRecord[], field: (s: ScanRecord) => string, name: T) {
  const counts = new Map<string, number>();
  for (const s of scans) counts.set(field(s), (counts.get(field(s)) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([value, clicks]) => ({ [name]: value, clicks, ...zero }) as Record<T, string> & { clicks: number });
}

/** The body of `GET /analytics` for one `groupBy`. Scans are QR traffic, so they count as clicks too. */
export function aggregate(
  project: Project,
  scans: ScanRecord[],
  groupBy: AnalyticsGroupBy,
  window: TimeWindow,
): unknown {
  switch (groupBy) {
    case 'count':
      return { clicks: scans.length, scans: scans.length, views: 0, ...zero };
    case 'timeseries': {
      const buckets = new Map<number, number>();
      for (let t = floorTo(window.start, window.granularity); t <= window.end; t = nextBucket(t, window.granularity)) {
        buckets.set(t, 0);
      }
      for (const s of scans) {
        const b = floorTo(s.timestamp, window.granularity);
        buckets.set(b, (buckets.get(b) ?? 0) + 1);
      }
      return [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([start, n]) => ({ start: new Date(start).toISOString(), clicks: n, scans: n, views: 0, ...zero }));
    }
    case 'countries':
      return groupCount(scans, (s) => s.country, 'country').map((row) => ({ ...row, city: '*' }));
    case 'devices':
      return groupCount(scans, (s) => s.device, 'device');
    case 'browsers':
      return groupCount(scans, (s) => s.browser, 'browser');
    case 'top_qrcodes': {
      const counts = new Map<string, number>();
      for (const s of scans) counts.set(s.qrCodeId, (counts.get(s.qrCodeId) ?? 0) + 1);
      return [...counts.entries()]
        .map(([id, clicks]) => ({ qr: project.qrById.get(id), clicks }))
        .filter((row): row is { qr: QrRecord; clicks: number } => row.qr !== undefined)
        .sort((a, b) => b.clicks - a.clicks || a.qr.id.localeCompare(b.qr.id))
        .slice(0, 100)
        .map(({ qr, clicks }) => ({
          link: qr.id,
          id: qr.id,
          domain: qr.domain,
          key: qr.key,
          shortLink: qr.shortLink,
          url: qr.url ?? qr.shortLink,
          createdAt: qr.createdAt,
          clicks,
          leads: 0,
        }));
    }
  }
}

/** One `/events` row: CodeQR's click-event shape (the spec's `ClickEvent`), plus the scanned QR code. */
export function eventRow(project: Project, qr: QrRecord | undefined, scan: ScanRecord) {
  const timestamp = new Date(scan.timestamp).toISOString();
  const domain = qr?.domain ?? '';
  const key = qr?.key ?? '';
  return {
    // The spec's discriminator only knows "click"; scans come in the click shape with `click.type` = "qr".
    event: 'click',
    timestamp,
    click: { id: scan.id, ...scanContext(scan), refererUrl: scan.refererUrl, type: 'qr' },
    link: {
      id: scan.qrCodeId,
      domain,
      key,
      expiredUrl: qr?.expiredUrl ?? null,
      flexible: false,
      password: null,
      title: qr?.title ?? null,
      description: null,
      image: null,
      video: null,
      ios: null,
      android: null,
      geo: null,
      tagId: null,
      tags: qr?.tags ?? [],
      folderId: qr?.folderId ?? null,
      comments: null,
      notificationToken: null,
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      utm_term: null,
      utm_content: null,
      projectId: project.data.id,
      clicks: qr?.scans ?? 0,
      leads: 0,
      sales: 0,
      saleAmount: 0,
      createdAt: qr?.createdAt ?? timestamp,
      updatedAt: qr?.updatedAt ?? timestamp,
      preRedirection: false,
      isFormMandatory: false,
      filled: false,
      useAsTemplate: false,
    },
    qrcode: qr
      ? { id: qr.id, domain: qr.domain, key: qr.key, url: qr.url, shortLink: qr.shortLink, externalId: qr.externalId }
      : { id: scan.qrCodeId, domain, key, url: null, shortLink: null, externalId: null },
    // deprecated flat copies the spec still requires
    click_id: scan.id,
    link_id: scan.qrCodeId,
    domain,
    key,
    ...scanContext(scan),
    type: 'qr',
  };
}
