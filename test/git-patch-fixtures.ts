// Ninth red team (2 Dec), W2: git binary patches (`git diff --binary`): a file git takes for binary (a NUL in
// it) is written as base 85 of its zlib stream, a literal of the new file or a delta against the old one, and
// no reading decoded it: a memo in such a file crossed, and an ordinary patch of a picture over some 2 KiB was
// refused as random characters. The encoder below follows git's diff.c (emit_binary_diff_body) and base85.c;
// inspect-git-patch.test.ts also runs the real git where it is installed.
import { createCipheriv } from 'node:crypto';
import zlib from 'node:zlib';
import { docx, residentId } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';

/** One hunk's lines: 52 bytes a line, each a length letter and 5 base-85 digits for each 4 bytes. */
function base85Lines(data: Buffer): string {
  const lines: string[] = [];
  for (let p = 0; p < data.length; p += 52) {
    const part = data.subarray(p, p + 52);
    const n = part.length;
    let line = n <= 26 ? String.fromCharCode(0x41 + n - 1) : String.fromCharCode(0x61 + n - 27);
    for (let g = 0; g < n; g += 4) {
      let acc = 0;
      for (let k = 0; k < 4; k++) acc = acc * 256 + (part[g + k] ?? 0);
      let digits = '';
      for (let k = 0; k < 5; k++) {
        digits = ALPHABET[acc % 85]! + digits;
        acc = Math.floor(acc / 85);
      }
      line += digits;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

const hunk = (kind: 'literal' | 'delta', size: number, body: Buffer): string => `${kind} ${size}\n${base85Lines(zlib.deflateSync(body))}\n\n`;

/** A patch that adds `name` with `data` (and, as git writes it, the reverse hunk: literal 0). */
export function gitAdd(name: string, data: Buffer): Buffer {
  return Buffer.from(`diff --git a/${name} b/${name}\nnew file mode 100644\nindex 0000000..1234567\nGIT binary patch\n${hunk('literal', data.length, data)}${hunk('literal', 0, Buffer.alloc(0))}`);
}

/** A git delta's size varint. */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

/** A delta (gitformat-pack) against a base of `baseSize` bytes: copies of [offset, size) of the base (offset and size written in 4 and 3 bytes), inserts of bytes (127 at most each). */
export function delta(baseSize: number, ops: Array<{ copy: [number, number] } | { insert: Buffer }>): Buffer {
  let out = 0;
  const parts: Buffer[] = [];
  for (const op of ops) {
    if ('copy' in op) {
      const [off, size] = op.copy;
      parts.push(Buffer.from([0x80 | 0x0f | 0x70, off & 0xff, (off >> 8) & 0xff, (off >> 16) & 0xff, (off >>> 24) & 0xff, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff]));
      out += size;
    } else {
      for (let p = 0; p < op.insert.length; p += 127) {
        const piece = op.insert.subarray(p, p + 127);
        parts.push(Buffer.from([piece.length]), piece);
      }
      out += op.insert.length;
    }
  }
  return Buffer.concat([varint(baseSize), varint(out), ...parts]);
}

/** A patch that changes `name` by a delta (forward) and its reverse literal of the old bytes. */
export function gitChange(name: string, old: Buffer, d: Buffer, size: number): Buffer {
  return Buffer.from(`diff --git a/${name} b/${name}\nindex 1234567..89abcde 100644\nGIT binary patch\n${hunk('delta', size, d)}${hunk('literal', old.length, old)}`);
}

/** A PNG chunk: its length, type, data and CRC-32. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A PNG of w×h pixels, RGB, a gradient with some noise (what a screenshot's deflate looks like, nearly random). */
export function pngPicture(w: number, h: number, seed = 7): Buffer {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let i = 0; i < w; i++) {
      row[1 + i * 3] = (i * 4 + (rnd() & 31)) & 0xff;
      row[2 + i * 3] = (y * 4 + (rnd() & 31)) & 0xff;
      row[3 + i * 3] = rnd();
    }
    rows.push(row);
  }
  const chunk = pngChunk;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Bytes of a cipher (random to any judge). */
const secret = (n: number): Buffer => createCipheriv('aes-256-ctr', Buffer.alloc(32, 9), Buffer.alloc(16)).update(Buffer.alloc(n));
const ID = residentId('440305', '19900307', '457');
/** A memo git takes for binary: a NUL in it. */
const MEMO = Buffer.from('关于年度工作的通知\n机密★10年\n请各处室按时报送材料。\n\u0000\u0001');
const CLEAN_MEMO = Buffer.from('关于年度工作的通知\n请遵守保密协议，保护商业秘密和工作秘密，注意机密性。\n\u0000\u0001');
const s = (name: string, body: Buffer, expect: string, filename = 'change.patch'): Sample => ({ name, filename, type: 'text/x-diff', body, expect });

export function gitPatchSamples(): Sample[] {
  const base = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n\u0000\u0001'.repeat(4));
  return [
    s('W2: a memo added as a git binary patch (literal)', gitAdd('memo.bin', MEMO), 'classified-marking'),
    s('W2: a register with an id number added (literal)', gitAdd('names.dat', Buffer.from(`姓名,身份证号\n张三,${ID}\n\u0000`)), 'personal-data'),
    s('W2: a .docx with the marking added (literal)', gitAdd('通知.docx', docx(['关于工作的通知', '机密★10年'])), 'classified-marking'),
    s('W2: the marking inserted by a delta', gitChange('memo.bin', base, delta(base.length, [{ copy: [0, 28] }, { insert: Buffer.from('\n机密★10年\n') }, { copy: [28, 40] }]), 28 + 40 + Buffer.byteLength('\n机密★10年\n')), 'classified-marking'),
    s('W2: the marking in the reverse hunk (a deleted file)', Buffer.from(`diff --git a/memo.bin b/memo.bin\ndeleted file mode 100644\nindex 1234567..0000000\nGIT binary patch\n${hunk('literal', 0, Buffer.alloc(0))}${hunk('literal', MEMO.length, MEMO)}`), 'classified-marking'),
    // A hunk read whole vouches for its own lines only: random characters after it, or in a hunk that does not inflate, are judged.
    s('W2: random base 85 after an ordinary hunk', Buffer.concat([gitAdd('logo.png', pngPicture(48, 48)), Buffer.from(`${base85Lines(secret(8192))}\n`)]), 'uninspectable'),
    s('W2: encrypted bytes as a hunk that does not inflate', Buffer.from(`diff --git a/x.bin b/x.bin\nGIT binary patch\nliteral 8192\n${base85Lines(secret(8192))}\n\n`), 'uninspectable'),
    s('W2: a patch in a mail (format-patch) with text hunks beside', Buffer.concat([Buffer.from('From 1234 Mon Sep 17 00:00:00 2001\nFrom: a <a@b.cn>\nSubject: [PATCH] update\n\n---\n notes.txt | 1 +\n\ndiff --git a/notes.txt b/notes.txt\n--- a/notes.txt\n+++ b/notes.txt\n@@ -1 +1,2 @@\n 说明\n+补充\n'), gitAdd('memo.bin', MEMO), Buffer.from('-- \n2.43.0\n')]), 'classified-marking', '0001-update.patch'),
  ];
}

export function gitPatchCleanSamples(): Sample[] {
  const pic = pngPicture(48, 48);
  return [
    s('W2 clean: a picture added (literal, some 9 KiB of base 85)', gitAdd('logo.png', pic), ''),
    s('W2 clean: an ordinary memo file added', gitAdd('notice.bin', CLEAN_MEMO), ''),
    s('W2 clean: a .docx added', gitAdd('报告.docx', docx(['季度报告', '收入 123 万元'])), ''),
    s('W2 clean: a file changed by a delta', gitChange('notice.bin', CLEAN_MEMO, delta(CLEAN_MEMO.length, [{ copy: [0, 20] }, { insert: Buffer.from('（修订）') }, { copy: [20, CLEAN_MEMO.length - 20] }]), CLEAN_MEMO.length + Buffer.byteLength('（修订）')), ''),
    s('W2 clean: a text quoting a hunk that does not inflate', Buffer.from('git 的二进制补丁形如：\nGIT binary patch\nliteral 12\nzcmZ?wbhEHbRA6\n\n说明完毕。\n'), '', 'notes.txt'),
  ];
}
