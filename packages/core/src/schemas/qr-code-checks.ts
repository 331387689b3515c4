import * as z from 'zod/v4';
import { isQrColor, QR_COLOR_RULE } from './colors.ts';
import { asRecord, isBlank, REQUIRED_CONTENT_KEYS, typedContentIssues } from './qr-content-checks.ts';

/**
 * Client-side checks. The bodies in qr-code.ts mirror what CodeQR accepts (and stay that lenient); the checks here are
 * what the client and the operations add before sending, so input CodeQR would silently coerce or store half-empty (a
 * colour typo printed black, a Wi-Fi code with no network) fails first.
 */

/** What the client's checks say (each follows the field's label). */
export const COLOR_MESSAGE = `must be ${QR_COLOR_RULE}; CodeQR would silently use its default instead`;
const URL_MESSAGE = 'must be an absolute http(s) URL, e.g. https://example.com/page';
export const EMAIL_MESSAGE = 'must be an e-mail address, e.g. hello@example.com';
export const EMAIL_LIST_MESSAGE = 'must be e-mail addresses separated by commas, e.g. a@example.com, b@example.com';
export const PHONE_MESSAGE =
  'must be a phone number (digits, optionally with +, spaces or dashes), e.g. +1 555 123 4567';

/** One e-mail address (what mail clients accept in a mailto: link). */
export const EMAIL_PATTERN = /^[^\s@,;<>()]+@[^\s@,;<>()]+\.[^\s@,;<>().]+$/;
/** A phone number: digits with optional `+`, spaces, `-`, `.`, `/`, parentheses and dial codes (`*`, `#`, `,`, `;`). */
const PHONE_PATTERN = /^\+?[\d\s().\-/*#,;]+$/;

/** Whether `value` is one or more e-mail addresses separated by commas or semicolons. */
export function isEmailList(value: string): boolean {
  return value.split(/[,;]/).every((address) => EMAIL_PATTERN.test(address.trim()));
}

/** Whether `value` is a phone number core sends: the characters above, with at least 3 digits. */
export function isPhoneNumber(value: string): boolean {
  return PHONE_PATTERN.test(value.trim()) && (value.match(/\d/g)?.length ?? 0) >= 3;
}

/** Whether `value` parses as an absolute http(s) URL with a real host name (`example.com`, `localhost`, an IP). */
function isHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  return host.includes('.') || host === 'localhost' || host.startsWith('[');
}

type Body = Record<string, unknown>;
type Issue = { path: (string | number)[]; message: string };
type QrCodeWriteMode = 'create' | 'update';

const forType = (type: string) => `for a QR code of type "${type}"`;

/** The colour fields of a QR code (`frameTextColor` may also be left out for an automatic contrast colour). */
const COLOR_FIELDS = ['bgColor', 'fgColor', 'frameColor', 'frameTextColor'] as const;
const URL_FIELDS = ['url', 'expiredUrl', 'ios', 'android'] as const;
/** Content objects that only need to be non-empty (every key is optional on its own). */
const FREE_CONTENT = ['vcard'] as const;
const WIFI_ENCRYPTIONS = ['WPA', 'WPA2', 'WEP', 'nopass'];

/** What the content of a QR code of `type` is missing, as issues (empty when it has what it needs). */
function missingContent(body: Body, type: string): Issue[] {
  if (type === 'url' || type === 'geo') return []; // url: `requireUrlForUrlType`; geo: `typedContentIssues`
  if (type === 'text' || type === 'phone') {
    return isBlank(body[type]) ? [{ path: [type], message: `is required ${forType(type)}` }] : [];
  }
  const content = asRecord(body[type]);
  const keys = REQUIRED_CONTENT_KEYS[type];
  if (keys) {
    return keys
      .filter((key) => isBlank(content?.[key]))
      .map((key) => ({ path: [type, key], message: `is required ${forType(type)}` }));
  }
  if ((FREE_CONTENT as readonly string[]).includes(type)) {
    const filled = content && Object.values(content).some((value) => !isBlank(value));
    return filled ? [] : [{ path: [type], message: `is required ${forType(type)} and cannot be empty` }];
  }
  return [];
}

/** Problems inside content objects that were given (whatever the type): missing keys and malformed values. */
const SHAPED = ['email', 'wifi', 'sms', 'whatsapp', 'crypto', 'vcard', 'phone', 'pix', 'facetime', 'latlog'] as const;

