/**
 * The polling trigger's run: core's trigger does the polling and the exactly-once cursor; n8n keeps the cursor in
 * the node's static data, written only here (n8n commits it with the execution). The first poll only primes,
 * "Fetch Test Event" shows the newest item without touching the cursor, and a changed event or filter starts over.
 */
import { type AnyTrigger, getTrigger, schemas } from '@codeqr-integrations/core/base';
import { type IDataObject, type INodeExecutionData, type IPollFunctions, NodeOperationError } from 'n8n-workflow';
import { type ReadAccess, toNodeError } from '../adapter/errors.ts';
import { readOperationInput } from '../adapter/input.ts';
import { codeQrClient } from '../adapter/transport.ts';
import { EVENT_PARAMETER } from './properties.ts';

/** What the node stores between polls (plain JSON). */
interface PollState {
  event: string;
  /** The filter the cursor belongs to: a different filter starts over. */
  filter: string;
  cursor: unknown;
}

/**
 * What each event reads, for the hint of a 403 (a trigger never writes): New Scan reads CodeQR's scan events
 * (`/events`), which only some plans include; Scan Count Changed reads scan counts, on every plan.
 */
function readAccess(trigger: AnyTrigger): ReadAccess {
  if (trigger.key !== 'newScan') return { what: trigger.title };
  const counts = getTrigger('scanCountChanged');
  return {
    what: trigger.title,
    plans: schemas.PLANS_WITH_EVENTS,
    ...(counts ? { alternative: `the ${counts.title} event` } : {}),
  };
}

export async function pollCodeQr(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
  const node = ctx.getNode();
  const event = ctx.getNodeParameter(EVENT_PARAMETER) as string;
  const trigger = getTrigger(event) as AnyTrigger | undefined;
  if (!trigger) {
    throw new NodeOperationError(node, `The trigger event "${event}" is not supported`, {
      description: 'Pick the event again in the node; this version of the CodeQR Trigger does not know it.',
    });
  }
  const raw = readOperationInput(trigger, (name, fallback) => ctx.getNodeParameter(name, fallback), ctx.getTimezone());
  try {
    const client = await codeQrClient(ctx);
    if (ctx.getMode() === 'manual') {
      const recent = await trigger.executeRecent(client, raw, 1);
      return recent.length > 0 ? [ctx.helpers.returnJsonArray(recent as unknown as IDataObject[])] : null;
    }
    const staticData = ctx.getWorkflowStaticData('node');
    const filter = JSON.stringify(raw);
    const stored = staticData.codeqr as PollState | undefined;
    const cursor = stored && stored.event === event && stored.filter === filter ? stored.cursor : undefined;
    const result = await trigger.execute(client, raw, cursor);
    staticData.codeqr = { event, filter, cursor: result.cursor } satisfies PollState as unknown as IDataObject;
    if (result.items.length === 0) return null;
    return [ctx.helpers.returnJsonArray(result.items as unknown as IDataObject[])];
  } catch (error) {
    throw toNodeError(node, error, undefined, undefined, readAccess(trigger));
  }
}
