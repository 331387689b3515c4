import { schemas } from '@codeqr-integrations/core/base';
import {
  type IHookFunctions,
  type INodeType,
  type INodeTypeDescription,
  type IWebhookFunctions,
  type IWebhookResponseData,
  NodeConnectionTypes,
} from 'n8n-workflow';
import { EVENTS_PARAMETER, receiveWebhook, testWebhookSecret, webhookLifecycle } from './webhook.ts';

const EVENT_NAMES: Record<string, string> = {
  'qrcode.scanned': 'QR Code Scanned',
  'qrcode.created': 'QR Code Created',
  'qrcode.updated': 'QR Code Updated',
  'qrcode.deleted': 'QR Code Deleted',
};

export class CodeQrWebhookTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'CodeQR Webhook Trigger',
    name: 'codeQrWebhookTrigger',
    icon: { light: 'file:../../icons/codeqr.svg', dark: 'file:../../icons/codeqr.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: `={{$parameter["${EVENTS_PARAMETER}"].join(", ")}}`,
    description: 'Starts the workflow when CodeQR delivers a webhook: scans and QR code changes, as they happen',
    defaults: { name: 'CodeQR Webhook Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'codeQrWebhookApi', required: true, testedBy: 'codeQrWebhookSecretTest' }],
    webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
    properties: [
      {
        displayName:
          'CodeQR webhooks are set up in the CodeQR dashboard: Settings → Webhooks → Create. Paste this node\'s Production URL (under "Webhook URLs" above), tick the same events, save, and copy the webhook\'s secret into the credential. Then publish (activate) this workflow.',
        name: 'setupNotice',
        type: 'notice',
        default: '',
      },
      {
        displayName: 'Events',
        name: EVENTS_PARAMETER,
        type: 'multiOptions',
        required: true,
        options: schemas.QR_WEBHOOK_EVENTS.map((value) => ({ name: EVENT_NAMES[value] ?? value, value })),
        default: ['qrcode.scanned'],
        description: 'Deliveries of other events are acknowledged and ignored',
      },
    ],
  };

  methods = { credentialTest: { codeQrWebhookSecretTest: testWebhookSecret } };

  webhookMethods = {
    default: {
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return webhookLifecycle.checkExists.call(this);
      },
      async create(this: IHookFunctions): Promise<boolean> {
        return webhookLifecycle.create.call(this);
      },
      async delete(this: IHookFunctions): Promise<boolean> {
        return webhookLifecycle.delete.call(this);
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this);
  }
}
