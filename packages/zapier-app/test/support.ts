import { createRequire } from 'node:module';
import app from '../src/index.ts';
import { resolveForm, TYPE_KEY } from '../src/type-fields.ts';
import type { ZapierFormField, ZapierInputField } from '../src/types.ts';

const require = createRequire(import.meta.url);
const corePath = require.resolve('zapier-platform-core');
const fromCore = createRequire(corePath);

interface SchemaTools {
  compileApp(app: unknown): unknown;
  validateApp(compiled: unknown): unknown[];
  serializeApp(compiled: unknown): unknown;
}
interface JsonSchema {
  validate(value: unknown): { errors: { stack: string; property: string; message: string }[] };
}

/** What `zapier-platform validate` runs locally (core's schema tools). */
export const schemaTools = fromCore('./src/tools/schema') as SchemaTools;
/** zapier-platform-schema, the copy zapier-platform-core itself uses. */
export const zapierSchema = fromCore('zapier-platform-schema') as {
  validateAppDefinition(definition: unknown): { errors: unknown[] };
};
export const schemaOf = (name: 'TriggerSchema' | 'CreateSchema' | 'SearchSchema' | 'SearchOrCreateSchema') =>
  fromCore(`zapier-platform-schema/lib/schemas/${name}`) as JsonSchema;

export type AppDefinition = typeof app;
export { app };

/** A trigger, create or search as the checks read it. */
export interface Action {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: {
    inputFields?: ZapierFormField[];
    outputFields?: { key: string; label: string; type?: string; list?: boolean }[];
    sample?: Record<string, unknown>;
  };
}

/** The app's triggers, creates and searches, hidden ones included. */
export const sections = {
  trigger: Object.values(app.triggers) as Action[],
  create: Object.values(app.creates) as Action[],
  search: Object.values(app.searches) as Action[],
};

/** The Type choices of a form (none when its fields do not depend on a type). */
export const typeChoices = (form: ZapierFormField[] = []): string[] =>
  form.flatMap((f) =>
    typeof f !== 'function' && f.key === TYPE_KEY && f.choices ? f.choices.map((c) => c.value) : [],
  );

/**
 * Every field a form can show, with the columns of its line items: the dynamic fields resolved for a blank Type and
 * for each Type choice (each key once, as the first type shows it).
 */
export function allInputFields(form: ZapierFormField[] = []): ZapierInputField[] {
  const shown = [undefined, ...typeChoices(form)].flatMap((type) => resolveForm(form, type));
  const once = [...new Map(shown.map((f) => [f.key, f])).values()];
  return once.flatMap((f) => [f, ...allInputFields(f.children)]);
}
