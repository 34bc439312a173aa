// review13 (2 Dec): a lone msgpack mobile (uint 64 after CF, no key, no neighbour) in machine code is not read: its
// constant tables and instructions hold that shape at every turn (of 2,465 ELF files of this machine, 35 hold one
// where a record may, with no zero byte in its low word). But none of them past the file's own end: a value
// appended to a program (an overlay, which the loader never reads) crossed. Now an ELF file's extent is read from
// its header tables as the bytes stream (marks/elf-extent.ts), and lone values past it are read as binary of no
// known type reads them. Inside the program (.text, .rodata, a section the tables name) they stay unread.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';

const be64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
/** msgpack's uint 64 (CF) of v, alone. */
const lone = (v: number): Buffer => Buffer.concat([Buffer.from([0xcf]), be64(v)]);

/** Code-like bytes: names and small integers, and a lone CF value of a mobile's shape every so often (as .text and .rodata hold them). */
function code(n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) parts.push(Buffer.from([0x48, 0x89, 0xe5, 0x41, 0x57]), Buffer.from(`fn_${i}_init`), Buffer.from([0x01, 0x02]), lone(13_000_000_000 + ((i * 2_654_435_761) % 6_000_000_000)));
  return Buffer.concat(parts);
}

/**
 * A 64-bit little-endian ELF shared object: its header, one PT_LOAD program header over the header and .text,
 * .text, a .bss of `bss` bytes (NOBITS), .shstrtab, then the section header table; `after` appended past it.
 */
function elf(text: Buffer, after: Buffer = Buffer.alloc(0), bss = 0): Buffer {
  const names = Buffer.from('\0.text\0.bss\0.shstrtab\0');
  const phoff = 64;
  const textOff = phoff + 56;
  const strOff = textOff + text.length;
  const shoff = Math.ceil((strOff + names.length) / 8) * 8;
  const h = Buffer.alloc(64);
  Buffer.from('7f454c46020101', 'hex').copy(h);
  h.writeUInt16LE(3, 16); // ET_DYN
  h.writeUInt16LE(62, 18); // x86-64
  h.writeUInt32LE(1, 20);
  h.writeBigUInt64LE(BigInt(phoff), 32);
  h.writeBigUInt64LE(BigInt(shoff), 40);
  h.writeUInt16LE(64, 52);
  h.writeUInt16LE(56, 54);
  h.writeUInt16LE(1, 56);
  h.writeUInt16LE(64, 58);
  h.writeUInt16LE(4, 60);
  h.writeUInt16LE(3, 62);
  const ph = Buffer.alloc(56);
  ph.writeUInt32LE(1, 0); // PT_LOAD
  ph.writeUInt32LE(5, 4);
  ph.writeBigUInt64LE(0n, 8);
  ph.writeBigUInt64LE(BigInt(strOff), 32); // filesz
  ph.writeBigUInt64LE(BigInt(strOff + bss), 40); // memsz
  const sh = (name: number, type: number, off: number, size: number): Buffer => {
    const s = Buffer.alloc(64);
    s.writeUInt32LE(name, 0);
    s.writeUInt32LE(type, 4);
    s.writeBigUInt64LE(BigInt(off), 24);
    s.writeBigUInt64LE(BigInt(size), 32);
    return s;
  };
  const table = Buffer.concat([Buffer.alloc(64), sh(1, 1, textOff, text.length), sh(7, 8, strOff, bss), sh(12, 3, strOff, names.length)]);
  return Buffer.concat([h, ph, text, names, Buffer.alloc(shoff - strOff - names.length), table, after]);
}

const MOBILE = 'personal-data:cn-mobile';

t.test('a lone msgpack mobile appended past an ELF file\'s own bytes is read', async (t) => {
  for (const [name, body] of [
    ['one uint 64 appended', elf(code(40), lone(13_812_345_678))],
    ['one int 64 (D3) appended after padding', elf(code(40), Buffer.concat([Buffer.alloc(13, 0xff), Buffer.from([0xd3]), be64(18_612_345_678)]))],
    ['appended to a program with a large .bss', elf(code(40), lone(15_011_112_222), 1 << 20)],
    ['appended past a long program read in chunks', elf(code(20_000), lone(13_998_765_432))],
  ] as const) {
    t.ok(kinds((await inspectBytes(body, {}, { filename: 'libx.so' })).findings).includes(MOBILE), name);
  }
});

t.test('lone values inside the program stay unread, and programs with nothing appended stay clean', async (t) => {
  for (const [name, body] of [
    ['lone values in .text', elf(code(400))],
    ['lone values in .text, a large .bss', elf(code(400), Buffer.alloc(0), 1 << 20)],
    ['a header naming no table (7F ELF and zeros), code after it', Buffer.concat([Buffer.from('7f454c4602010100', 'hex'), Buffer.alloc(56), code(40)])],
    ['padding appended (zeros)', elf(code(40), Buffer.alloc(16))],
  ] as const) {
    t.same(kinds((await inspectBytes(body, {}, { filename: 'libx.so' })).findings), [], name);
  }
});
