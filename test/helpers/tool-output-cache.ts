// What an external tool made for a sample (gpg's signatures and encryptions),
// made once per machine and reused by every test process, as the PKI is
// (pki.ts): gpg took 12 s of gateway-evasions' event loop, its agent's S2K
// seconds of CPU more, in each of the five files that use the OpenPGP samples.
// The bytes are the tool's own; an entry is keyed by what made it (the
// caller's source file, the arguments, the input) and remade after a few hours.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_AGE_MS = 6 * 3600_000;

function cacheDir(): string {
  let user: string;
  try {
    user = String(userInfo().uid);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `ferry-test-tools-${user}`);
}

/**
 * The bytes `make` returns for this key, from the cache when made there within MAX_AGE_MS.
 * `source` is the caller's import.meta.url: a change to the fixture's code makes new entries.
 * A null (the tool is absent or failed) is not kept.
 */
export function cachedToolOutput(source: string, key: ReadonlyArray<string | Buffer>, make: () => Buffer | null): Buffer | null {
  const hash = createHash('sha256').update(readFileSync(fileURLToPath(source)));
  for (const k of key) hash.update(String(Buffer.byteLength(k))).update(':').update(k);
  const dir = cacheDir();
  const file = join(dir, hash.digest('hex'));
  try {
    if (Date.now() - statSync(file).mtimeMs < MAX_AGE_MS) return readFileSync(file);
  } catch {
    // not made yet
  }
  const out = make();
  if (out === null) return null;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written whole under another name, then renamed: a process reading at the same time sees all of it or none.
  const part = `${file}.${process.pid}.part`;
  writeFileSync(part, out, { mode: 0o600 });
  renameSync(part, file);
  return out;
}
