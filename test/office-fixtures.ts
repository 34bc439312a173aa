// Office files whose content is not text in the file (fifth red team, 1 Dec
// 2026): an Excel 97–2003 phone book whose mobiles are numeric cells, an
// Outlook message whose body is compressed RTF, RTF in Big5, a classified
// label written as a key and a value apart, databases and binary records.
// Each sample must be refused with the finding named; the clean ones beside
// them are what a bureau sends every day and must cross.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import type { Test } from 'tap';
import { ID, MARK } from './evasion-fixtures.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';
import { compound, xlsCellBook, type XlsCell } from './ole2-fixtures.js';

const XLS = 'application/vnd.ms-excel';
const people: Array<[string, number]> = [['张三', 13812345678], ['李四', 13998765432], ['王五', 15012348765]];
const header: XlsCell[] = [{ r: 0, c: 0, v: '姓名' }, { r: 0, c: 1, v: '手机' }];
const phoneBook = (as: XlsCell['as']): XlsCell[] => [...header, ...people.flatMap(([n, m], i): XlsCell[] => [{ r: i + 1, c: 0, v: n }, { r: i + 1, c: 1, v: m, as }])];

/** Workbooks whose personal data is held in numeric cells. */
export function xlsNumberSamples(): Sample[] {
  const s = (name: string, cells: XlsCell[]): Sample => ({ name, filename: '通讯录.xls', type: XLS, body: xlsCellBook(cells), expect: 'personal-data' });
  return [
    s('xls: mobiles as NUMBER cells', phoneBook('number')),
    s('xls: mobiles as FORMULA cached results', phoneBook('formula')),
    // 1000 × 13812345 fits no RK integer; an id's parts do: two RK cells of one row are a MULRK.
    s('xls: an id number as 6 and 8 digits in a MULRK, the rest as text', [{ r: 0, c: 0, v: '地区' }, { r: 0, c: 1, v: '出生' }, { r: 0, c: 2, v: '顺序码' }, { r: 1, c: 0, v: Number(ID.slice(0, 6)), as: 'rk' }, { r: 1, c: 1, v: Number(ID.slice(6, 14)), as: 'rk' }, { r: 1, c: 2, v: ID.slice(14) }]),
    s('xls: an id number as a FORMULA string result', [{ r: 0, c: 0, v: '身份证号' }, { r: 1, c: 0, v: ID, as: 'formula-string' }]),
  ];
}

/** Ordinary workbooks with numbers: amounts, counts, dates, codes, a sum. */
export function xlsNumberCleanSamples(): Sample[] {
  const s = (name: string, cells: XlsCell[]): Sample => ({ name, filename: '报表.xls', type: XLS, body: xlsCellBook(cells), expect: 'clean' });
  const rows = ['办公用品', '差旅费', '会议费', '培训费', '印刷费'];
  return [
    s('xls: expenses, amounts as NUMBER and RK cells', [{ r: 0, c: 0, v: '项目' }, { r: 0, c: 1, v: '金额' }, { r: 0, c: 2, v: '件数' }, ...rows.flatMap((n, i): XlsCell[] => [{ r: i + 1, c: 0, v: n }, { r: i + 1, c: 1, v: 1234.5 * (i + 1) }, { r: i + 1, c: 2, v: 12 + i, as: 'rk' }]), { r: 6, c: 0, v: '合计' }, { r: 6, c: 1, v: 18517.5, as: 'formula' }]),
    s('xls: dates as serial numbers and years, codes', [{ r: 0, c: 0, v: '日期' }, { r: 0, c: 1, v: '年度' }, { r: 0, c: 2, v: '单位代码' }, ...[46000, 46001, 46002].flatMap((d, i): XlsCell[] => [{ r: i + 1, c: 0, v: d, as: 'rk' }, { r: i + 1, c: 1, v: 2026, as: 'rk' }, { r: i + 1, c: 2, v: 110105 + i }])]),
    s('xls: statistics, large totals and ratios', [{ r: 0, c: 0, v: '地区' }, { r: 0, c: 1, v: '人口' }, { r: 0, c: 2, v: '占比' }, ...['东区', '西区', '南区'].flatMap((n, i): XlsCell[] => [{ r: i + 1, c: 0, v: n }, { r: i + 1, c: 1, v: 1234567 * (i + 1) }, { r: i + 1, c: 2, v: 0.125 * (i + 1), as: 'rk' }])]),
  ];
}

