// Office files whose content is not text in the file (fifth red team, 1 Dec
// 2026): an Excel 97–2003 phone book whose mobiles are numeric cells, an
// Outlook message whose body is compressed RTF, RTF in Big5, a classified
// label written as a key and a value apart, databases and binary records.
// Each sample must be refused with the finding named; the clean ones beside
// them are what a bureau sends every day and must cross.
import { ID } from './evasion-fixtures.js';
import type { Sample } from './evasion-fixtures.js';
import { xlsCellBook, type XlsCell } from './ole2-fixtures.js';

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
  return [...xlsNumberSamples().filter((s) => /NUMBER|MULRK/.test(s.name))];
}

/** The ordinary documents beside them, end to end. */
export function officeCleanSamples(): Sample[] {
  return [...xlsNumberCleanSamples()];
}
