import { ApiError } from './api-error.ts';
import { scanContext } from './scans.ts';
import type { Project, QrRecord, ScanRecord, Store } from './store.ts';
import type { WireAnalyticsQuery, WireGroupBy } from './wire.ts';

const DAY = 86_400_000;

export interface TimeWindow {
  start: number;
  end: number;
  granularity: 'minute' | 'hour' | 'day' | 'month';
}

/** Resolves `interval` (which takes precedence) or `start`/`end` into a window (plan limits: plans.ts). */
export function resolveWindow(
  query: { interval?: string; start?: string; end?: string },
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
  const span = end - start;
  const granularity = span <= 3_600_000 ? 'minute' : span <= 2 * DAY ? 'hour' : span <= 92 * DAY ? 'day' : 'month';
  return { start, end, granularity };
}

/** Scans of the project inside the window, narrowed by the query's scope and filters. */
export function selectScans(
  store: Store,
  project: Project,
  query: Pick<
    WireAnalyticsQuery,
    'qrcodeId' | 'linkId' | 'domain' | 'key' | 'externalId' | 'country' | 'city' | 'device' | 'browser' | 'os'
  >,
  window: TimeWindow,
): ScanRecord[] {
  let source: ScanRecord[] = project.data.scans;
  let scoped: QrRecord | undefined;
  if (query.qrcodeId || query.linkId) scoped = store.getQr(project, (query.qrcodeId || query.linkId)!);
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
      eq(query.city, s.city) &&
      eq(query.device, s.device) &&
      eq(query.browser, s.browser) &&
      eq(query.os, s.os) &&
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

/** Events the sandbox records: scans only (QR traffic, which CodeQR counts as clicks too). */
export const COUNTED_EVENTS = new Set(['scans', 'clicks', 'composite']);

/**
 * The body of `GET /analytics` for any spec `groupBy`. Scans count as clicks; the sandbox has no leads, sales or
 * views, so `event=leads|sales|views` answers zeros (and empty groupings) in the same shapes.
 */
export function aggregate(
  project: Project,
  all: ScanRecord[],
  groupBy: WireGroupBy,
  window: TimeWindow,
  event = 'scans',
): unknown {
  const scans = COUNTED_EVENTS.has(event) ? all : [];
  switch (groupBy) {
    case 'count':
    case 'totals':
    case 'kpis':
    case 'analytics':
    case 'leads':
    case 'sales':
    case 'composite':
      return { clicks: scans.length, scans: scans.length, views: 0, ...zero };
    case 'timeseries':
    case 'trend_live': {
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
    case 'country':
      return groupCount(scans, (s) => s.country, 'country').map((row) => ({ ...row, city: '*' }));
    case 'continents':
      return groupCount(scans, (s) => s.continent, 'continent');
    case 'region': {
      const rows = groupCount(scans, (s) => `${s.country}\u0000${s.region}`, 'pair');
      return rows.map(({ pair, ...rest }) => {
        const [country, region] = pair.split('\u0000');
        return { country, region, city: '*', ...rest };
      });
    }
    case 'cities':
    case 'city': {
      const rows = groupCount(scans, (s) => `${s.country}\u0000${s.city}`, 'pair');
      return rows.map(({ pair, ...rest }) => {
        const [country, city] = pair.split('\u0000');
        return { city, country, ...rest };
      });
    }
    case 'devices':
      return groupCount(scans, (s) => s.device, 'device');
    case 'browsers':
      return groupCount(scans, (s) => s.browser, 'browser');
    case 'os':
      return groupCount(scans, (s) => s.os, 'os');
    case 'referers':
      return groupCount(scans, (s) => s.referer, 'referer');
    case 'referer_urls':
      return groupCount(scans, (s) => s.refererUrl, 'refererUrl');
    case 'top_urls':
      return groupCount(scans, (s) => s.url, 'url');
    case 'top_links':
    case 'top_qrcodes':
    case 'top_pages':
    case 'top_events': {
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
    case 'utm_sources':
    case 'utm_mediums':
    case 'utm_campaigns':
    case 'utm_contents':
    case 'utm_terms':
      return []; // simulated scans carry no UTM parameters
    case 'clicks':
    case 'scans':
    case 'views':
      // CodeQR answers these three with a 500 (its MCP server records it and withholds them): so does the sandbox
      throw new ApiError('internal_server_error', `groupBy=${groupBy} fails on CodeQR's API as well; use count.`);
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