/** A few of each class, end to end through a gateway (gateway-evasions.test.ts). */
export function officeSamples(): Sample[] {
  return [...xlsNumberSamples().filter((s) => /NUMBER|MULRK/.test(s.name)), ...msgRtfSamples(), ...big5RtfSamples(), ...sqliteSamples().slice(0, 1), ...binaryIntegerSamples().filter((x) => /msgpack records|pickle/.test(x.name))];
}

/** The ordinary documents beside them, end to end. */
export function officeCleanSamples(): Sample[] {
  return [...xlsNumberCleanSamples(), ...msgRtfCleanSamples(), ...big5RtfCleanSamples(), ...sqliteCleanSamples(), ...binaryIntegerCleanSamples()];
}

const RTF_PREFIX = Buffer.from(
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx',
  'latin1',
);

/** CRC-32 as MS-OXRTFCP computes it: from 0, no final inversion. */
function rtfCrc(b: Buffer): number {
  let c = 0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
}

/**
 * RTF compressed as Outlook stores it (MS-OXRTFCP LZFu): greedy matches of 2
 * to 17 bytes against the 4 KiB dictionary primed with the RTF prefix, the end
 * marked by a reference to the write position. `badCrc` spoils the CRC.
 */
export function lzfuCompress(raw: Buffer, opts: { badCrc?: boolean } = {}): Buffer {
  const dict = Buffer.alloc(4096);
  RTF_PREFIX.copy(dict);
  let wp = RTF_PREFIX.length;
  let filled = RTF_PREFIX.length;
  const items: Array<number | [number, number]> = [];
  const write = (c: number) => {
    dict[wp] = c;
    wp = (wp + 1) & 0xfff;
    filled = Math.min(4096, filled + 1);
  };
  for (let i = 0; i < raw.length;) {
    let best = 0;
    let at = 0;
    for (let off = 0; off < filled; off++) {
      let l = 0;
      // A match that would read the byte at the write position is not taken (it is being overwritten).
      while (l < 17 && i + l < raw.length && ((off + l) & 0xfff) !== wp && dict[(off + l) & 0xfff] === raw[i + l]) l++;
      if (l > best && off !== wp) [best, at] = [l, off];
    }
    if (best >= 2) {
      items.push([at, best]);
      for (let k = 0; k < best; k++) write(raw[i + k]!);
      i += best;
    } else write(raw[i]!), items.push(raw[i++]!);
  }
  items.push([wp, 2]);
  const out: number[] = [];
  for (let g = 0; g < items.length; g += 8) {
    let ctl = 0;
    const body: number[] = [];
    items.slice(g, g + 8).forEach((it, k) => {
      if (typeof it === 'number') body.push(it);
      else {
        ctl |= 1 << k;
        const v = (it[0] << 4) | (it[1] - 2);
        body.push(v >> 8, v & 0xff);
      }
    });
    out.push(ctl, ...body);
  }
  const comp = Buffer.from(out);
  const h = Buffer.alloc(16);
  h.writeUInt32LE(comp.length + 12, 0);
  h.writeUInt32LE(raw.length, 4);
  h.writeUInt32LE(0x75465a4c, 8);
  h.writeUInt32LE((rtfCrc(comp) ^ (opts.badCrc ? 1 : 0)) >>> 0, 12);
  return Buffer.concat([h, comp]);
}

