// Eleven-digit numbers written as amounts, measures or literals of another base (red team 1 Dec (c) G3, G6,
// G7): a budget in yuan of 13-19.99 billion, `0x13812345678`, `GC took 13912345678 ns`. Beside them, mobiles
// that must stay refused: a phone named, a full stop after, a payer or an account named before.
import type { Sample } from './evasion-fixtures.js';

const CLEAN = [
  '收入13812345678元',
  '¥13812345678.00',
  '人民币13812345678元',
  '支出 15812345678.36 元',
  '总资产(元): 18612345678.50',
  '合计 13812345678.00',
  '一般公共预算收入 17512345678 万元',
  'long big = 0x13812345678L;',
  'INT_MAX = 0o17777777777',
  '[gc] GC took 13912345678 ns',
  'seek error at position 13812345678',
];
const MOBILE = ['手机 13812345678', '13812345678。', '电话：13812345678元', '手机：13812345678.00', '13812345678.0', '付款人 13812345678', '收款账号 13812345678', '支付宝账号：13812345678'];

export function amountFormCleanSamples(): Sample[] {
  return CLEAN.map((line, i) => ({ name: `amount or measure: ${line}`, filename: `amount${i}.txt`, type: 'text/plain', body: Buffer.from(`2026年预算执行情况\n${line}\n`), expect: '' }));
}

export function amountFormSamples(): Sample[] {
  return MOBILE.map((line, i) => ({ name: `a mobile beside the amounts: ${line}`, filename: `mobile${i}.txt`, type: 'text/plain', body: Buffer.from(`通讯录\n${line}\n`), expect: 'personal-data' }));
}
