/**
 * The Action's per-operation tweaks: how some registry fields are named as inputs, the short aliases of the
 * operations, which bulk operation takes a catalogue file, and which triggers `poll-scans` polls. Everything else is
 * derived from core's registry (`describeFields`), so a new core operation costs this file nothing. The Action's own
 * inputs and outputs are declared in `inputs.ts` and `outputs.ts`.
 */

/** Input names for registry field keys whose kebab form would read badly in a workflow (`tag-names`, `qrcode-id`). */
export const INPUT_NAME_OVERRIDES: Readonly<Record<string, string>> = {
  id: 'qr-code-id',
  qrCodeId: 'qr-code-id',
  qrcodeId: 'qr-code-id',
  tagNames: 'tags',
  ids: 'qr-code-ids',
};

/**
 * Registry fields a step sets only through the `fields` input (JSON or YAML, by their key), not as inputs of their
 * own: CodeQR's design, device/country targeting, link and UTM options, so that action.yml lists what most steps
 * use. The README lists them (generated); catalogue columns and `fields` take them as any other field.
 */
export const FIELDS_ONLY: ReadonlySet<string> = new Set([
  'logo',
  'showLogo',
  'excavate',
  'pattern',
  'shape',
  'filled',
  'frame',
  'frameColor',
  'frameText',
  'frameTextColor',
  'frameTextStyles',
  'ios',
  'android',
  'geo',
  'rules',
  'password',
  'proxy',
  'image',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
]);

/** Short names accepted for `operation` (each full kebab key is accepted too). */
export const OPERATION_ALIASES: Readonly<Record<string, string>> = {
  create: 'create-qr-code',
  update: 'update-qr-code',
  upsert: 'upsert-qr-code',
  get: 'get-qr-code',
  find: 'get-qr-code',
  list: 'list-qr-codes',
  delete: 'delete-qr-code',
  'bulk-create': 'bulk-create-qr-codes',
  'bulk-upsert': 'upsert-qr-codes',
  'bulk-delete': 'bulk-delete-qr-codes',
  image: 'get-qr-code-image',
  analytics: 'get-scan-analytics',
  scans: 'list-scans',
  poll: 'poll-scans',
};

/** Catalogue mode (`file`): the registry's bulk operation behind each command that takes a file. */
export const CATALOGUE_OPERATIONS: Readonly<Record<string, string>> = {
  'upsert-qr-code': 'upsertQrCodes',
  'upsert-qr-codes': 'upsertQrCodes',
  'bulk-create-qr-codes': 'bulkCreateQrCodes',
};

/** The scan triggers the Action exposes as `poll-scans`, per `strategy` (every trigger is also `poll-<trigger>`). */
export const POLL_SCANS = 'poll-scans';
export const POLL_STRATEGIES = { events: 'newScan', counts: 'scanCountChanged' } as const;
export type PollStrategy = keyof typeof POLL_STRATEGIES;

/** Each core trigger is also the operation `poll-<kebab key>` (`poll-new-qr-code`). */
export const POLL_PREFIX = 'poll-';
/** What a trigger's items are called in a poll's messages (`3 new QR code(s)`); any other trigger's are items. */
export const POLL_NOUNS: Readonly<Record<string, string>> = {
  newScan: 'scan',
  scanCountChanged: 'scan-count change',
  newQrCode: 'QR code',
};
