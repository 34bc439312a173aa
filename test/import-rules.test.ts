// A lower part never imports a higher one. The arrows are read from the .ts
// sources with TypeScript's own pre-processor (static, re-export and dynamic
// imports), resolved to repository paths, and held against the rules below.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PARTS = ['bin', 'protocol', 'i18n', 'client', 'tools', 'gateway', 'policies', 'certs', 'simulator', 'test', 'bench'];

interface Arrow { from: string; to: string }
interface Rule { name: string; from: RegExp; to: RegExp }

const RULES: Rule[] = [
  { name: 'protocol/ imports nothing of the project', from: /^protocol\//, to: /^(?!protocol\/)/ },
  { name: 'i18n/ imports only protocol/', from: /^i18n\//, to: /^(?!i18n\/|protocol\/)/ },
  { name: 'the pipeline does not import ingress/', from: /^gateway\/pipeline\//, to: /^gateway\/ingress\// },
  { name: 'inspect/ does not import pipeline/', from: /^gateway\/inspect\//, to: /^gateway\/pipeline\// },
  { name: 'policies/ does not import the server', from: /^policies\//, to: /^gateway\// },
  { name: 'certs/ does not import the server', from: /^certs\//, to: /^gateway\// },
  { name: 'client/ does not import the server', from: /^client\//, to: /^gateway\// },
  { name: 'ingress/ hands work to delivery through the queue, never to a transport or the scheduler', from: /^gateway\/ingress\//, to: /^gateway\/delivery\/(transports\/|scheduler)/ },
  { name: 'routing/ knows no carrier and no delivery', from: /^gateway\/routing\//, to: /^gateway\/(ingress|delivery|pipeline)\// },
  { name: 'store/ knows no carrier, path or delivery: callers hand it values', from: /^gateway\/store\//, to: /^gateway\/(ingress|pipeline|delivery|admin)\// },
  { name: 'no part of the product imports the tests', from: /^(?!test\/|bench\/)/, to: /^test\// },
];

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) yield p;
  }
}

function arrowsOf(file: string): Arrow[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const from = relative(ROOT, file);
  return info.importedFiles
    .filter((f) => f.fileName.startsWith('.'))
    .map((f) => ({ from, to: relative(ROOT, resolve(dirname(file), f.fileName)).replace(/\.js$/, '.ts') }));
}

export function violations(arrows: Arrow[], rules: Rule[] = RULES): string[] {
  const out: string[] = [];
  for (const a of arrows) {
    for (const r of rules) if (r.from.test(a.from) && r.to.test(a.to)) out.push(`${a.from} → ${a.to}: ${r.name}`);
  }
  return out;
}

const arrows = PARTS.flatMap((p) => {
  try {
    return [...sources(join(ROOT, p))].flatMap(arrowsOf);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
});

t.test('the arrows are read from the sources', async (t) => {
  // If the reader broke, every rule would pass on an empty list.
  t.ok(arrows.length > 300, `${arrows.length} arrows`);
  t.ok(arrows.some((a) => a.from === 'gateway/pipeline/accept-transfer.ts' && a.to === 'protocol/errors.ts'), 'a known arrow is found');
  t.ok(arrows.some((a) => a.from === 'bin/program.ts' && a.to === 'client/commands.ts'), 'the client is registered by bin/program.ts');
});

t.test('the rules catch an arrow running back up', async (t) => {
  t.same(violations([
    { from: 'protocol/transfer.ts', to: 'gateway/context.ts' },
    { from: 'gateway/pipeline/one-pass.ts', to: 'gateway/ingress/router.ts' },
    { from: 'gateway/inspect/index.ts', to: 'gateway/pipeline/one-pass.ts' },
    { from: 'client/send.ts', to: 'gateway/errors.ts' },
    { from: 'protocol/receipt.ts', to: 'protocol/canonical-json.ts' },
    { from: 'gateway/ingress/router.ts', to: 'gateway/pipeline/accept-transfer.ts' },
    { from: 'gateway/store/sqlite/sqlite-transfer-store.ts', to: 'gateway/delivery/settle.ts' },
  ]).length, 5);
});

t.test('no lower part imports a higher one', async (t) => {
  t.same(violations(arrows), []);
});

// The floors of gateway/inspect/, lowest first: the words of a finding and
// the text forms at the bottom, the readers of formats above them, the text
// handler, pool and workers at the root. A folder imports values only from
// the floors below it (a type crosses upward where a context holds a higher
// part's object: it is erased at run time and creates no cycle).
const INSPECT_FLOORS = ['marks', 'text', 'signatures', 'context', 'antivirus', 'decodings', 'scan', 'opaque', 'archives', 'media', 'documents', 'markup', 'labels', 'pdf', '.'];

function floorOf(path: string): number {
  const m = /^gateway\/inspect\/(?:([a-z-]+)\/)?[^/]+\.ts$/.exec(path);
  if (!m) return -1;
  return INSPECT_FLOORS.indexOf(m[1] ?? '.');
}

/** The value imports (and re-exports) of a file: an import of types only is left out. */
function valueArrowsOf(file: string): Arrow[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const from = relative(ROOT, file);
  const out: Arrow[] = [];
  for (const s of src.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      const typesOnly = c !== undefined && (c.isTypeOnly || (!c.name && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typesOnly) spec = s.moduleSpecifier;
    } else if (ts.isExportDeclaration(s) && !s.isTypeOnly) spec = s.moduleSpecifier;
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) {
      out.push({ from, to: relative(ROOT, resolve(dirname(file), spec.text)).replace(/\.js$/, '.ts') });
    }
  }
  return out;
}

export function floorViolations(arrows: Arrow[]): string[] {
  const out: string[] = [];
  for (const a of arrows) {
    const f = floorOf(a.from);
    const g = floorOf(a.to);
    if (f < 0 || g < 0 || f === g) continue;
    if (g > f) out.push(`${a.from} → ${a.to}: ${INSPECT_FLOORS[f]}/ imports ${INSPECT_FLOORS[g]}/, a floor above it`);
  }
  return out;
}

t.test('every file of gateway/inspect/ is on a floor', async (t) => {
  const files = [...sources(join(ROOT, 'gateway/inspect'))].map((f) => relative(ROOT, f));
  t.ok(files.length > 100, `${files.length} files`);
  t.same(files.filter((f) => floorOf(f) < 0), [], 'a new folder is given its floor in INSPECT_FLOORS');
});

t.test('the floors catch a value import running up, and let a type pass', async (t) => {
  t.same(floorViolations([
    { from: 'gateway/inspect/marks/text-fold.ts', to: 'gateway/inspect/scan/text-scanner.ts' },
    { from: 'gateway/inspect/text-handler.ts', to: 'gateway/inspect/marks/text-fold.ts' },
    { from: 'gateway/inspect/scan/text-tokens.ts', to: 'gateway/inspect/scan/token-strides.ts' },
    { from: 'gateway/inspect/context/reading-budget.ts', to: 'gateway/inspect/inspect-pool.ts' },
  ]).length, 2);
  // inspect-context.ts holds a DecodedAv (antivirus/, a floor above) by type only.
  const ctx = valueArrowsOf(join(ROOT, 'gateway/inspect/context/inspect-context.ts'));
  t.ok(ctx.some((a) => a.to === 'gateway/inspect/marks/marking-patterns.ts'), 'a value import is read');
  t.notOk(ctx.some((a) => a.to === 'gateway/inspect/antivirus/decoded-av.ts'), 'an import of a type only is not');
});

t.test('no folder of gateway/inspect/ imports a value from a floor above it', async (t) => {
  const arrows = [...sources(join(ROOT, 'gateway/inspect'))].flatMap(valueArrowsOf);
  t.ok(arrows.length > 150, `${arrows.length} value arrows`);
  t.same(floorViolations(arrows), []);
});
