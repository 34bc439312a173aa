// A sender's filename is a wish, never a path. This turns whatever arrived in
// ferry-filename into one plain name that is safe on Linux, macOS and Windows
// receivers alike, and places it in the output folder without ever replacing
// an existing file.

import { link, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes, not characters: ext4/xfs/APFS limit a name to 255 bytes; leave room for " (9999)". */
export const MAX_NAME_BYTES = 200;
const MAX_EXT_BYTES = 16;

// C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can
// make "gpj.exe" display as "exe.jpg" (CVE-2021-42574 "Trojan Source" class).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Characters Windows refuses in a name (Naming Files, Paths, and Namespaces).
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
// Device names Windows reserves with or without an extension ("CON.txt" too).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let n = 0;
  for (const ch of s) { // by code point, so no character is cut in half
    const b = Buffer.byteLength(ch);
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

function splitExt(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return [name, ''];
  const ext = name.slice(dot);
  return Buffer.byteLength(ext) <= MAX_EXT_BYTES ? [name.slice(0, dot), ext] : [name, ''];
}

/**
 * One safe base name from a sender's filename, or `fallback` when nothing
 * usable is left. Directories are stripped (the last component wins), control
 * and direction characters removed, Windows-forbidden characters replaced,
 * leading dots (hidden files) and trailing dots/spaces dropped, device names
 * prefixed, and the length capped in bytes with the extension kept.
 */
export function safeFileName(raw: string | undefined, fallback: string): string {
  let name = (raw ?? '').normalize('NFC').replace(INVISIBLE, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(WINDOWS_FORBIDDEN, '_');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    const [stem, ext] = splitExt(name);
    name = truncateBytes(stem, MAX_NAME_BYTES - Buffer.byteLength(ext)).replace(/[.\s]+$/, '') + ext;
  }
  return name.length > 0 ? name : fallback;
}

/** "report.pdf" → "report (2).pdf" */
export function withSuffix(name: string, n: number): string {
  const [stem, ext] = splitExt(name);
  return `${stem} (${n})${ext}`;
}

/**
 * Give `tmpPath` its final name in `dir`: `name`, or `name (2)`, `name (3)`…
 * link(2) fails with EEXIST instead of replacing, so an existing file is never
 * overwritten even if another process creates it at the same moment; the
 * temporary name is removed only once the final one exists.
 */
export async function placeWithoutOverwrite(tmpPath: string, dir: string, name: string, maxTries = 10_000): Promise<string> {
  for (let i = 1; i <= maxTries; i++) {
    const candidate = i === 1 ? name : withSuffix(name, i);
    const target = join(dir, candidate);
    try {
      await link(tmpPath, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await unlink(tmpPath);
    return target;
  }
  throw new Error(`no free name for ${name} in ${dir} after ${maxTries} tries`);
}
