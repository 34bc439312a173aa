// Which npm packages the shipped code imports (dist/ without its tests and
// benchmarks), and which of them package.json does not list as a production
// dependency. A package listed only under devDependencies is installed here
// but absent from an installed tarball: the module that needs it fails to load
// there, and only there (cfb did, and every inspection then failed).
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

const NOT_SHIPPED = new Set(['test', 'bench']);
// Statements only, not the word "from" in a string: an import or export
// clause (it may span lines, never a semicolon) ending in from and a quoted
// name; a bare side-effect import; a dynamic import or a require of a literal.
const SPECIFIER = /(?:^[ \t]*(?:import|export)\b[^;'"]*?\bfrom\s*|^[ \t]*import\s*|\bimport\(\s*|\brequire\(\s*)['"]([@\w./:-]+)['"]/gm;

/** The package a bare specifier names ('@scope/name/sub' → '@scope/name'), or null for a relative path or a builtin. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) return null;
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every package imported by a .js or .cjs file under distDir (tests and benchmarks left out), with one file that imports it. */
export function shippedImports(distDir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string, top: boolean): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!(top && NOT_SHIPPED.has(e.name))) walk(join(dir, e.name), false);
      } else if (e.name.endsWith('.js') || e.name.endsWith('.cjs')) {
        const file = join(dir, e.name);
        for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
          const pkg = packageOf(m[1]!);
          if (pkg && !found.has(pkg)) found.set(pkg, file);
        }
      }
    }
  };
  walk(distDir, true);
  return found;
}

/** Imports of the shipped code that package.json does not list under dependencies or optionalDependencies. */
export function undeclaredImports(root: string): Array<{ pkg: string; file: string }> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
  return [...shippedImports(join(root, 'dist'))]
    .filter(([name]) => !declared.has(name) && name !== pkg.name)
    .map(([name, file]) => ({ pkg: name, file }));
}
