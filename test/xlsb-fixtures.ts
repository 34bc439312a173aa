// An Excel Binary Workbook (.xlsb: BIFF12 records in a zip) whose phone column is numbers (seventh red team of
// 1 Dec, R4), an id one digit an RkNumber cell, an Access database (R28); beside them, ordinary xlsb sheets of
// amounts, dates and codes and a text that names Access's signature, which stay clean.
import type { Sample } from './evasion-fixtures.js';
import { residentId, zip } from './inspect-fixtures.js';

const XLSB = 'application/vnd.ms-excel.sheet.binary.macroenabled.12';
type Cell = string | number | { rk: number } | { short: number } | { isst: number };

const varint = (n: number, max: number): number[] => {
  const o: number[] = [];
  for (let k = 0; k < max; k++) {
    const b = n & 0x7f;
    n >>>= 7;
    o.push(n ? b | 0x80 : b);
    if (!n) break;
  }
  return o;
};
const rec = (type: number, body: Buffer = Buffer.alloc(0)): Buffer => Buffer.concat([Buffer.from(varint(type, 2)), Buffer.from(varint(body.length, 4)), body]);
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const dbl = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b;
};
const wide = (s: string): Buffer => Buffer.concat([u32(s.length), Buffer.from(s, 'utf16le')]);
/** An integer as an RkNumber (30 bits, fInt set). */
const rkInt = (v: number): Buffer => u32(((v << 2) | 0x02) >>> 0);

/** A sheet part: BrtBeginSheet, BrtBeginSheetData, a BrtRowHdr and its cells a row, the ends. */
export function xlsbSheet(rows: Cell[][], strings: string[]): Buffer {
  const cell = (v: Cell, c: number): Buffer => {
    const head = Buffer.concat([u32(c), u32(0)]);
    if (typeof v === 'number') return rec(0x05, Buffer.concat([head, dbl(v)]));
    if (typeof v === 'string') {
      const k = strings.indexOf(v);
      return k >= 0 ? rec(0x07, Buffer.concat([head, u32(k)])) : rec(0x06, Buffer.concat([head, wide(v)]));
    }
    if ('rk' in v) return rec(0x02, Buffer.concat([head, rkInt(v.rk)]));
    if ('short' in v) return rec(0x10, Buffer.concat([u32(0), dbl(v.short)])); // BrtShortReal: the next column
    return rec(0x12, Buffer.concat([u32(0), u32(v.isst)])); // BrtShortIsst
  };
  return Buffer.concat([
    rec(0x81), rec(0x93, Buffer.alloc(19)), rec(0x94, Buffer.alloc(16)), rec(0x91),
    ...rows.map((cells, r) => Buffer.concat([rec(0x00, Buffer.concat([u32(r), u32(0), Buffer.from([0, 1, 0, 0, 0]), u32(0)])), ...cells.map(cell)])),
    rec(0x92), rec(0x82),
  ]);
}

