// BinHex 4.0 written by test code (RFC 1741): header, forks and CRCs, run-length coded, in the
// 6-bit alphabet, 64 characters a line. Found by the fourth red team (1 Dec 2026, N26): a memo
// in BinHex crossed; its forks are now read as files.
import type { Sample } from './evasion-fixtures.js';

const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';

/** CRC-16/XMODEM, as BinHex computes it. */
function crc16(b: Buffer): number {
  let crc = 0;
  for (const x of b) {
    crc ^= x << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function withCrc(b: Buffer): Buffer {
  const c = Buffer.alloc(2);
  c.writeUInt16BE(crc16(b));
  return Buffer.concat([b, c]);
}

/** Runs of 4 or more coded as byte 0x90 count; 0x90 itself as 0x90 00. */
function rle(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    let n = 1;
    while (i + n < b.length && b[i + n] === x && n < 255) n++;
    out.push(x);
    if (x === 0x90) out.push(0);
    if (n >= 4) {
      out.push(0x90, n);
      i += n;
    } else i += 1;
  }
  return Buffer.from(out);
}

export function binhex(name: string, data: Buffer, rsrc: Buffer = Buffer.alloc(0), eol = '\r\n'): Buffer {
  const n = Buffer.from(name, 'latin1');
  const lens = Buffer.alloc(8);
  lens.writeUInt32BE(data.length, 0);
  lens.writeUInt32BE(rsrc.length, 4);
  const header = Buffer.concat([Buffer.from([n.length]), n, Buffer.from([0]), Buffer.from('TEXTttxt'), Buffer.alloc(2), lens]);
  const all = rle(Buffer.concat([withCrc(header), withCrc(data), withCrc(rsrc)]));
  let s = '';
  let acc = 0;
  let bits = 0;
  for (const x of all) {
    acc = (acc << 8) | x;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      s += ALPHABET[(acc >> bits) & 63];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits) s += ALPHABET[(acc << (6 - bits)) & 63];
  const body = `:${s}:`.replace(/.{64}/g, `$&${eol}`);
  return Buffer.from(`(This file must be converted with BinHex 4.0)${eol}${eol}${body}${eol}`);
}

export function binhexSamples(): Sample[] {
  const memo = Buffer.from(`关于工作的通知\n机密★10年\n${'正文'.repeat(20)}\n`);
  return [
    { name: 'BinHex 4.0 of a memo with a marking', filename: 'memo.hqx', type: 'application/mac-binhex40', body: binhex('memo.txt', memo), expect: 'classified-marking' },
    { name: 'BinHex 4.0, the marking in the resource fork, declared text/plain', filename: 'memo.txt', type: 'text/plain', body: binhex('memo.txt', Buffer.from('正文\n'), memo, '\n'), expect: 'classified-marking' },
  ];
}

export function binhexCleanSamples(): Sample[] {
  return [
    { name: 'BinHex 4.0 of an ordinary memo (runs coded)', filename: 'memo.hqx', type: 'application/mac-binhex40', body: binhex('memo.txt', Buffer.from(`关于召开会议的通知\n${'='.repeat(40)}\n请各单位按时参加。\n`)), expect: '' },
    { name: 'a mail that names BinHex 4.0 with no block', filename: 'mail.txt', type: 'text/plain', body: Buffer.from('附件格式说明：(This file must be converted with BinHex 4.0) 是旧版 Mac 邮件的提示行。\n请改用 zip 发送。\n'), expect: '' },
  ];
}
