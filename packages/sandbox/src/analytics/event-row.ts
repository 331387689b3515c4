import { scanContext } from '../scans.ts';
import type { Project, QrRecord, ScanRecord } from '../store/index.ts';

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