export function xlsb(rows: Cell[][], strings: string[]): Buffer {
  const sst = Buffer.concat([rec(0x9f, Buffer.concat([u32(strings.length), u32(strings.length)])), ...strings.map((s) => rec(0x13, Buffer.concat([Buffer.from([0]), wide(s)]))), rec(0xa0)]);
  const wb = Buffer.concat([rec(0x83), rec(0x8f), rec(0x9c, Buffer.concat([u32(0), u32(1), wide('rId1'), wide('Sheet1')])), rec(0x90), rec(0x84)]);
  const ct = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/></Types>';
  const rels = (target: string, type: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/></Relationships>`);
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(ct) },
    { name: '_rels/.rels', data: rels('xl/workbook.bin', 'officeDocument') },
    { name: 'xl/workbook.bin', data: wb },
    { name: 'xl/_rels/workbook.bin.rels', data: rels('worksheets/sheet1.bin', 'worksheet') },
    { name: 'xl/worksheets/sheet1.bin', data: xlsbSheet(rows, strings) },
    { name: 'xl/sharedStrings.bin', data: sst },
  ]);
}

const NAMES = ['张三', '李四', '王五', '赵六', '钱七', '孙八'];
const MOBILES = [13812345678, 13998765432, 15012348765, 18611112222, 13700001111, 15899990000];

/** A Jet 4 database's pages as the red team approximated them (R28): the header page's signature, a data page of rows. */
export function accessDatabase(ace = false): Buffer {
  const page = (): Buffer => Buffer.alloc(4096);
  const head = page();
  head.write(`\x00\x01\x00\x00Standard ${ace ? 'ACE' : 'Jet'} DB\x00`, 0, 'latin1');
  head[0x14] = ace ? 2 : 1;
  const data = page();
  data[0] = 0x01;
  data[1] = 0x01;
  data.writeUInt16LE(NAMES.length, 12);
  let off = 4096;
  NAMES.forEach((n, i) => {
    const row = Buffer.concat([Buffer.from([3, 0]), Buffer.alloc(4), dbl(MOBILES[i]!), Buffer.from(n, 'utf16le'), Buffer.from([4, 0, 0x0e, 0, 0x12, 0, 0x16, 0, 2, 0x0e])]);
    off -= row.length;
    row.copy(data, off);
    data.writeUInt16LE(off, 14 + 2 * i);
  });
  return Buffer.concat([head, page(), data, page()]);
}

export function xlsbSamples(): Sample[] {
  const id = residentId('440305', '19900307', '457');
  return [
    { name: 'R4: xlsb phone book, mobiles as BrtCellReal', filename: '通讯录.xlsb', type: XLSB, body: xlsb([['姓名', '手机'], ...NAMES.map((n, i) => [n, MOBILES[i]!])], ['姓名', '手机', ...NAMES]), expect: 'personal-data' },
    { name: 'R4: xlsb phone book, mobiles as BrtShortReal after BrtShortIsst names', filename: '通讯录.xlsb', type: XLSB, body: xlsb([['姓名', '手机'], ...NAMES.map((_, i) => [{ isst: 2 + i }, { short: MOBILES[i]! }])], ['姓名', '手机', ...NAMES]), expect: 'personal-data' },
    { name: 'R4: xlsb form, an id one digit a BrtCellRk cell', filename: '申请表.xlsb', type: XLSB, body: xlsb([['身份证号码', ...[...id].map((d) => ({ rk: Number(d) }))]], ['身份证号码']), expect: 'personal-data' },
  ];
}

export function xlsbCleanSamples(): Sample[] {
  const rows: Cell[][] = [['日期', '金额', '数量', '区号', '编码']];
  for (let i = 0; i < 200; i++) rows.push([45000 + i, Math.round(i * 7919.37 * 100) / 100, { rk: i % 50 }, { rk: 755 }, 138]);
  return [
    { name: 'R4 clean: an xlsb ledger (dates, amounts, counts, area codes, code 138)', filename: '台账.xlsb', type: XLSB, body: xlsb(rows, ['日期', '金额', '数量', '区号', '编码']), expect: '' },
  ];
}

export function accessSamples(): Sample[] {
  return [
    { name: 'R28: Access 2003 .mdb (Jet 4), mobiles in a Number (Double) column', filename: '通讯录.mdb', type: 'application/x-msaccess', body: accessDatabase(), expect: 'uninspectable' },
    { name: 'R28: Access .accdb (ACE), sent as application/octet-stream', filename: 'data.bin', type: 'application/octet-stream', body: accessDatabase(true), expect: 'uninspectable' },
    { name: 'R28: Access .mdb declared application/vnd.ms-access', filename: '台账.mdb', type: 'application/vnd.ms-access', body: accessDatabase(), expect: 'uninspectable' },
  ];
}

export function accessCleanSamples(): Sample[] {
  return [
    { name: 'R28 clean: a note naming Access\'s signature (Standard Jet DB) in its text', filename: '说明.txt', type: 'text/plain', body: Buffer.from('迁移说明：旧系统的 .mdb 文件头为 "Standard Jet DB"，新系统改用 SQLite。\n'), expect: '' },
  ];
}
