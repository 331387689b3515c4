import { triggers } from '@codeqr-integrations/core/base';
import {
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  type IPollFunctions,
  NodeConnectionTypes,
} from 'n8n-workflow';
import { nodeMethods } from '../adapter/methods.ts';
import { pollCodeQr } from './poll.ts';
import { EVENT_PARAMETER, triggerProperties } from './properties.ts';

export class CodeQrTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'CodeQR Trigger',
    name: 'codeQrTrigger',
    icon: { light: 'file:../../icons/codeqr.svg', dark: 'file:../../icons/codeqr.dark.svg' },
    group: ['trigger'],
    version: 1,
    subtitle: `={{$parameter["${EVENT_PARAMETER}"]}}`,
    description: 'Starts the workflow on new scans, changed scan counts or new QR codes in CodeQR (polling)',
    defaults: { name: 'CodeQR Trigger' },
    polling: true,
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'codeQrApi', required: true }],
    properties: triggerProperties(),
  };

  methods = nodeMethods(triggers);

  async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
    return pollCodeQr(this);
  }
}