/** Each character past ASCII as the code page's bytes escaped \'hh, as Word writes RTF. */
function rtfBytes(text: string, encoding: string, trailRaw = false): string {
  const b = iconv.encode(text, encoding);
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (b[i]! < 0x80) s += b[i] === 0x0a ? '\\par ' : String.fromCharCode(b[i]!);
    else {
      s += `\\'${b[i]!.toString(16)}`;
      // A double-byte character's trail byte under 0x80 is written as it is (Word does so for DBCS).
      if (trailRaw && i + 1 < b.length && b[i + 1]! < 0x80) s += b[++i] === 0x5c || b[i] === 0x7b || b[i] === 0x7d ? `\\${String.fromCharCode(b[i]!)}` : String.fromCharCode(b[i]!);
      else if (i + 1 < b.length && b[i + 1]! >= 0x40) s += `\\'${b[++i]!.toString(16)}`;
    }
  }
  return s;
}

/** A GBK RTF body as Outlook writes one. */
function gbkRtf(text: string): Buffer {
  return Buffer.from(`{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\pard\\f0\\fs24 ${rtfBytes(text, 'gbk')}\\par}`, 'latin1');
}

/** An Outlook .msg (a compound file of property streams) whose body is only PR_RTF_COMPRESSED. */
export function outlookMessage(subject: string, rtfCompressed: Buffer): Buffer {
  return compound([
    ['__properties_version1.0', Buffer.alloc(32)],
    ['__substg1.0_001A001F', Buffer.from('IPM.Note', 'utf16le')],
    ['__substg1.0_0037001F', Buffer.from(subject, 'utf16le')],
    ['__substg1.0_10090102', rtfCompressed],
  ]);
}

const MSG = 'application/vnd.ms-outlook';
const NOTICE = '关于召开2026年第一次工作会议的通知\n各处室：定于12月5日上午9时在三楼会议室召开会议，请准时参加。\n联系人：办公室 电话 010-6512 3456\n';

/** Messages whose body, in compressed RTF, holds a marking or an id number. */
export function msgRtfSamples(): Sample[] {
  const s = (name: string, rtf: Buffer, expect: string): Sample => ({ name, filename: '通知.msg', type: MSG, body: outlookMessage('会议通知', lzfuCompress(rtf)), expect });
  const u = (text: string) => [...text].map((c) => (c.charCodeAt(0) > 127 ? `\\u${c.charCodeAt(0)}?` : c)).join('');
  return [
    s('.msg: body only as compressed RTF, GBK escapes, a marking', gbkRtf(`${NOTICE}${MARK}\n`), 'classified-marking'),
    s('.msg: body only as compressed RTF, \\uN escapes, an id number', Buffer.from(`{\\rtf1\\ansi\\ansicpg936\\deff0\\pard ${u(`${NOTICE}身份证号 ${ID}`)}\\par}`, 'latin1'), 'personal-data'),
  ];
}

/** Ordinary messages with compressed RTF bodies. */
export function msgRtfCleanSamples(): Sample[] {
  const s = (name: string, rtf: Buffer): Sample => ({ name, filename: '会议通知.msg', type: MSG, body: outlookMessage('会议通知', lzfuCompress(rtf)), expect: 'clean' });
  return [
    s('.msg: a meeting notice in compressed RTF (GBK)', gbkRtf(`${NOTICE}附件：会议议程。商业秘密与工作秘密均按规定管理，请勿外传。\n`)),
    s('.msg: an English reply in compressed RTF', Buffer.from(`{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Calibri;}}\\pard\\f0 ${'Thanks, the report is attached. Best regards, Anna\\par '.repeat(20)}}`, 'latin1')),
  ];
}

/** RTF in a double-byte code page, its trail bytes under 0x80 written as they are (as Word writes DBCS). */
function dbcsRtf(text: string, encoding: string, cpg: number, charset: number): Buffer {
  return Buffer.from(`{\\rtf1\\ansi\\ansicpg${cpg}\\deff0{\\fonttbl{\\f0\\fnil\\fcharset${charset} MingLiU;}}\\pard\\f0\\fs24 ${rtfBytes(text, encoding, true)}\\par}`, 'latin1');
}

