/**
 * The webhook trigger's run. CodeQR webhooks are created in CodeQR's dashboard (no API registers them), so the
 * lifecycle methods only keep local track of the URL; every delivery is checked against `CodeQR-Signature` (401 and
 * nothing started when it does not match), filtered by the chosen events, and dropped when its event id was emitted
 * before (CodeQR redelivers on timeouts and non-2xx answers).
 */
import {
  createWebhookDeduper,
  parseWebhookEvent,
  type QrWebhookEvent,
  SIGNATURE_HEADER,
  scanEventFromWebhook,
  verifyWebhook,
  type WebhookDeduper,
} from '@codeqr-integrations/core/base';
import type {
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  IDataObject,
  IHookFunctions,
  INodeCredentialTestResult,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const WEBHOOK_CREDENTIAL = 'codeQrWebhookApi';
export const EVENTS_PARAMETER = 'events';
/** Event ids remembered in the node's static data (across restarts); the in-memory deduper keeps more. */
const REMEMBERED_IDS = 1000;

interface RequestLike {
  rawBody?: Uint8Array;
  readRawBody?: () => Promise<void>;
}
interface ResponseLike {
  status(code: number): ResponseLike;
  json(body: unknown): unknown;
}

const dedupers = new Map<string, WebhookDeduper>();

function deduperFor(ctx: IWebhookFunctions): WebhookDeduper {
  const key = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
  let deduper = dedupers.get(key);
  if (!deduper) {
    deduper = createWebhookDeduper({ max: 10_000 });
    dedupers.set(key, deduper);
  }
  return deduper;
}

function reject(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
  const res = ctx.getResponseObject() as unknown as ResponseLike;
  res.status(status).json({ message });
  return { noWebhookResponse: true };
}

/** What one delivery emits: scans in the polling trigger's shape, QR-code events with their QR code. */
export function webhookItem(evt: QrWebhookEvent): IDataObject {
  if (evt.event === 'qrcode.scanned') return scanEventFromWebhook(evt) as unknown as IDataObject;
  return { event: evt.event, eventId: evt.id, createdAt: evt.createdAt, qrCode: evt.data.qrcode as IDataObject };
}

export async function receiveWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
  const req = ctx.getRequestObject() as unknown as RequestLike;
  if (!req.rawBody && req.readRawBody) await req.readRawBody();
  const credential = await ctx.getCredentials(WEBHOOK_CREDENTIAL);
  const secret = typeof credential.secret === 'string' ? credential.secret : '';
  if (!secret.trim()) {
    throw new NodeOperationError(ctx.getNode(), 'The CodeQR webhook secret is empty', {
      description: "Copy the secret from the webhook's settings in the CodeQR dashboard into the credential.",
    });
  }
  const header = ctx.getHeaderData()[SIGNATURE_HEADER.toLowerCase()];
  const signature = Array.isArray(header) ? header[0] : header;
  if (!req.rawBody || !verifyWebhook(req.rawBody, typeof signature === 'string' ? signature : undefined, secret)) {
    return reject(
      ctx,
      401,
      `Missing or invalid ${SIGNATURE_HEADER} header: the delivery was not signed with this webhook's secret.`,
    );
  }
  let evt: QrWebhookEvent;
  try {
    evt = parseWebhookEvent(req.rawBody);
  } catch (error) {
    return reject(ctx, 400, error instanceof Error ? error.message : 'Not a CodeQR webhook payload.');
  }
  const wanted = ctx.getNodeParameter(EVENTS_PARAMETER, []) as string[];
  if (!wanted.includes(evt.event)) {
    return { webhookResponse: { received: true, ignored: `event ${evt.event} is not selected in the node` } };
  }
  const staticData = ctx.getWorkflowStaticData('node');
  const remembered = Array.isArray(staticData.eventIds) ? (staticData.eventIds as string[]) : [];
  const seenInMemory = deduperFor(ctx).seen(evt.id);
  if (seenInMemory || remembered.includes(evt.id)) {
    return { webhookResponse: { received: true, duplicate: evt.id } };
  }
  staticData.eventIds = [...remembered, evt.id].slice(-REMEMBERED_IDS);
  return { workflowData: [ctx.helpers.returnJsonArray([webhookItem(evt)])] };
}

/** Lifecycle without a registration API: only local bookkeeping of the URL this node was activated with. */
export const webhookLifecycle = {
  async checkExists(this: IHookFunctions): Promise<boolean> {
    const staticData = this.getWorkflowStaticData('node');
    return staticData.webhookUrl === this.getNodeWebhookUrl('default');
  },
  async create(this: IHookFunctions): Promise<boolean> {
    const staticData = this.getWorkflowStaticData('node');
    staticData.webhookUrl = this.getNodeWebhookUrl('default');
    return true;
  },
  async delete(this: IHookFunctions): Promise<boolean> {
    const staticData = this.getWorkflowStaticData('node');
    delete staticData.webhookUrl;
    return true;
  },
};

/** The credential check: CodeQR has no API to test a webhook secret, so check it the way CodeQR issues them. */
export async function testWebhookSecret(
  this: ICredentialTestFunctions,
  credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
  const secret = typeof credential.data?.secret === 'string' ? credential.data.secret.trim() : '';
  if (secret.length < 8) {
    return {
      status: 'Error',
      message: "The secret is too short: copy the whole secret from the webhook's settings in the CodeQR dashboard.",
    };
  }
  return { status: 'OK', message: 'The secret is set; deliveries signed with it will be accepted.' };
}
