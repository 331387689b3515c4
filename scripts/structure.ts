/**
 * The house's structure, measured from the source's own imports: per package, its largest files, the import circles
 * between files, the arrows between folders that run back up (an import from one folder into a folder that, directly
 * or not, imports it back), the names the sandbox takes from core at run time, and the lines each host spends naming
 * one operation or answer kind (what core should own: a new operation should cost a host zero lines or one override).
 *
 *   node --conditions=source scripts/structure.ts          prints the report
 *   … scripts/structure.ts --root ../old                   measures another checkout, e.g. before a change:
 *                                                          `git worktree add ../old <commit>`
 *   node --conditions=source scripts/structure.ts --check  also fails on a circle, an arrow back up, a host file
 *                                                          over the size limit or a run-time import of core in the
 *                                                          sandbox (run by `npm run lint`)
 *
 * Imports are read as text (static `import`/`export … from` and `import()` of relative paths, type-only ones
 * included: a type import is still an arrow a reader follows); tests, benches and scripts are not part of the house.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The checkout measured: this one, or another given as `--root DIR` (a `git worktree` of an older commit, say). */
const rootFlag = process.argv.indexOf('--root');
const ROOT =
  rootFlag > 0 && process.argv[rootFlag + 1]
    ? resolve(process.argv[rootFlag + 1] as string)
    : resolve(import.meta.dirname, '..');

interface PackageLayout {
  name: string;
  /** The folders holding the package's shipped source, relative to the repository. */
  roots: string[];
  host?: boolean;
}

const PACKAGES: PackageLayout[] = [
  { name: 'core', roots: ['packages/core/src'] },
  { name: 'sandbox', roots: ['packages/sandbox/src'] },
  { name: 'n8n-node', roots: ['packages/n8n-node/nodes', 'packages/n8n-node/credentials'], host: true },
  { name: 'zapier-app', roots: ['packages/zapier-app/src'], host: true },
  { name: 'github-action', roots: ['packages/github-action/src'], host: true },
];

/** The longest a host's source file may grow before `--check` fails: a host is a thin adapter. */
const HOST_FILE_LIMIT = 250;

/**
 * A host line spends itself on an operation kind when it names a registry operation (`'bulkCreateQrCodes'`) or
 * branches on what an operation is or answers (`op.answers === 'items'`, `verb === 'get'`): a kind core should own.
 */
const KIND_BRANCH =
  /\b(?:op|operation|trigger|bulk)\??\.kind\s*[!=]==?|\.(?:answers|verb|resource)\s*[!=]==?|\.includes\([^)]*\.verb\b/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.ts$/.test(entry) && !/\.(test|d)\.ts$/.test(entry)) out.push(path);
  }
  return out.sort();
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

interface Import {
  specifier: string;
  typeOnly: boolean;
  /** The imported names as written, `type` markers kept. */
  names: string;
}

function importsOf(text: string): Import[] {
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[2] ?? match[3];
    if (!specifier) continue;
    const clause = match[0];
    const braces = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
    const names = braces
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const typeOnly = !!match[1] || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    found.push({ specifier, typeOnly, names: names.join(', ') });
  }
  return found;
}

function resolveRelative(from: string, specifier: string, files: Set<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) if (files.has(candidate)) return candidate;
  return undefined;
}

/** A room: a top folder under a root (`client/`), else the file itself (`errors.ts`). */
function roomOf(file: string, roots: string[]): string {
  const root = roots.find((r) => file.startsWith(join(ROOT, r)));
  if (!root) return relative(ROOT, file);
  const rel = relative(join(ROOT, root), file).split('/');
  return rel.length > 1 ? `${root}/${rel[0]}/` : `${root}/${rel[0]}`;
}

