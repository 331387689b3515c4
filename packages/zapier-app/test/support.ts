import { createRequire } from 'node:module';
import app from '../src/index.ts';

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

/** The app's visible and hidden actions, flattened for table-driven checks. */
export function allActions() {
  return [
    ...Object.values(app.triggers).map((a) => ({ kind: 'trigger' as const, ...a })),
    ...Object.values(app.creates).map((a) => ({ kind: 'create' as const, ...a })),
    ...Object.values(app.searches).map((a) => ({ kind: 'search' as const, ...a })),
  ];
}
