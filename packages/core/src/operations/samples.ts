import type * as z from 'zod/v4';
import type { ScanEvent } from '../polling/scan-event.ts';
import type { QrCode } from '../schemas/qr-code.ts';

/** A QR code as CodeQR returns it: the sample of every operation that answers one. */
export const qrCodeSample = {
  id: 'cm8x2k4qz0001l80f7h3b9d2e',
  domain: 'cqr.link',
  key: 'spring-menu',
  shortLink: 'https://cqr.link/spring-menu',
  url: 'https://example.com/menu/spring',
  type: 'url',
  static: false,
  externalId: 'menu-2026-spring',
  title: 'Spring menu',
  description: 'Table cards, spring 2026',
  image: null,
  archived: false,
  expiresAt: null,
  bgColor: '#ffffff',
  fgColor: '#1a1a2e',
  size: 1024,
  level: 'M',
  showLogo: false,
  scans: 42,
  lastClicked: '2026-03-14T18:22:05.000Z',
  tags: [{ id: 'tag_7Qm2', name: 'restaurant', color: 'green' }],
  folderId: null,
  comments: null,
  createdAt: '2026-03-01T09:30:00.000Z',
  updatedAt: '2026-03-02T11:05:12.000Z',
} satisfies z.input<typeof QrCode>;

/** One scan, as the scan trigger and the list-scans action emit it. */
export const scanEventSample = {
  id: 'clk_9d3fQ7aZ2m',
  timestamp: '2026-03-14T18:22:05.113Z',
  qrCodeId: qrCodeSample.id,
  domain: qrCodeSample.domain,
  key: qrCodeSample.key,
  shortLink: qrCodeSample.shortLink,
  url: qrCodeSample.url,
  country: 'FR',
  city: 'Lyon',
  continent: 'EU',
  device: 'Mobile',
  browser: 'Safari',
  os: 'iOS',
  referer: '(direct)',
  ip: '203.0.113.42',
  source: 'events',
} satisfies ScanEvent;
