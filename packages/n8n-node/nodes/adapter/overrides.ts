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
  /** More resource-locator modes for a field picked from the account; `replaces` are the fields they stand in for. */
  locator?: { field: string; replaces: string[]; modes: LocatorMode[] };
  /** Property tweaks per field key (display only: never defaults that change what core receives). */
  fields?: Record<string, Partial<INodeProperties>>;
}

/** n8n's names for core's verbs: value and display name. */
export const VERBS: Record<string, { value: string; name: string }> = {
  create: { value: 'create', name: 'Create' },
  update: { value: 'update', name: 'Update' },
  upsert: { value: 'upsert', name: 'Create or Update' },
  get: { value: 'get', name: 'Get' },
  list: { value: 'getAll', name: 'Get Many' },
  delete: { value: 'delete', name: 'Delete' },
  bulkCreate: { value: 'createMany', name: 'Create Many' },
  bulkDelete: { value: 'deleteMany', name: 'Delete Many' },
  upsertMany: { value: 'upsertMany', name: 'Create or Update Many' },
  getImage: { value: 'getImage', name: 'Get Image' },
};

/** n8n's names for core's resources. */
export const RESOURCES: Record<string, string> = { qrCode: 'QR Code', scan: 'Scan', analytics: 'Analytics' };

const SHORT_LINK = /^(?:https?:\/\/)?([^/\s]+)\/([^?#\s]+)/i;

export const OVERRIDES: Record<string, OperationOverride> = {
  // n8n users look for analytics under Scan, beside the scans themselves
  getScanAnalytics: { resource: 'scan', operation: 'getAnalytics', name: 'Get Analytics' },
  getQrCode: {
    locator: {
      field: 'id',
      replaces: ['externalId', 'domain', 'key'],
      modes: [
        {
          name: 'externalId',
          displayName: 'By External ID',
          placeholder: 'order-1234',
          toInput: (value) => ({ externalId: value }),
        },
        {
          name: 'shortLink',
          displayName: 'By Short Link',
          placeholder: 'https://cqr.link/spring-menu',
          pattern: {
            regex: '^(?:https?://)?[^/\\s]+/[^?#\\s]+',
            errorMessage: 'Enter a short link such as https://cqr.link/spring-menu',
          },
          toInput: (value) => {
            const match = SHORT_LINK.exec(value.trim());
            // an unparsable link goes to core as a domain without a key, so its error names the field
            return match ? { domain: match[1], key: decodeURIComponent(match[2] ?? '') } : { domain: value };
          },
        },
      ],
    },
  },
};

/** The n8n-only choices of one operation (none for most). */
export function overrideOf(op: AnyAction | AnyTrigger): OperationOverride {
  return OVERRIDES[op.key] ?? {};
}
