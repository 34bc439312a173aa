import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { inspectStream, type InspectOptions, type InspectResult } from '../gateway/inspect/index.js';
import type { Finding } from '../protocol/findings.js';

// Fixtures for the inspection tests, generated in code: zip and tar writers
// (including deliberately wrong ones), valid and invalid identifiers, EICAR.

export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$' + 'EICAR-STANDARD-ANTIVIRUS-' + 'TEST-FILE!$H+H*';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated (default); anything else is written stored under that method number. */
  method?: number;
  descriptor?: boolean;
  encrypted?: boolean;
}

/** A well-formed zip (APPNOTE 4.3), or a tampered one via `tamper`. */
export function zip(entries: ZipEntry[], tamper: { cdSizeDelta?: number; extraCdEntry?: boolean; trailing?: Buffer } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? zlib.deflateRawSync(e.data) : e.data;
    const crc = zlib.crc32(e.data);
    const name = Buffer.from(e.name);
    const flags = (e.descriptor ? 0x08 : 0) | (e.encrypted ? 0x01 : 0) | 0x800;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    if (!e.descriptor) {
      lh.writeUInt32LE(crc, 14);
      lh.writeUInt32LE(body.length, 18);
      lh.writeUInt32LE(e.data.length, 22);
    }
    lh.writeUInt16LE(name.length, 26);
    const local = [lh, name, body];
    if (e.descriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(crc, 4);
      dd.writeUInt32LE(body.length, 8);
      dd.writeUInt32LE(e.data.length, 12);
      local.push(dd);
    }
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length + (tamper.cdSizeDelta ?? 0), 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, name);
    for (const p of local) {
      parts.push(p);
      offset += p.length;
    }
  }
  let count = entries.length;
  if (tamper.extraCdEntry && central.length >= 2) {
    central.push(central[0]!, central[1]!); // a second central entry for the first local file: overlap
    count++;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, eocd, tamper.trailing ?? Buffer.alloc(0)]);
}

/**
 * Fifield's "better zip bomb" (2019), full-overlap form: one local file (a
 * highly compressed kernel), and a central directory whose `copies` entries
 * all point at it, so a reader trusting the central directory expands the
 * kernel `copies` times.
 */
export function overlapBomb(copies: number, kernelBytes: number): Buffer {
  const data = Buffer.alloc(kernelBytes, 0x61);
  const body = zlib.deflateRawSync(data, { level: 9 });
  const crc = zlib.crc32(data);
  const lh = Buffer.alloc(30);
  lh.writeUInt32LE(0x04034b50, 0);
  lh.writeUInt16LE(20, 4);
  lh.writeUInt16LE(8, 8);
  lh.writeUInt32LE(crc, 14);
  lh.writeUInt32LE(body.length, 18);
  lh.writeUInt32LE(data.length, 22);
  lh.writeUInt16LE(1, 26);
  const local = Buffer.concat([lh, Buffer.from('0'), body]);
  const central: Buffer[] = [];
  for (let i = 0; i < copies; i++) {
    const name = Buffer.from(String(i));
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(0, 42);
    central.push(ch, name);
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(copies, 8);
  eocd.writeUInt16LE(copies, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, cd, eocd]);
}

/** A ustar archive (POSIX.1-1988) with correct checksums. */
export function tar(entries: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(e.data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A minimal Windows PE image: DOS header with e_lfanew, "PE\0\0", COFF header. */
export function peExecutable(): Buffer {
  const b = Buffer.alloc(1024);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84); // i386
  b.writeUInt16LE(1, 0x86);
  return b;
}

/** A .docx (OOXML) whose body carries `text`, split across Word runs as Word does. */
export function docx(runs: string[]): Buffer {
  const body = runs.map((r) => `<w:r><w:t>${r}</w:t></w:r>`).join('');
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
    { name: '_rels/.rels', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>') },
    { name: 'word/document.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>${body}</w:p></w:body></w:document>`) },
  ]);
}

// GB 11643 resident ids.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function residentId(region: string, birth: string, seq: string): string {
  const body = region + birth + seq;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i]!;
  return body + '10X98765432'[sum % 11];
}

