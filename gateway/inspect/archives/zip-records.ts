// Zip records (APPNOTE.TXT 6.3.10, §4.3): signatures and the fields the
// streaming walker needs. Pure functions over a Buffer that holds the whole
// record; sizes above 4 GiB come from the Zip64 extra field (§4.5.3).

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_DESCRIPTOR = 0x08074b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;
const MAX32 = 0xffffffff;

export interface LocalHeader {
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  nameBytes: Buffer;
  zip64: boolean;
}

export interface CentralHeader {
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  nameBytes: Buffer;
  localOffset: number;
}

function u64(b: Buffer, at: number): number {
  return Number(b.readBigUInt64LE(at));
}

/** Zip64 extended information (header id 0x0001): the 8-byte values of the fields that were 0xFFFFFFFF, in order. */
function zip64Values(extra: Buffer): number[] | null {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      const vals: number[] = [];
      for (let q = p + 4; q + 8 <= Math.min(extra.length, p + 4 + len); q += 8) vals.push(u64(extra, q));
      return vals;
    }
    p += 4 + len;
  }
  return null;
}

export function localFixed(b: Buffer): { nameLen: number; extraLen: number } {
  return { nameLen: b.readUInt16LE(26), extraLen: b.readUInt16LE(28) };
}

export function parseLocal(b: Buffer): LocalHeader {
  const { nameLen, extraLen } = localFixed(b);
  let csize = b.readUInt32LE(18);
  let usize = b.readUInt32LE(22);
  const extra = b.subarray(30 + nameLen, 30 + nameLen + extraLen);
  let zip64 = false;
  if (csize === MAX32 || usize === MAX32) {
    const v = zip64Values(extra);
    if (v && v.length >= 2) {
      usize = v[0]!;
      csize = v[1]!;
      zip64 = true;
    }
  } else if (zip64Values(extra)) zip64 = true;
  return { flags: b.readUInt16LE(6), method: b.readUInt16LE(8), crc: b.readUInt32LE(14), csize, usize, nameBytes: Buffer.from(b.subarray(30, 30 + nameLen)), zip64 };
}

export function centralFixed(b: Buffer): { nameLen: number; extraLen: number; commentLen: number } {
  return { nameLen: b.readUInt16LE(28), extraLen: b.readUInt16LE(30), commentLen: b.readUInt16LE(32) };
}

export function parseCentral(b: Buffer): CentralHeader {
  const { nameLen, extraLen } = centralFixed(b);
  let usize = b.readUInt32LE(24);
  let csize = b.readUInt32LE(20);
  let localOffset = b.readUInt32LE(42);
  const extra = b.subarray(46 + nameLen, 46 + nameLen + extraLen);
  if (usize === MAX32 || csize === MAX32 || localOffset === MAX32) {
    const v = zip64Values(extra) ?? [];
    let i = 0;
    if (usize === MAX32) usize = v[i++] ?? usize;
    if (csize === MAX32) csize = v[i++] ?? csize;
    if (localOffset === MAX32) localOffset = v[i++] ?? localOffset;
  }
  return { flags: b.readUInt16LE(8), method: b.readUInt16LE(10), crc: b.readUInt32LE(16), csize, usize, nameBytes: Buffer.from(b.subarray(46, 46 + nameLen)), localOffset };
}

export interface EndRecord {
  entries: number;
  cdSize: number;
  cdOffset: number;
}

export function parseEocd(b: Buffer): EndRecord {
  return { entries: b.readUInt16LE(10), cdSize: b.readUInt32LE(12), cdOffset: b.readUInt32LE(16) };
}

export function parseZip64Eocd(b: Buffer): EndRecord {
  return { entries: u64(b, 32), cdSize: u64(b, 40), cdOffset: u64(b, 48) };
}

/** Member names for display: UTF-8 (flag 11 or valid anyway), control characters escaped. */
export function displayName(nameBytes: Buffer): string {
  return nameBytes.toString('utf8').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
