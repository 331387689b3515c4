/**
 * Zapier-only choices, and the only place this app names an operation key. Everything else comes from core's
 * registry: an operation added there appears here as a create (an action) or a polling trigger with no code.
 * `test/overrides.test.ts` fails when an entry names an operation or field that does not exist.
 */
import { type AnyAction, type DynamicOptionSource, humanize } from '@codeqr-integrations/core/base';
import type { ZapierInputField } from './types.ts';

export interface OperationOverride {
  /** Zapier's key, when it differs from core's (Zapier names a trigger "New X" or "Updated X"). */
  key?: string;
  /** Zapier's noun, when it differs from the one derived from core's resource. */
  noun?: string;
  /** Where an action goes in Zapier (default: a create). `exclude` keeps it out, with a reason. */
  as?: 'create' | 'search' | { exclude: string };
  /** Zapier's label, when it differs from core's title. */
  label?: string;
  /** Zapier's wording: "Triggers when …." / "Creates …" / "Finds …". */
  description?: string;
  /** The answer is a rendered image (core's `QrImage`): stashed with `z.stashFile`, returned as a file field. */
  file?: boolean;
  /** Per-field tweaks by core key path (`id`, `wifi.ssid`, `items[].url`). */
  fields?: Record<string, Partial<ZapierInputField>>;
}

const PICK_OR_MAP =
  'Pick a QR code, or choose "Custom" to map an ID from an earlier step (your own ID works as ext_<External ID>).';

export const overrides: Record<string, OperationOverride> = {
  newScan: {
    description:
      'Triggers when a QR code is scanned, once per scan, with its location and device (needs a CodeQR Business ' +
      'plan or higher; on other plans use Updated Scan Count).',
  },
  // Zapier's New/Updated naming, and a key of its own: the item claims no previous count (Zapier keeps no state of
  // ours to take it from), so nothing mapped from the old fields could silently point at a field that is gone.
  // Unreleased, so no live Zap uses a key yet; once published, keys are for good (Zapier's C001-C003 checks).
  scanCountChanged: {
    key: 'updatedScanCount',
    label: 'Updated Scan Count',
    noun: 'Scan Count',
    description:
      "Triggers when a QR code's scan count changes, once per new total, with that total (works on every CodeQR " +
      'plan).',
  },
  newQrCode: {
    description: 'Triggers when a QR code is created, optionally only on one domain, with some tags or in a folder.',
  },
  updateQrCode: {
    description:
      'Updates the fields you fill in on an existing QR code; fields left empty stay as they are, and the ones ' +
      'picked in Clear Fields are emptied.',
    fields: { id: { helpText: PICK_OR_MAP } },
  },
  upsertQrCode: {
    description:
      'Creates a QR code, or updates the one with the same External ID (or destination URL); the output says ' +
      'whether it was created, updated or unchanged.',
  },
  deleteQrCode: { fields: { id: { helpText: PICK_OR_MAP } } },
  bulkCreateQrCodes: {
    label: 'Bulk Create QR Codes',
    description:
      'Creates one QR code per line item and reports each line on its own: good lines are created even when ' +
      'others fail.',
  },
  bulkDeleteQrCodes: { description: 'Deletes several QR codes by ID; IDs that do not exist are ignored.' },
  getQrCodeImage: {
    file: true,
    description:
      'Creates a PNG or SVG image file of a CodeQR QR code (in its own colours unless you change them) or of any ' +
      'text or URL.',
  },
  getQrCode: {
    as: 'search',
    description: 'Finds a QR code by its ID, your External ID, or its short link (domain and key).',
  },
  getScanAnalytics: {
    as: 'search',
    label: 'Find Scan Analytics',
    description: 'Finds scan totals, a time series, or a breakdown by country, device, browser or QR code.',
  },
  listQrCodes: { as: { exclude: 'Zapier has no list step: New QR Code and Find QR Code cover it.' } },
  listScans: { as: { exclude: 'Zapier has no list step: New Scan and Find Scan Analytics cover it.' } },
  listTags: { as: { exclude: 'Zapier has no list step: the Tags dropdown lists them.' } },
  listFolders: { as: { exclude: 'Zapier has no list step: the Folder dropdown lists them.' } },
};

/** Search-or-create pairs, keyed by the search (Zapier requires the same key). */
export const searchOrCreates: Record<string, { create: string; label: string; description: string }> = {
  getQrCode: {
    create: 'createQrCode',
    label: 'Find or Create QR Code',
    description: 'Finds a QR code by ID, External ID or short link, and creates it if none exists.',
  },
};

/** The search a dynamic dropdown of this source offers next to it ("Add a search step"), as `search.key`. */
const SEARCH_FOR: Partial<Record<DynamicOptionSource, { search: string; field: string }>> = {
  qrCodes: { search: 'getQrCode', field: 'id' },
};

export function searchFor(opKey: string, source: DynamicOptionSource): string | undefined {
  const found = SEARCH_FOR[source];
  // a search never offers itself
  return found && found.search !== opKey ? `${found.search}.${found.field}` : undefined;
}

export function fieldOverride(opKey: string, path: string): Partial<ZapierInputField> {
  return overrides[opKey]?.fields?.[path] ?? {};
}

export const searchForSources = SEARCH_FOR;

/** Where an action goes in Zapier: a create unless its override says otherwise. */
export const placementOf = (op: AnyAction) => overrides[op.key]?.as ?? 'create';

/**
 * Zapier's noun for a resource: core's `humanize` of its singular (`qrCodes` → `QR Code`, `domains` → `Domain`,
 * `analytics` stays), since Zapier words it "creates a new QR Code".
 */
export const nounOf = (resource: string): string => humanize(resource.replace(/(?<!ic|s)s$/, ''));

/** What every trigger, create and search opens with: its key, its noun and its label and description. */
export function headerOf(op: { key: string; resource: string; title: string; description: string }) {
  const override = overrides[op.key];
  return {
    key: override?.key ?? op.key,
    noun: override?.noun ?? nounOf(op.resource),
    display: { label: override?.label ?? op.title, description: override?.description ?? op.description },
  };
}
