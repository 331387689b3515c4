/** The polling trigger's form: one event per core trigger, and each event's filters from the shared mapper. */
import { triggers } from '@codeqr-integrations/core/base';
import type { INodeProperties } from 'n8n-workflow';
import { operationProperties } from '../adapter/fields.ts';

/** The node parameter holding the chosen event (a core trigger's key). */
export const EVENT_PARAMETER = 'event';

/** The event choice (one per core trigger) and each event's filters. */
export function triggerProperties(): INodeProperties[] {
  const firstEvent = triggers[0].key;
  return [
    {
      displayName: 'Event',
      name: EVENT_PARAMETER,
      type: 'options',
      noDataExpression: true,
      required: true,
      options: triggers.map((trigger) => ({
        name: trigger.title,
        value: trigger.key,
        description: trigger.description,
      })),
      default: firstEvent,
    },
    ...triggers.flatMap((trigger) => operationProperties(trigger, { [EVENT_PARAMETER]: [trigger.key] })),
  ];
}
