import { ApiError } from '../api-error.ts';
import type { Project, QrRecord, ScanRecord, Store } from '../store/index.ts';
import type { WireAnalyticsQuery, WireGroupBy } from '../wire/analytics.ts';
import { floorTo, nextBucket, type TimeWindow } from './window.ts';

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
