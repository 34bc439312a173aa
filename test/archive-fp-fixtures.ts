// Archives ordinary tools write that Ferry refused (fourth red team, 1 Dec 2026, F7-F9):
// a zip behind a prefix whose offsets count it (a Python zipapp, a `zip -A`
// self-extractor), an APK signed with scheme v2/v3 (a signing block before the
// central directory), a zip written to a pipe with stored members. The clean
// ones must cross; the same with a marked member must be refused.
import { zip } from './inspect-fixtures.js';
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

function forms(text: string): Array<[string, string, string, Buffer]> {
  const members = [{ name: '__main__.py', data: Buffer.from('print("hello")\n') }, { name: 'data/notice.txt', data: Buffer.from(text), method: 0 }];
  const stub = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  return [
    ['a Python zipapp (offsets count the shebang)', 'tool.pyz', 'application/octet-stream', Buffer.concat([SHEBANG, shiftOffsets(zip(members), SHEBANG.length)])],
    ['a zip -A self-extractor (offsets count the stub)', 'setup.exe', 'application/x-msdownload', Buffer.concat([stub, shiftOffsets(zip(members), stub.length)])],
    ['an APK with a v2 signing block', 'app.apk', 'application/vnd.android.package-archive', withSigningBlock(zip(members))],
    ['a zip written to a pipe (stored members with data descriptors)', '材料.zip', 'application/zip', zip(members.map((m) => ({ ...m, method: 0, descriptor: true })))],
  ];
}

export function archiveFpCleanSamples(): Sample[] {
  return forms('关于召开会议的通知\n请各单位按时参加。\n').map(([name, filename, type, body]) => ({ name: `${name}, clean`, filename, type, body, expect: '' }));
}

export function archiveFpSamples(): Sample[] {
  return forms('关于召开会议的通知\n机密★10年\n').map(([name, filename, type, body]) => ({ name: `${name}, a marked member`, filename, type, body, expect: 'classified-marking' }));
}