/** Strongly connected components with more than one member (Tarjan). */
function circles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
    }
    if (low.get(node) === indices.get(node)) {
      const members: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        members.push(member);
      } while (member !== node);
      if (members.length > 1) found.push(members.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

interface PackageReport {
  name: string;
  largest: { file: string; lines: number }[];
  fileCircles: string[][];
  /** Folder → folder imports inside a folder-level circle, with the file that makes each. */
  upward: { from: string; to: string; via: string }[];
  kindLines: { file: string; line: number; text: string }[];
  oversize: { file: string; lines: number }[];
}

function measure(layout: PackageLayout, operationKeys: string[]): PackageReport {
  const files = layout.roots.flatMap((root) => sourceFiles(join(ROOT, root)));
  const known = new Set(files);
  const fileGraph = new Map<string, Set<string>>();
  const roomGraph = new Map<string, Set<string>>();
  const roomVia = new Map<string, string>();
  const lines = new Map<string, number>();
  const kindLines: PackageReport['kindLines'] = [];
  const keyPattern = new RegExp(`['"\`](${operationKeys.join('|')})['"\`]`);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const textLines = text.split('\n');
    lines.set(file, textLines.length - (text.endsWith('\n') ? 1 : 0));
    const edges = new Set<string>();
    for (const { specifier } of importsOf(text)) {
      const target = resolveRelative(file, specifier, known);
      if (!target) continue;
      edges.add(target);
      const [from, to] = [roomOf(file, layout.roots), roomOf(target, layout.roots)];
      if (from === to) continue;
      if (!roomGraph.has(from)) roomGraph.set(from, new Set());
      roomGraph.get(from)?.add(to);
      roomVia.set(`${from}→${to}`, relative(ROOT, file));
    }
    fileGraph.set(file, edges);
    if (layout.host && operationKeys.length > 0) {
      textLines.forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*\*)/.test(line)) return;
        if (keyPattern.test(line) || KIND_BRANCH.test(line))
          kindLines.push({ file: relative(ROOT, file), line: i + 1, text: line.trim() });
      });
    }
  }
  const roomCircles = circles(roomGraph);
  const upward: PackageReport['upward'] = [];
  for (const members of roomCircles) {
    const inCircle = new Set(members);
    for (const from of members)
      for (const to of roomGraph.get(from) ?? [])
        if (inCircle.has(to)) upward.push({ from, to, via: roomVia.get(`${from}→${to}`) ?? '' });
  }
  const sized = [...lines].map(([file, n]) => ({ file: relative(ROOT, file), lines: n }));
  sized.sort((a, b) => b.lines - a.lines);
  return {
    name: layout.name,
    largest: sized.slice(0, 3),
    fileCircles: circles(fileGraph).map((c) => c.map((f) => relative(ROOT, f))),
    upward,
    kindLines,
    oversize: layout.host ? sized.filter((s) => s.lines > HOST_FILE_LIMIT) : [],
  };
}

/** The registry's operation keys, read from core's operation files (`key: 'createQrCode'`), not imported. */
function operationKeys(): string[] {
  const dir = join(ROOT, 'packages/core/src/operations');
  const keys = new Set<string>();
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^\s{2}key:\s*'([a-zA-Z]+)'/gm)) if (match[1]) keys.add(match[1]);
  }
  return [...keys].sort();
}

/** Each name the sandbox's source imports from core, split into run-time names and types. */
function sandboxTakesFromCore(): { runtime: string[]; types: string[] } {
  const runtime = new Set<string>();
  const types = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'packages/sandbox/src'))) {
    for (const imp of importsOf(readFileSync(file, 'utf8'))) {
      if (!imp.specifier.startsWith('@codeqr-integrations/core')) continue;
      for (const raw of imp.names.split(', ').filter(Boolean)) {
        const isType = imp.typeOnly || raw.startsWith('type ');
        const name = raw.replace(/^type\s+/, '');
        (isType ? types : runtime).add(`${name} (${imp.specifier})`);
      }
      if (!imp.names) (imp.typeOnly ? types : runtime).add(`* (${imp.specifier})`);
    }
  }
  return { runtime: [...runtime].sort(), types: [...types].sort() };
}

const check = process.argv.includes('--check');
const keys = operationKeys();
const reports = PACKAGES.map((layout) => measure(layout, keys));
const sandbox = sandboxTakesFromCore();

console.log(
  '| package | largest files (lines) | file circles | folder arrows back up | lines naming an operation kind |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const r of reports) {
  const largest = r.largest.map((l) => `${l.file.replace(/^packages\/[^/]+\//, '')} ${l.lines}`).join(', ');
  const kinds = r.name === 'core' || r.name === 'sandbox' ? 'n/a' : String(r.kindLines.length);
  console.log(`| ${r.name} | ${largest} | ${r.fileCircles.length} | ${r.upward.length} | ${kinds} |`);
}
for (const r of reports) {
  for (const c of r.fileCircles) console.log(`circle in ${r.name}: ${c.join(' ⇄ ')}`);
  for (const u of r.upward) console.log(`arrow back up in ${r.name}: ${u.from} → ${u.to} (${u.via})`);
  for (const o of r.oversize) console.log(`host file over ${HOST_FILE_LIMIT} lines: ${o.file} ${o.lines}`);
}
if (process.argv.includes('--kinds'))
  for (const r of reports) for (const k of r.kindLines) console.log(`${k.file}:${k.line}: ${k.text}`);
console.log(`sandbox takes from core at run time: ${sandbox.runtime.length ? sandbox.runtime.join(', ') : 'nothing'}`);
console.log(`sandbox takes types from core: ${sandbox.types.length ? sandbox.types.join(', ') : 'none'}`);

if (check) {
  const problems = reports.reduce((n, r) => n + r.fileCircles.length + r.upward.length + r.oversize.length, 0);
  const total = problems + sandbox.runtime.length;
  if (total > 0) {
    console.error(
      `structure check failed: ${total} problem(s) above (import circles, arrows back up, host files over ${HOST_FILE_LIMIT} lines, run-time imports of core in the sandbox).`,
    );
    process.exit(1);
  }
}