function contentShape(body: Body): Issue[] {
  const issues: Issue[] = [];
  issues.push(...typedContentIssues(body));
  if (!SHAPED.some((field) => body[field] != null)) return issues;
  for (const [field, keys] of Object.entries(REQUIRED_CONTENT_KEYS)) {
    const content = asRecord(body[field]);
    for (const key of keys) {
      if (content && isBlank(content[key])) issues.push({ path: [field, key], message: 'is required' });
    }
  }
  const email = asRecord(body.email);
  for (const key of ['email', 'cc', 'cco']) {
    const value = email?.[key];
    if (typeof value !== 'string' || isBlank(value)) continue;
    if (key === 'email' ? !EMAIL_PATTERN.test(value.trim()) : !isEmailList(value)) {
      issues.push({
        path: ['email', key],
        message: key === 'email' ? EMAIL_MESSAGE : EMAIL_LIST_MESSAGE,
      });
    }
  }
  const vcardEmail = asRecord(body.vcard)?.email;
  if (typeof vcardEmail === 'string' && !isBlank(vcardEmail) && !EMAIL_PATTERN.test(vcardEmail.trim())) {
    issues.push({ path: ['vcard', 'email'], message: EMAIL_MESSAGE });
  }
  const phones: [(string | number)[], unknown][] = [
    [['phone'], body.phone],
    [['sms', 'tel'], asRecord(body.sms)?.tel],
    [['vcard', 'phone'], asRecord(body.vcard)?.phone],
    [['vcard', 'telephone'], asRecord(body.vcard)?.telephone],
  ];
  for (const [path, value] of phones) {
    if (typeof value === 'string' && !isBlank(value) && !isPhoneNumber(value)) {
      issues.push({ path, message: PHONE_MESSAGE });
    }
  }
  const encryption = asRecord(body.wifi)?.encryption;
  if (typeof encryption === 'string' && !isBlank(encryption) && !WIFI_ENCRYPTIONS.includes(encryption)) {
    issues.push({ path: ['wifi', 'encryption'], message: `must be one of ${WIFI_ENCRYPTIONS.join(', ')}` });
  }
  return issues;
}

/**
 * What the client checks on a create or update body beyond what CodeQR validates: colours (hex or a CSS colour
 * keyword; CodeQR would silently use the default), the content the QR code's type needs, e-mail and phone shapes,
 * absolute URLs with a host, non-blank external ids, and (update) a URL that would be cleared.
 */
function qrCodeWriteIssues(body: Body, mode: QrCodeWriteMode, typeFailed = false): Issue[] {
  const issues: Issue[] = [];
  for (const field of COLOR_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && !isQrColor(value)) {
      issues.push({ path: [field], message: COLOR_MESSAGE });
    }
  }
  for (const field of URL_FIELDS) {
    const value = body[field];
    if (typeof value === 'string' && !isBlank(value) && !isHttpUrl(value)) {
      issues.push({ path: [field], message: URL_MESSAGE });
    }
  }
  if (typeof body.externalId === 'string' && isBlank(body.externalId)) {
    issues.push({ path: ['externalId'], message: 'cannot be blank: leave it out, or give your own ID' });
  }
  const type = typeof body.type === 'string' ? body.type : mode === 'create' ? 'url' : undefined;
  if (type && !typeFailed) issues.push(...missingContent(body, type));
  if (mode === 'update') {
    if (body.url === null && (type === undefined || type === 'url')) {
      issues.push({
        path: ['url'],
        message: 'cannot be cleared: a URL QR code needs its destination; give the new URL instead',
      });
    } else if (type === 'url' && isBlank(body.url)) {
      issues.push({ path: ['url'], message: 'is required when type is "url"' });
    }
  }
  issues.push(...contentShape(body));
  if (issues.length < 2) return issues;
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = issue.path.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `schema` with `qrCodeWriteIssues` as a check that runs even when some fields already failed (so one error names
 * every bad field), skipping fields that already have an issue.
 */
const NONE: ReadonlySet<string> = new Set();

export function withQrCodeWriteChecks<T extends z.ZodType>(schema: T, mode: QrCodeWriteMode): T {
  const check = z.superRefine<unknown>((value, ctx) => {
    const body = asRecord(value);
    if (!body) return;
    // a field that failed its own schema anywhere inside is missing from `value` (zod drops it), so it is reported
    // once, by that schema, and says nothing here: a bad type does not tell which content is needed
    const failed = ctx.issues.length === 0 ? NONE : new Set(ctx.issues.map((issue) => String(issue.path?.[0] ?? '')));
    for (const issue of qrCodeWriteIssues(body, mode, failed.has('type'))) {
      if (failed.has(String(issue.path[0]))) continue;
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: undefined });
    }
  });
  check._zod.def.when = (payload) => asRecord(payload.value) !== undefined;
  return schema.check(check) as T;
}
