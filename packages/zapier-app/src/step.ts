/**
 * What every trigger, create and search does around its operation: a fresh client for the step, Zapier's flat
 * input un-nested for core, and every error leaving as a Zapier error that names fields by their labels.
 */
import type { CodeQrClient } from '@codeqr-integrations/core/base';
import type { Bundle, ZObject } from 'zapier-platform-core';
import type * as z from 'zod/v4';
import { type LabelOf, toZapierError } from './errors.ts';
import { labelFor, unflatten } from './fields.ts';
import { clientFor } from './transport.ts';

/** Names a field of this operation's input by its label on the form. */
export const labelsOf =
  (op: { input: z.ZodObject }): LabelOf =>
  (path) =>
    labelFor(op.input, path);

/** The step's input as core parses it: Zapier's flat keys nested again, values as Zapier sent them. */
export const inputOf = (bundle: Bundle) => unflatten(bundle.inputData as Record<string, unknown>);

/** Runs one step with a fresh client; every error leaves as a Zapier error. */
export async function step<T>(z: ZObject, labelOf: LabelOf, work: (client: CodeQrClient) => Promise<T>): Promise<T> {
  try {
    return await work(clientFor(z));
  } catch (error) {
    throw toZapierError(z, error, labelOf);
  }
}
