import { ids } from '../random.ts';
import { type StoreContext, toIso } from './context.ts';
import type { Project, QrRecord, ScanRecord } from './records.ts';

/** Records one scan: indexed for analytics and events, counted on the QR code (`scans`, `lastClicked`). */
export function recordScan(
  ctx: StoreContext,
  project: Project,
  qr: QrRecord,
  scan: Omit<ScanRecord, 'id' | 'qrCodeId'>,
): ScanRecord {
  const record: ScanRecord = { id: ids.click(ctx.random), qrCodeId: qr.id, ...scan };
  project.data.scans.push(record);
  project.indexScan(record);
  qr.scans += 1;
  const iso = toIso(record.timestamp);
  if (!qr.lastClicked || qr.lastClicked < iso) qr.lastClicked = iso;
  ctx.changed();
  return record;
}
