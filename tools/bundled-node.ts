// The Node.js that runs the packaging becomes the tarball's node/bin/node, so
// an installed Ferry needs no Node.js of its own. Honest only when the binary
// carries Node itself: a build that links libnode.so (Debian's nodejs) or its
// own copies of OpenSSL, libuv, ICU… brings those libraries along in
// node/lib, found through the launcher's LD_LIBRARY_PATH. What every Linux
// has (the C and C++ runtimes) is not copied: a copied glibc would not match
// the host's loader.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The base system: glibc's parts, the loader, and GCC's C++ runtime (in every distribution's minimal install). */
const SYSTEM_LIBRARY = /^(linux-vdso|ld-linux-x86-64|libc|libm|libdl|libpthread|librt|libresolv|libutil|libstdc\+\+|libgcc_s)\.so(\.|$)/;

export interface SharedLibrary { name: string; path: string | null }

/** What `ldd` says the binary loads (name, and where it was found). */
export function sharedLibraries(binary: string): SharedLibrary[] {
  const r = spawnSync('ldd', [binary], { encoding: 'utf8' });
  // A static binary: ldd says so and exits 1.
  if (r.status !== 0) {
    if (/not a dynamic executable|statically linked/.test(r.stdout + r.stderr)) return [];
    throw new Error(`package: ldd ${binary} failed: ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const m = /^(\S+)(?: => (\S+|not found))?/.exec(l)!;
    const path = m[2] && m[2] !== 'not found' ? m[2] : m[1]!.startsWith('/') ? m[1]! : null;
    return { name: basename(m[1]!), path };
  });
}

export function isSystemLibrary(name: string): boolean {
  return SYSTEM_LIBRARY.test(name);
}

/** The licence Node.js is distributed under, where this installation keeps it. */
function nodeLicense(execPath: string): string | null {
  for (const p of [join(dirname(execPath), '..', 'LICENSE'), join(dirname(execPath), '..', 'share', 'doc', 'node', 'LICENSE'), '/usr/share/doc/nodejs/LICENSE']) {
    if (existsSync(p)) return p;
  }
  return null;
}

/** Copy node (and any non-system library it links) into `<top>/node`; returns what was copied, for the log. */
export function bundleNode(top: string, execPath = process.execPath): { libraries: string[] } {
  const libs = sharedLibraries(execPath);
  const missing = libs.filter((l) => l.path === null && !isSystemLibrary(l.name) && l.name !== 'linux-vdso.so.1');
  if (missing.length) throw new Error(`package: ${execPath} needs ${missing.map((l) => l.name).join(', ')}, which ldd cannot find`);
  mkdirSync(join(top, 'node', 'bin'), { recursive: true });
  copyFileSync(execPath, join(top, 'node', 'bin', 'node'));
  chmodSync(join(top, 'node', 'bin', 'node'), 0o755);
  const copied: string[] = [];
  for (const l of libs) {
    if (isSystemLibrary(l.name) || l.path === null) continue;
    mkdirSync(join(top, 'node', 'lib'), { recursive: true });
    copyFileSync(l.path, join(top, 'node', 'lib', l.name));
    copied.push(l.name);
  }
  const license = nodeLicense(execPath);
  if (!license) throw new Error(`package: cannot find Node.js's LICENSE beside ${execPath}; it must ship with the binary`);
  copyFileSync(license, join(top, 'node', 'LICENSE'));
  return { libraries: copied };
}
