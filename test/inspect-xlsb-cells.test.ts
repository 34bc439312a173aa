import { inflateRawSync } from 'node:zlib';
import t from 'tap';
import { inspectBytes, kinds, zip } from './inspect-fixtures.js';
import { expectClean, expectFound } from './sample-checks.js';
import { accessCleanSamples, accessSamples, xlsbCleanSamples, xlsbSamples } from './xlsb-fixtures.js';

// Seventh red team of 1 Dec, R4: an .xlsb sheet's number cells (BrtCellReal, BrtShortReal, BrtCellRk) read as a
// CSV row's; R28: an Access database is uninspectable. The same samples go through a gateway in gateway-evasions.
t.test('numbers in an xlsb sheet are read', (t) => expectFound(t, xlsbSamples()));

t.test('an ordinary xlsb ledger stays clean', (t) => expectClean(t, xlsbCleanSamples()));

t.test('an Access database is uninspectable', (t) => expectFound(t, accessSamples()));

// Typed application/x-msaccess (file-type names none): its declared aliases agree, and that type is what an operator allows.
t.test('an Access database is typed application/x-msaccess, its aliases no mismatch', async (t) => {
  for (const s of accessSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(kinds(r.findings), ['uninspectable:application/x-msaccess'], s.name);
    t.equal(r.sniffedType, 'application/x-msaccess', `${s.name}: sniffed type`);
  }
});

t.test('a text naming Access\'s signature stays clean', (t) => expectClean(t, accessCleanSamples()));

// review10: an .xlsb form whose digit boxes are shared strings (BrtCellIsst, BrtShortIsst: Excel keeps text cells
// so) was read with those cells empty, and the id or mobile crossed (R3's xlsx form, in the binary workbook Excel
// saves on request). The sheet's runs go to the workbook, xl/sharedStrings.bin's strings resolve them. Clean before
// the fix: the four samples; the score sheets stay clean.
t.test('digit boxes as shared strings in an xlsb are read', async (t) => {
  const { xlsb } = await import('./xlsb-fixtures.js');
  const { residentId } = await import('./inspect-fixtures.js');
  const id = residentId('440305', '19900307', '457');
  const digits = [...'0123456789X'];
  const samples: Array<[string, Buffer]> = [
    ['the id one digit a BrtCellIsst', xlsb([['身份证号码', ...[...id]]], ['身份证号码', ...digits])],
    ['the id one digit a BrtShortIsst', xlsb([['身份证号码', ...[...id].map((d) => ({ isst: 1 + digits.indexOf(d) }))]], ['身份证号码', ...digits])],
    ['a mobile one digit a shared string after 手机', xlsb([['手机', ...'13812345678']], ['手机', ...digits])],
    ['the shared strings before the sheet', xlsbStringsFirst(xlsb([['联系电话', ...'15012348765']], ['联系电话', ...digits]))],
  ];
  for (const [name, body] of samples) {
    const r = await inspectBytes(body, {}, { filename: '申请表.xlsb' });
    t.ok(kinds(r.findings).some((k) => k.startsWith('personal-data')), `${name}: ${kinds(r.findings).join(', ')}`);
  }
  const scores = await inspectBytes(xlsb([['成绩', ...'897968758697'], ['工号', ...'1380013800'], ['商业秘密', ...'1234567']], ['成绩', '工号', '商业秘密', ...digits]), {}, { filename: '成绩.xlsb' });
  t.same(kinds(scores.findings), [], 'scores one digit a shared string, a ten-digit staff number, 商业秘密 and seven digits');
});

/** The same xlsb with xl/sharedStrings.bin moved before the sheet in the zip (the zip rewritten from its entries). */
function xlsbStringsFirst(z: Buffer): Buffer {
  // The fixture's zip writer takes entries; read them back from the local headers (stored names, deflated data).
  const entries: Array<{ name: string; data: Buffer }> = [];
  for (let at = 0; z.readUInt32LE(at) === 0x04034b50; ) {
    const csize = z.readUInt32LE(at + 18);
    const nlen = z.readUInt16LE(at + 26);
    const xlen = z.readUInt16LE(at + 28);
    const name = z.toString('utf8', at + 30, at + 30 + nlen);
    const start = at + 30 + nlen + xlen;
    entries.push({ name, data: inflateRawSync(z.subarray(start, start + csize)) });
    at = start + csize;
  }
  const s = entries.findIndex((e) => e.name === 'xl/sharedStrings.bin');
  const [strings] = entries.splice(s, 1);
  entries.splice(0, 0, strings!);
  return zip(entries);
}