const BIG5_MARK = '機密★10年';
const BIG5_NOTICE = '關於加強保密管理工作的通知。各單位：請遵照執行，並於月底前回報辦理情形。\n';

/** Big5 RTF as Word writes it: a marking with trail bytes under 0x80 in the clear. */
export function big5RtfSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'notice.rtf', type: 'application/rtf', body, expect: 'classified-marking' });
  return [
    s('RTF in Big5 (\\ansicpg950), trail bytes in the clear', dbcsRtf(`${BIG5_NOTICE}${BIG5_MARK}，請遵照執行。\n`, 'big5', 950, 136)),
    s('RTF \\ansicpg1252 with a Big5 font (\\fcharset136)', dbcsRtf(`${BIG5_MARK}\n`, 'big5', 1252, 136)),
    s('RTF in GBK with a traditional character (機 is 99 43: a trail byte in the clear)', dbcsRtf(`关于工作的通知。${BIG5_MARK}\n`, 'gbk', 936, 134)),
  ];
}

/** Ordinary RTF in Big5, GBK and Western code pages. */
export function big5RtfCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'notice.rtf', type: 'application/rtf', body, expect: 'clean' });
  return [
    s('RTF in Big5, a notice with 商業秘密 and 保密協議', dbcsRtf(`${BIG5_NOTICE}本案涉及商業秘密與工作秘密，雙方已簽訂保密協議，機密性要求依規定辦理。\n`.repeat(5), 'big5', 950, 136)),
    s('RTF in GBK, trail bytes in the clear', dbcsRtf('关于加强档案管理工作的通知。各单位：请遵照执行，商业秘密按规定管理。\n'.repeat(5), 'gbk', 936, 134)),
    s('RTF in cp1252, French and German', Buffer.from(`{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\pard\\f0 ${"Le r\\'e9sum\\'e9 de la r\\'e9union: \\'e9t\\'e9 pr\\'e9vu. Gr\\'fc\\'dfe aus M\\'fcnchen, Stra\\'dfe 12.\\par ".repeat(10)}}`, 'latin1')),
  ];
}

/** A SQLite database made by SQLite itself (better-sqlite3) from a schema and rows, as an export tool writes one. */
export function sqliteFile(schema: string, table: string, rows: unknown[][], opts: { pageSize?: number; encoding?: string } = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-'));
  try {
    const file = join(dir, 'export.db');
    const db = new Database(file);
    if (opts.pageSize) db.pragma(`page_size = ${opts.pageSize}`);
    if (opts.encoding) db.pragma(`encoding = '${opts.encoding}'`);
    db.exec(schema);
    const ins = db.prepare(`INSERT INTO ${table} VALUES (${rows[0]!.map(() => '?').join(',')})`);
    db.transaction(() => {
      for (const r of rows) ins.run(...r);
    })();
    db.close();
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SQLITE = 'application/x-sqlite3';
const names = ['张三', '李四', '王五', '赵六', '钱七'];

/** Databases whose personal data is held as integers. */
export function sqliteSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'contacts.sqlite', type: SQLITE, body, expect: 'personal-data' });
  const mobiles = [13812345678, 13998765432, 15012348765, 18611112222, 17755556666];
  return [
    s('SQLite: mobiles in an INTEGER column', sqliteFile('CREATE TABLE contacts (name TEXT, mobile INTEGER)', 'contacts', names.map((n, i) => [n, mobiles[i]]))),
    s('SQLite: mobiles in an indexed INTEGER column, UTF-16 text', sqliteFile('CREATE TABLE contacts (name TEXT, mobile INTEGER); CREATE INDEX m ON contacts (mobile)', 'contacts', names.map((n, i) => [n, mobiles[i]]), { encoding: 'UTF-16le' })),
    s('SQLite: an id number as its region and birth date as integers', sqliteFile('CREATE TABLE people (name TEXT, region INTEGER, birth INTEGER, seq TEXT)', 'people', [['张三', Number(ID.slice(0, 6)), Number(ID.slice(6, 14)), ID.slice(14)]])),
  ];
}

