import { schemaIssues, validationError } from '../client/validate.ts';
import { CodeQrError, type FieldIssue } from '../errors.ts';
import { QR_WEBHOOK_EVENTS, QrWebhookEvent } from '../schemas/webhooks.ts';
import { rawBodyBytes } from './signature.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string, issues: FieldIssue[], cause?: unknown): CodeQrError {
  return new CodeQrError({ code: 'validation_error', message, issues, cause });
}

/**
 * A parsed webhook payload checked against the QR-code webhook union (`qrcode.created|updated|deleted|scanned`).
 * For hosts that hand over the body already parsed; verify the signature on the raw bytes first.
 */
export function validateWebhookEvent(payload: unknown): QrWebhookEvent {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalid('The webhook body must be a JSON object (the {id, event, createdAt, data} envelope)', [
      { field: '', message: 'must be a JSON object' },
    ]);
  }
  const event = (payload as { event?: unknown }).event;
  if (typeof event !== 'string' || !(QR_WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    const got = typeof event === 'string' ? `"${event}"` : 'no event name';
    throw invalid(`Unsupported webhook event: ${got}. Accepted events: ${QR_WEBHOOK_EVENTS.join(', ')}`, [
      { field: 'event', message: `must be one of ${QR_WEBHOOK_EVENTS.join(', ')}` },
    ]);
  }
  const { issues, data } = schemaIssues(QrWebhookEvent, payload);
  if (issues.length > 0) throw validationError(`${event} webhook payload`, issues);
  return data as QrWebhookEvent;
}

/**
 * The typed webhook event in a raw request body (string or Uint8Array). Throws a `validation_error` naming what is
 * wrong: not UTF-8, not JSON, an event name outside the QR-code events, or a field of the wrong shape.
 */
export function parseWebhookEvent(rawBody: string | Uint8Array): QrWebhookEvent {
  let text: string;
  if (typeof rawBody === 'string') {
    text = rawBody.startsWith('\uFEFF') ? rawBody.slice(1) : rawBody;
  } else {
    const bytes = rawBodyBytes(rawBody);
    try {
      text = decoder.decode(bytes);
    } catch (error) {
      throw invalid('The webhook body is not valid UTF-8', [{ field: '', message: 'must be UTF-8 JSON' }], error);
    }
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(`The webhook body is not valid JSON: ${reason}`, [{ field: '', message: 'must be JSON' }], error);
  }
  return validateWebhookEvent(payload);
}
