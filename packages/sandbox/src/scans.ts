import type { Project, QrRecord, ScanRecord, Store } from './store/index.ts';
import type { WebhookDispatcher } from './webhooks.ts';

const CONTINENTS: Record<string, string> = {
  US: 'NA',
  CA: 'NA',
  MX: 'NA',
  BR: 'SA',
  AR: 'SA',
  CL: 'SA',
  CO: 'SA',
  GB: 'EU',
  DE: 'EU',
  FR: 'EU',
  ES: 'EU',
  IT: 'EU',
  NL: 'EU',
  PT: 'EU',
  SE: 'EU',
  PL: 'EU',
  JP: 'AS',
  CN: 'AS',
  IN: 'AS',
  SG: 'AS',
  KR: 'AS',
  AU: 'OC',
  NZ: 'OC',
  ZA: 'AF',
  NG: 'AF',
  EG: 'AF',
  KE: 'AF',
};

export interface ScanDetails {
  timestamp?: number;
  country?: string;
  city?: string;
  region?: string;
  device?: string;
  browser?: string;
  os?: string;
  referer?: string;
  ip?: string;
  ua?: string;
}

/** Derives device, browser and OS from a User-Agent the way analytics dashboards bucket them. */
export function parseUserAgent(ua: string): { device: string; browser: string; os: string } {
  const device = /iPad|Tablet/i.test(ua) ? 'Tablet' : /Mobile|iPhone|Android/i.test(ua) ? 'Mobile' : 'Desktop';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /^curl\//.test(ua)
            ? 'curl'
            : 'Unknown';
  const os = /iPhone|iPad|iOS/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'Mac OS'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'Unknown';
  return { device, browser, os };
}

/** Where and on what a scan happened, in the field names `/events` rows and webhooks share. */
export function scanContext(scan: ScanRecord) {
  return {
    url: scan.url,
    ip: scan.ip,
    continent: scan.continent,
    country: scan.country,
    city: scan.city,
    device: scan.device,
    browser: scan.browser,
    os: scan.os,
    referer: scan.referer,
  };
}

/** Records one scan (updating `scans`/`lastClicked`, analytics and events) and fires `qrcode.scanned`. */
export function recordScan(
  store: Store,
  webhooks: WebhookDispatcher,
  project: Project,
  qr: QrRecord,
  details: ScanDetails,
): ScanRecord {
  const country = (details.country ?? 'US').toUpperCase();
  const referer = details.referer ?? '(direct)';
  const scan = store.recordScan(project, qr, {
    timestamp: details.timestamp ?? store.now(),
    url: qr.url ?? qr.shortLink,
    country,
    city: details.city ?? 'Unknown',
    region: details.region ?? 'Unknown',
    continent: CONTINENTS[country] ?? 'Unknown',
    device: details.device ?? 'Mobile',
    browser: details.browser ?? 'Chrome',
    os: details.os ?? 'iOS',
    referer,
    refererUrl: referer,
    ip: details.ip ?? '127.0.0.1',
    ua: details.ua ?? 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1',
  });
  webhooks.emit(project, 'qrcode.scanned', {
    eventName: 'QR code scanned',
    interaction: {
      timestamp: new Date(scan.timestamp).toISOString(),
      clickId: scan.id,
      ...scanContext(scan),
      ua: scan.ua,
      bot: false,
      qr: true,
    },
    qrcode: {
      id: qr.id,
      domain: qr.domain,
      key: qr.key,
      url: qr.url,
      shortLink: qr.shortLink,
      scans: qr.scans,
      projectId: project.data.id,
      userId: project.data.userId,
    },
  });
  return scan;
}