/** Completes a card number with its Luhn digit. */
export function luhnComplete(prefix: string): string {
  for (let d = 0; d < 10; d++) {
    const s = prefix + d;
    let sum = 0;
    let dbl = false;
    for (let i = s.length - 1; i >= 0; i--) {
      let v = Number(s[i]);
      if (dbl) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
      sum += v;
      dbl = !dbl;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

/** A GB 32100 code from its first 8 characters and an 8-character organisation body (GB 11714 check added). */
export function uscc(head8: string, org8: string): string {
  const OA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const OW = [3, 7, 9, 10, 5, 8, 4, 2];
  let osum = 0;
  for (let i = 0; i < 8; i++) osum += OA.indexOf(org8[i]!) * OW[i]!;
  const oc = 11 - (osum % 11);
  const body = head8 + org8 + (oc === 10 ? 'X' : oc === 11 ? '0' : String(oc));
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const UW = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += A.indexOf(body[i]!) * UW[i]!;
  return body + A[(31 - (sum % 31)) % 31];
}

/** Inspects bytes fed as the given chunks. */
/** `b` cut into chunks of `size` bytes (a reading must not depend on where chunks end). */
export function chunksOf(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let p = 0; p < b.length; p += size) out.push(b.subarray(p, p + size));
  return out;
}

export function inspectChunks(chunks: Buffer[], opts: InspectOptions = {}, ctx: { filename?: string; declaredType?: string } = {}): Promise<InspectResult> {
  return inspectStream(Readable.from(chunks), { transferId: 'test', label: 'internal', ...ctx }, opts);
}

export function inspectBytes(b: Buffer | string, opts: InspectOptions = {}, ctx: { filename?: string; declaredType?: string } = {}): Promise<InspectResult> {
  return inspectChunks([typeof b === 'string' ? Buffer.from(b) : b], opts, ctx);
}

export function kinds(fs: Finding[]): string[] {
  return fs.map((f) => (f.subkind ? `${f.kind}:${f.subkind}` : f.kind)).sort();
}

/**
 * A Zip64 archive (APPNOTE 4.5.3, 4.3.14, 4.3.15): sizes and offsets 0xFFFFFFFF
 * in the 32-bit fields, the real values in Zip64 extra fields, then a Zip64
 * end record and locator before the classic end record.
 */
export function zip64(entries: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = zlib.deflateRawSync(e.data);
    const crc = zlib.crc32(e.data);
    const name = Buffer.from(e.name);
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(e.data.length), 4);
    extra.writeBigUInt64LE(BigInt(body.length), 12);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(45, 4);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(0xffffffff, 18);
    lh.writeUInt32LE(0xffffffff, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(extra.length, 28);
    const cextra = Buffer.alloc(28);
    cextra.writeUInt16LE(0x0001, 0);
    cextra.writeUInt16LE(24, 2);
    cextra.writeBigUInt64LE(BigInt(e.data.length), 4);
    cextra.writeBigUInt64LE(BigInt(body.length), 12);
    cextra.writeBigUInt64LE(BigInt(offset), 20);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(45, 4);
    ch.writeUInt16LE(45, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(0xffffffff, 20);
    ch.writeUInt32LE(0xffffffff, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(cextra.length, 30);
    ch.writeUInt32LE(0xffffffff, 42);
    central.push(ch, name, cextra);
    const local = Buffer.concat([lh, name, extra, body]);
    parts.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(central);
  const z64 = Buffer.alloc(56);
  z64.writeUInt32LE(0x06064b50, 0);
  z64.writeBigUInt64LE(44n, 4);
  z64.writeUInt16LE(45, 12);
  z64.writeUInt16LE(45, 14);
  z64.writeBigUInt64LE(BigInt(entries.length), 24);
  z64.writeBigUInt64LE(BigInt(entries.length), 32);
  z64.writeBigUInt64LE(BigInt(cd.length), 40);
  z64.writeBigUInt64LE(BigInt(offset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  loc.writeUInt32LE(1, 16);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0xffff, 8);
  eocd.writeUInt16LE(0xffff, 10);
  eocd.writeUInt32LE(0xffffffff, 12);
  eocd.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...parts, cd, z64, loc, eocd]);
}

/** A tar member carried under a POSIX pax 'x' header (long path) or a GNU 'L' long name. */
export function tarLongName(name: string, data: Buffer, form: 'pax' | 'gnu'): Buffer {
  const header = (n: string, size: number, type: string): Buffer => {
    const h = Buffer.alloc(512);
    h.write(n.slice(0, 99), 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(type, 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
  let meta: Buffer;
  if (form === 'pax') {
    const rec = (k: string, v: string): string => {
      const body = ` ${k}=${v}\n`;
      let len = Buffer.byteLength(body) + 1;
      while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
      return `${len}${body}`;
    };
    const r = Buffer.from(rec('path', name));
    meta = Buffer.concat([header('PaxHeader/x', r.length, 'x'), pad(r)]);
  } else {
    const r = Buffer.from(name + '\0');
    meta = Buffer.concat([header('././@LongLink', r.length, 'L'), pad(r)]);
  }
  return Buffer.concat([meta, header('short-name', data.length, '0'), pad(data), Buffer.alloc(1024)]);
}
