// Archives ordinary tools write that Ferry refused (fourth red team, 1 Dec 2026, F7-F9):
// a zip behind a prefix whose offsets count it (a Python zipapp, a `zip -A`
// self-extractor), an APK signed with scheme v2/v3 (a signing block before the
// central directory), a zip written to a pipe with stored members. The clean
// ones must cross; the same with a marked member must be refused.
import { docx, zip } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

/** Adds `by` to every central directory entry's local header offset and to the end record's (a zip whose offsets count a prefix). */
export function shiftOffsets(z: Buffer, by: number, onlyFirst = false): Buffer {
  const out = Buffer.from(z);
  const end = out.length - 22;
  const count = out.readUInt16LE(end + 10);
  let p = out.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (!onlyFirst || i === 0) out.writeUInt32LE(out.readUInt32LE(p + 42) + by, p + 42);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  out.writeUInt32LE(out.readUInt32LE(end + 16) + by, end + 16);
  return out;
}

/** An APK Signature Scheme v2 block put between the entries and the central directory, the end record moved on. */
export function withSigningBlock(z: Buffer, opts: { magic?: string; pairs?: Buffer } = {}): Buffer {
  const cdOff = z.readUInt32LE(z.length - 22 + 16);
  const pair = Buffer.alloc(12);
  pair.writeBigUInt64LE(76n, 0);
  pair.writeUInt32LE(0x7109871a, 8);
  const pairs = opts.pairs ?? Buffer.concat([pair, Buffer.alloc(72, 7)]);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(pairs.length + 24));
  const block = Buffer.concat([size, pairs, size, Buffer.from(opts.magic ?? 'APK Sig Block 42')]);
  const out = Buffer.concat([z.subarray(0, cdOff), block, z.subarray(cdOff)]);
  out.writeUInt32LE(cdOff + block.length, out.length - 22 + 16);
  return out;
}

/** One stored member with a data descriptor that has no signature (APPNOTE allows it). */
export function storedNoSignature(data: Buffer): Buffer {
  const z = zip([{ name: 'a.txt', data, method: 0, descriptor: true }]);
  const at = 30 + 5 + data.length;
  const out = Buffer.concat([z.subarray(0, at), z.subarray(at + 4)]);
  out.writeUInt32LE(out.readUInt32LE(out.length - 6) - 4, out.length - 6);
  return out;
}

const SHEBANG = Buffer.from('#!/usr/bin/env python3\n');

/** What macOS Finder's "Compress" adds for a downloaded file (seventh red team, 1 Dec, G10): an AppleDouble file with its quarantine attribute. */
export function appleDouble(): Buffer {
  const attr = Buffer.from('0081;674c1a2b;Safari;9C1D5E2A-0B7E-4C1A-9F3E-2D6B8A7C5E4F\0');
  const header = Buffer.alloc(26 + 12);
  header.writeUInt32BE(0x00051607, 0);
  header.writeUInt32BE(0x00020000, 4);
  header.write('Mac OS X        ', 8, 'latin1');
  header.writeUInt16BE(1, 24);
  header.writeUInt32BE(9, 26); // Finder info, then the extended attributes
  header.writeUInt32BE(38, 30);
  header.writeUInt32BE(32 + attr.length, 34);
  return Buffer.concat([header, Buffer.alloc(32), Buffer.from('ATTR'), Buffer.from('com.apple.quarantine\0'), attr]);
}

function forms(text: string): Array<[string, string, string, Buffer]> {
  const members = [{ name: '__main__.py', data: Buffer.from('print("hello")\n') }, { name: 'data/notice.txt', data: Buffer.from(text), method: 0 }];
  const stub = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  return [
    ['a Python zipapp (offsets count the shebang)', 'tool.pyz', 'application/octet-stream', Buffer.concat([SHEBANG, shiftOffsets(zip(members), SHEBANG.length)])],
    ['a zip -A self-extractor (offsets count the stub)', 'setup.exe', 'application/x-msdownload', Buffer.concat([stub, shiftOffsets(zip(members), stub.length)])],
    ['an APK with a v2 signing block', 'app.apk', 'application/vnd.android.package-archive', withSigningBlock(zip(members))],
    ['a zip written to a pipe (stored members with data descriptors)', '材料.zip', 'application/zip', zip(members.map((m) => ({ ...m, method: 0, descriptor: true })))],
    ['a zip made by macOS Finder (an AppleDouble ._ member beside the docx)', '材料.zip', 'application/zip', zip([{ name: '材料/通知.docx', data: docx(text.split('\n').filter(Boolean)) }, { name: '__MACOSX/材料/._通知.docx', data: appleDouble() }])],
  ];
}

export function archiveFpCleanSamples(): Sample[] {
  return forms('关于召开会议的通知\n请各单位按时参加。\n').map(([name, filename, type, body]) => ({ name: `${name}, clean`, filename, type, body, expect: '' }));
}

export function archiveFpSamples(): Sample[] {
  return forms('关于召开会议的通知\n机密★10年\n').map(([name, filename, type, body]) => ({ name: `${name}, a marked member`, filename, type, body, expect: 'classified-marking' }));
}
