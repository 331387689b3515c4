/**
 * The sandbox holds its own facts: it may take types from core, never values. A fidelity test that compares the
 * sandbox with core can only find a disagreement if the sandbox did not get its answer from core in the first place.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const CORE = /^@codeqr-integrations\/core(?:\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(?:ts|js)$/.test(name) ? [path] : [];
  });
}

type Clause = ts.ImportClause | ts.NamedImportBindings | ts.NamedExportBindings;

/** Whether an import or export clause brings in values (anything but `import type` / `{ type X }`-only lists). */
function bindsValues(clause: Clause | undefined, typeOnly: boolean): boolean {
  if (typeOnly) return false;
  if (clause === undefined) return true; // `import 'core'` runs core; `export * from 'core'` re-exports its values
  if (ts.isImportClause(clause)) {
    if (clause.name) return true; // a default import
    return clause.namedBindings !== undefined && bindsValues(clause.namedBindings, false);
  }
  if (ts.isNamespaceImport(clause) || ts.isNamespaceExport(clause)) return true;
  return clause.elements.length === 0 || clause.elements.some((element) => !element.isTypeOnly);
}

/** Each run-time use of core in `source`: value imports and re-exports, `import()`, `require()`, `import x = require`. */
function runtimeCoreImports(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) =>
    found.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  const fromCore = (specifier: ts.Expression | undefined) =>
    specifier !== undefined && ts.isStringLiteralLike(specifier) && CORE.test(specifier.text);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && fromCore(node.moduleSpecifier)) {
      if (bindsValues(node.importClause, node.importClause?.isTypeOnly ?? false)) report(node);
    } else if (ts.isExportDeclaration(node) && fromCore(node.moduleSpecifier)) {
      if (bindsValues(node.exportClause, node.isTypeOnly)) report(node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (!node.isTypeOnly && fromCore(node.moduleReference.expression)) report(node);
    } else if (ts.isCallExpression(node)) {
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((dynamic || required) && fromCore(node.arguments[0])) report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('the sandbox takes only types from core', () => {
  const files = ['src', 'bin'].flatMap((dir) => sourceFiles(join(PACKAGE, dir)));

  it('scans every source file (the store and wire folders included)', () => {
    const names = files.map((file) => relative(PACKAGE, file));
    expect(names).toEqual(expect.arrayContaining(['src/server.ts', 'src/store/index.ts', 'src/wire/enums.ts']));
    expect(names).toContain('bin/codeqr-sandbox.js');
  });

  it('no source file imports a value from @codeqr-integrations/core', () => {
    const offenders = files.flatMap((file) => runtimeCoreImports(relative(PACKAGE, file), readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the detector tells value imports from type imports', () => {
    const flagged = (source: string) => runtimeCoreImports('x.ts', source).length > 0;
    expect(flagged("import { PLANS } from '@codeqr-integrations/core/schemas';")).toBe(true);
    expect(flagged("import { type Plan, PLANS } from '@codeqr-integrations/core/schemas';")).toBe(true);
    expect(flagged("import core from '@codeqr-integrations/core';")).toBe(true);
    expect(flagged("import * as core from '@codeqr-integrations/core';")).toBe(true);
    expect(flagged("import '@codeqr-integrations/core';")).toBe(true);
    expect(flagged("export { signWebhook } from '@codeqr-integrations/core';")).toBe(true);
    expect(flagged("export * from '@codeqr-integrations/core/schemas';")).toBe(true);
    expect(flagged("const core = await import('@codeqr-integrations/core');")).toBe(true);
    expect(flagged("const core = require('@codeqr-integrations/core');")).toBe(true);

    expect(flagged("import type { Plan } from '@codeqr-integrations/core/schemas';")).toBe(false);
    expect(flagged("import { type Plan, type QrCodeType } from '@codeqr-integrations/core/schemas';")).toBe(false);
    expect(flagged("export type { QrCode } from '@codeqr-integrations/core';")).toBe(false);
    expect(flagged("import { PLANS } from './plans.ts';")).toBe(false);
    expect(flagged("import { x } from '@codeqr-integrations/core-extra';")).toBe(false);
  });
});
