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
