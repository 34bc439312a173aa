// Tables of small little-endian integers are not serialised records (ninth red team, F3): gettext catalogues
// (.mo), LLVM bitcode (.bc) and PostgreSQL data files (what pg_basebackup copies) were refused cn-mobile, a
// message's length 27 (`1B 00 00 00`) and the next offset read as a CBOR uint 64 (`1B 00 00 00 03 10 00 00
// 12` = 13153337362). A value with no key is read only where a record may hold it (binary-integers.ts,
// recordAround): not after the 00 of a little-endian integer, not as a pair of small integers; a BSON key must
// be text. Real CBOR and msgpack records of contacts, keyed or in arrays, and markings in the same files are
// still found.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectBytes, kinds } from './inspect-fixtures.js';

/** A gettext catalogue made by msgfmt: 120 messages whose lengths and offsets put `1B 00 00 00 03` in its tables. */
function catalogue(extra = ''): Buffer | null {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-mo-'));
  try {
    const po = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ''];
    for (let i = 0; i < 120; i++) {
      po.push(`msgid "Save the file ${i}${' before closing'.slice(0, (i * 7) % 16)}"`, `msgstr "保存文件 ${i}${'，然后关闭'.slice(0, (i * 3) % 5)}"`, '');
    }
    if (extra) po.push('msgid "Contact"', `msgstr "${extra}"`, '');
    writeFileSync(join(dir, 'app.po'), po.join('\n'));
    execFileSync('msgfmt', ['-o', join(dir, 'app.mo'), join(dir, 'app.po')]);
    return readFileSync(join(dir, 'app.mo'));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/[ |]/g, ''), 'hex');
// Windows of 41 bytes around each value, copied from real files (PostgreSQL 15's bitcode and an initdb cluster):
// the bytes before the marker, the marker and its 8 bytes, the bytes after.
const BITCODE = Buffer.concat([
  hex('4243c0de35140000050000006210'), // 'BC' C0DE, an identification block's first words
  hex('612000002801000013045d2c10000000 | 1b0000000440819442 | 0d14202042191443711449a914af0105'), // file_fdw.bc
  hex('000000008032008654bd3a343e850003 | 1b0000000400000040 | 00940130a452d7813a130418da000000'), // heap.bc
  hex('00000000001b30a4 | 1233c48d80009800000004000000 | 0000366048a5660b1c0101'), // blinsert.bc: 0x12, a key of no text
]);
const PAGE = Buffer.alloc(8192);
[
  '0000020070001800e51100001b000000 | 1b0000000400000000 | 0002006f001800e51100001b0000001b', // base/1/2655
  '000004001900000004001a0000000400 | 1b00000004001c0000 | 0004001d00000004001e00000004001f', // pg_wal
  '61795f747970616e616c797a65000000 | cf0000000400060000 | 000000000c010000cf00000098d21501', // pg_wal
  '000001000000012f0000000000000000 | d300000004010000d0 | c9170100000000000a0000b6d5e07000', // pg_wal
].forEach((w, k) => hex(w).copy(PAGE, 512 + k * 1024));

t.test('a gettext catalogue, LLVM bitcode and a PostgreSQL page are clean', async (t) => {
  const mo = catalogue();
  const cases: Array<[string, string, Buffer | null]> = [
    ['a catalogue made by msgfmt', 'app.mo', mo],
    ['bitcode', 'heap.bc', BITCODE],
    ['a PostgreSQL page', '2655', PAGE],
  ];
  for (const [name, filename, body] of cases) {
    if (!body) {
      t.comment(`${name}: msgfmt is not installed`);
      continue;
    }
    const r = await inspectBytes(body, {}, { filename });
    t.same(kinds(r.findings), [], `${name} (${r.sniffedType})`);
  }
});

t.test('markings in a catalogue are found, and CBOR and msgpack contacts as before', async (t) => {
  const mo = catalogue('请致电 13812345678，绝密★');
  if (mo) t.same(kinds((await inspectBytes(mo, {}, { filename: 'app.mo' })).findings), ['classified-marking:绝密', 'personal-data:cn-mobile'], 'a mobile and a marking in a translation');
  const be64 = (m: number, v: number): Buffer => {
    const b = Buffer.alloc(9);
    b[0] = m;
    b.writeBigUInt64BE(BigInt(v), 1);
    return b;
  };
  const records: Array<[string, Buffer]> = [
    ['a CBOR array of mobiles', Buffer.concat([hex('83'), be64(0x1b, 13812345678), be64(0x1b, 13998765432), be64(0x1b, 15912345678)])],
    // After CBOR's self-describe tag 55799 (RFC 8949 3.4.6): a file that starts with A2 is taken by the OpenPGP
    // walker for an old-format compressed packet and refused archive-broken (noticed 2 Dec, on main; not this test's matter).
    ['a CBOR map with integer keys', Buffer.concat([hex('d9 d9 f7 a2 01'), be64(0x1b, 13812345678), hex('02'), be64(0x1b, 13998765432)])],
    ['a msgpack array of int 64', Buffer.concat([hex('92'), be64(0xd3, 13812345678), be64(0xd3, 13998765432)])],
    ['a mobile after a page of zeros, under its key', Buffer.concat([Buffer.alloc(64), hex('a3'), Buffer.from('tel'), be64(0xcf, 13812345678)])],
  ];
  for (const [name, body] of records) t.same(kinds((await inspectBytes(body, {}, { filename: 'contacts.bin' })).findings), ['personal-data:cn-mobile'], name);
});
