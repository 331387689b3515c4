import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** The signing secret of a webhook created in the CodeQR dashboard (checked by the node: CodeQR has no API for it). */
export class CodeQrWebhookApi implements ICredentialType {
  name = 'codeQrWebhookApi';

  displayName = 'CodeQR Webhook Secret API';

  icon: Icon = { light: 'file:../icons/codeqr.svg', dark: 'file:../icons/codeqr.dark.svg' };

  documentationUrl = 'https://docs.codeqr.io/concepts/webhooks/introduction';

  properties: INodeProperties[] = [
    {
      displayName: 'Webhook Secret',
      name: 'secret',
      type: 'string',
      typeOptions: { password: true },
      required: true,
      default: '',
      description:
        "The secret CodeQR signs deliveries with (CodeQR-Signature header): copy it from the webhook's settings in the CodeQR dashboard",
    },
  ];
}
