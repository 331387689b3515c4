/**
 * The n8n-only choices: the one place in this package that names registry operation keys. Everything else iterates
 * core's `actions` / `triggers`; a test fails when an entry here names an operation or field that does not exist.
 */
import type { AnyAction, AnyTrigger } from '@codeqr-integrations/core/base';
import type { INodeProperties } from 'n8n-workflow';

/** One extra way to pick a record in a resource locator, and the operation input it stands for. */
export interface LocatorMode {
  name: string;
  displayName: string;
  placeholder: string;
  /** Checked by the editor as the user types. */
  pattern?: { regex: string; errorMessage: string };
  /** The operation input this value stands for (replacing the locator's own field). */
  toInput(value: string): Record<string, unknown>;
}

export interface OperationOverride {
  /** n8n resource value (default: the operation's `resource`). */
  resource?: string;
  /** n8n operation value (default: from `VERBS`, else the operation's `verb`). */
  operation?: string;
  /** Display name of the operation (default: from `VERBS`). */
  name?: string;
  /** The action, sentence case (default: from `VERBS` and `RESOURCES`). */
  action?: string;
  /** More resource-locator modes for a field picked from the account; `replaces` are the fields they stand in for. */
  locator?: { field: string; replaces: string[]; modes: LocatorMode[] };
  /** Property tweaks per field key (display only: never defaults that change what core receives). */
  fields?: Record<string, Partial<INodeProperties>>;
}

/**
 * n8n's names for core's verbs: value, display name, and the action as n8n's own nodes word it (sentence case, one
 * name per operation): `{a}` is the resource with its article ("a QR code"), `{many}` its plural ("QR codes").
 */
export const VERBS: Record<string, { value: string; name: string; action: string }> = {
  create: { value: 'create', name: 'Create', action: 'Create {a}' },
  update: { value: 'update', name: 'Update', action: 'Update {a}' },
  upsert: { value: 'upsert', name: 'Create or Update', action: 'Create or update {a}' },
  get: { value: 'get', name: 'Get', action: 'Get {a}' },
  list: { value: 'getAll', name: 'Get Many', action: 'Get many {many}' },
  delete: { value: 'delete', name: 'Delete', action: 'Delete {a}' },
  bulkCreate: { value: 'createMany', name: 'Create Many', action: 'Create many {many}' },
  bulkDelete: { value: 'deleteMany', name: 'Delete Many', action: 'Delete many {many}' },
  upsertMany: { value: 'upsertMany', name: 'Create or Update Many', action: 'Create or update many {many}' },
  getImage: { value: 'getImage', name: 'Get Image', action: 'Get the image of {a}' },
};

/** n8n's names for core's resources: display name, with its article in a sentence, plural. */
export const RESOURCES: Record<string, { name: string; a: string; many: string }> = {
  qrCode: { name: 'QR Code', a: 'a QR code', many: 'QR codes' },
  scan: { name: 'Scan', a: 'a scan', many: 'scans' },
  analytics: { name: 'Analytics', a: 'analytics', many: 'analytics' },
  tag: { name: 'Tag', a: 'a tag', many: 'tags' },
  folder: { name: 'Folder', a: 'a folder', many: 'folders' },
};

const SHORT_LINK = /^(?:https?:\/\/)?([^/\s]+)\/([^?#\s]+)/i;

const EXTERNAL_ID = {
  name: 'externalId',
  displayName: 'By External ID',
  placeholder: 'order-1234',
} as const;

const SHORT_LINK_MODE = {
  name: 'shortLink',
  displayName: 'By Short Link',
  placeholder: 'https://cqr.link/spring-menu',
  pattern: {
    regex: '^(?:https?://)?[^/\\s]+/[^?#\\s]+',
    errorMessage: 'Enter a short link such as https://cqr.link/spring-menu',
  },
} as const;

/** A short link as `{ domain, key }`; an unparsable one as a domain alone, so core's error names the field. */
export function parseShortLink(value: string): { domain: string; key?: string } {
  const match = SHORT_LINK.exec(value.trim());
  return match ? { domain: match[1] ?? '', key: decodeURIComponent(match[2] ?? '') } : { domain: value };
}

/** The modes of an operation acting on one QR code by its `id` (`ext_<externalId>` is CodeQR's own ID form). */
const byIdModes: LocatorMode[] = [
  { ...EXTERNAL_ID, toInput: (value) => ({ id: `ext_${value.trim()}` }) },
  { ...SHORT_LINK_MODE, toInput: (value) => ({ id: '', [SHORT_LINK_KEY]: parseShortLink(value) }) },
];

/** The input key a By Short Link value travels under until `execute` looks its ID up (`resolveShortLinks`). */
export const SHORT_LINK_KEY = '__shortLink';

export const OVERRIDES: Record<string, OperationOverride> = {
  // n8n users look for analytics under Scan, beside the scans themselves
  getScanAnalytics: {
    resource: 'scan',
    operation: 'getAnalytics',
    name: 'Get Analytics',
    action: 'Get scan analytics',
  },
  getQrCode: {
    locator: {
      field: 'id',
      replaces: ['externalId', 'domain', 'key'],
      modes: [
        { ...EXTERNAL_ID, toInput: (value) => ({ externalId: value }) },
        { ...SHORT_LINK_MODE, toInput: (value) => parseShortLink(value) },
      ],
    },
  },
  updateQrCode: { locator: { field: 'id', replaces: [], modes: byIdModes } },
  deleteQrCode: { locator: { field: 'id', replaces: [], modes: byIdModes } },
};

/** The n8n-only choices of one operation (none for most). */
export function overrideOf(op: AnyAction | AnyTrigger): OperationOverride {
  return OVERRIDES[op.key] ?? {};
}