/** Ordinary databases: amounts, counts, dates, codes. */
export function sqliteCleanSamples(): Sample[] {
  const s = (name: string, body: Buffer): Sample => ({ name, filename: 'ledger.sqlite', type: SQLITE, body, expect: 'clean' });
  const items = ['办公用品', '差旅费', '会议费', '培训费', '印刷费'];
  return [
    s('SQLite: a ledger of amounts and dates', sqliteFile('CREATE TABLE ledger (id INTEGER PRIMARY KEY, item TEXT, amount REAL, qty INTEGER, day INTEGER)', 'ledger', Array.from({ length: 400 }, (_, i) => [i + 1, items[i % 5], 1234.5 + i * 3.25, 12 + (i % 50), 20260101 + (i % 28)]))),
    s('SQLite: statistics by region code, large counts', sqliteFile('CREATE TABLE stats (region INTEGER, population INTEGER, ratio REAL)', 'stats', Array.from({ length: 200 }, (_, i) => [110101 + i, 1234567 * (i + 1), 0.125 * (i % 8)]), { pageSize: 1024 })),
  ];
}

type Rec = Record<string, string | number>;
const be64 = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
/** msgpack as a writer of uint 64 (CF) for every integer writes it. */
function msgpack(o: Rec[] | Rec | string | number): Buffer {
  if (Array.isArray(o)) return Buffer.concat([Buffer.from([0x90 | o.length]), ...o.map(msgpack)]);
  if (typeof o === 'object') return Buffer.concat([Buffer.from([0x80 | Object.keys(o).length]), ...Object.entries(o).flatMap(([k, v]) => [msgpack(k), msgpack(v)])]);
  if (typeof o === 'string') return Buffer.concat([Buffer.from([0xa0 | Buffer.byteLength(o)]), Buffer.from(o)]);
  return o < 128 ? Buffer.from([o]) : Buffer.concat([Buffer.from([0xcf]), be64(o)]);
}
/** CBOR, integers past 32 bits as 1B. */
function cbor(o: Rec[] | Rec | string | number): Buffer {
  if (Array.isArray(o)) return Buffer.concat([Buffer.from([0x80 | o.length]), ...o.map(cbor)]);
  if (typeof o === 'object') return Buffer.concat([Buffer.from([0xa0 | Object.keys(o).length]), ...Object.entries(o).flatMap(([k, v]) => [cbor(k), cbor(v)])]);
  if (typeof o === 'string') return Buffer.concat([Buffer.from([0x60 | Buffer.byteLength(o)]), Buffer.from(o)]);
  if (o < 24) return Buffer.from([o]);
  if (o < 2 ** 32) return Buffer.concat([Buffer.from([0x1a]), be64(o).subarray(4)]);
  return Buffer.concat([Buffer.from([0x1b]), be64(o)]);
}
/** BSON documents, integers as int64 (12). */
function bson(d: Rec): Buffer {
  const parts = Object.entries(d).map(([k, v]) => {
    const key = Buffer.from(`${k}\0`);
    if (typeof v === 'string') {
      const s = Buffer.from(`${v}\0`);
      const n = Buffer.alloc(4);
      n.writeInt32LE(s.length);
      return Buffer.concat([Buffer.from([0x02]), key, n, s]);
    }
    const n = Buffer.alloc(8);
    n.writeBigInt64LE(BigInt(v));
    return Buffer.concat([Buffer.from([0x12]), key, n]);
  });
  const body = Buffer.concat(parts);
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 5);
  return Buffer.concat([len, body, Buffer.from([0])]);
}
/** A protocol-4 pickle of a list of dicts of strings and integers, as pickle.dumps writes it. */
function pickle(rows: Rec[]): Buffer {
  const out: Buffer[] = [Buffer.from([0x80, 4, 0x5d, 0x94, 0x28])]; // PROTO 4, EMPTY_LIST, MEMOIZE, MARK
  for (const r of rows) {
    out.push(Buffer.from([0x7d, 0x94, 0x28])); // EMPTY_DICT, MEMOIZE, MARK
    for (const [k, v] of Object.entries(r)) {
      for (const x of [k, v]) {
        if (typeof x === 'string') {
          const s = Buffer.from(x);
          out.push(Buffer.from([0x8c, s.length]), s, Buffer.from([0x94])); // SHORT_BINUNICODE, MEMOIZE
        } else if (x < 2 ** 31) {
          const n = Buffer.alloc(4);
          n.writeInt32LE(x);
          out.push(Buffer.from([0x4a]), n); // BININT
        } else {
          let v = BigInt(x);
          const bytes: number[] = [];
          while (v > 0n || bytes.length === 0 || bytes[bytes.length - 1]! & 0x80) {
            bytes.push(Number(v & 0xffn));
            v >>= 8n;
          }
          out.push(Buffer.from([0x8a, bytes.length, ...bytes])); // LONG1
        }
      }
    }
    out.push(Buffer.from([0x75])); // SETITEMS
  }
  out.push(Buffer.from([0x65, 0x2e])); // APPENDS, STOP
  return Buffer.concat(out);
}
/** A NumPy .npy file of 64-bit integers (version 1 header, padded to a multiple of 64 bytes). */
export function npy(values: Array<number | bigint>): Buffer {
  let h = `{'descr': '<i8', 'fortran_order': False, 'shape': (${values.length},), }`;
  h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(h.length, 8);
  const data = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => data.writeBigInt64LE(BigInt(v), i * 8));
  return Buffer.concat([head, Buffer.from(h, 'latin1'), data]);
}

