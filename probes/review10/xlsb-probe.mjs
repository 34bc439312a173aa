// review10: xlsb twists. (1) an id one digit a shared string (BrtCellIsst: the cell is left empty in the view;
// the shared strings are read as UTF-16 text apart), the xlsx R3 form in xlsb; (2) a mobile shown through a number
// format "138"00000000 (R14's xlsx form: xlsb styles are not read); (3) the id as BrtCellRk after a label string cell.
import { xlsb } from '../../dist/test/xlsb-fixtures.js';
import { residentId, inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const id = residentId('440305', '19900307', '457');
const digits = [...'0123456789'];
const cases = {
  'id one digit a shared string (BrtCellIsst)': xlsb([['身份证号码', ...[...id]]], ['身份证号码', ...digits]),
  'id one digit a short shared string (BrtShortIsst)': xlsb([['身份证号码', ...[...id].map((d) => ({ isst: 1 + Number(d) }))]], ['身份证号码', ...digits]),
  'id one digit an inline string (BrtCellSt)': xlsb([['身份证号码', ...[...id]]], ['身份证号码']),
  'mobile one digit a shared string after 手机': xlsb([['手机', ...'13812345678']], ['手机', ...digits]),
};
for (const [name, body] of Object.entries(cases)) {
  const r = await inspectBytes(body, {}, { filename: '申请表.xlsb' });
  console.log(name.padEnd(52), JSON.stringify(kinds(r.findings)));
}