const contacts: Rec[] = [{ name: '张三', dept: '办公室', mobile: 13812345678 }, { name: '李四', dept: '财务处', mobile: 13998765432 }];

/** Records whose mobile numbers (or an id number) are binary integers. */
export function binaryIntegerSamples(): Sample[] {
  const s = (name: string, filename: string, body: Buffer): Sample => ({ name, filename, type: 'application/octet-stream', body, expect: 'personal-data' });
  return [
    s('msgpack records, mobiles as uint 64', 'contacts.msgpack', msgpack(contacts)),
    s('CBOR records, mobiles as uint 64', 'contacts.cbor', cbor(contacts)),
    s('BSON documents, mobiles as int64', 'contacts.bson', Buffer.concat(contacts.map(bson))),
    s('a Python pickle, mobiles as LONG1', 'contacts.pkl', pickle(contacts)),
    s('a NumPy .npy of mobiles', 'mobiles.npy', npy([13812345678, 13998765432, 15012348765])),
  ];
}

/** Ordinary records: timestamps in ms, sizes, amounts, counts. */
export function binaryIntegerCleanSamples(): Sample[] {
  const s = (name: string, filename: string, body: Buffer): Sample => ({ name, filename, type: 'application/octet-stream', body, expect: 'clean' });
  const log: Rec[] = Array.from({ length: 300 }, (_, i) => ({ ts: 1764547200000 + i * 61_000, bytes: 1_048_576 * (i + 1), user: `u${i % 17}`, status: 200 }));
  return [
    s('msgpack log records: timestamps in ms, sizes', 'log.msgpack', msgpack(log)),
    s('CBOR log records', 'log.cbor', cbor(log)),
    s('BSON documents of amounts and times', 'ledger.bson', Buffer.concat(log.slice(0, 100).map(bson))),
    s('a pickle of the same', 'log.pkl', pickle(log.slice(0, 100))),
    s('a NumPy .npy of timestamps and sizes', 'series.npy', npy(log.flatMap((r) => [r.ts as number, r.bytes as number]))),
  ];
}

/** Each sample in-process: refused with its finding named, and each clean one with no finding at all. */
export async function checkSamples(t: Test, samples: Sample[], clean: Sample[]): Promise<void> {
  for (const s of samples) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${kinds(r.findings).join(', ')}`);
  }
  for (const s of clean) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name}: clean`);
  }
}
