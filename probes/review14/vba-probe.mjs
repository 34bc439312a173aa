// review14: a VBA macro's source, stored compressed (MS-OVBA) in the project's module stream, as every .xlsm, .docm,
// .xls or .doc with macros (and WPS's .et/.wps with macros) keeps it. Office, WPS and olevba show it decompressed.
// The compression puts a flag byte every 8 tokens and replaces repeats by 2-byte copy tokens, so a string in the
// source (a marking, a phone list) is cut. Crossed before review14's fix (now read: vba-project.ts).
// Run after npm run build: node probes/review14/vba-probe.mjs
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds, residentId } from '../../dist/test/inspect-fixtures.js';
import { compound } from '../../dist/test/ole2-fixtures.js';
import { ovbaCompress, vbaStreams, xlsm } from '../../dist/test/review14-fixtures.js';
import { ovbaDecompress } from '../../dist/gateway/inspect/documents/vba-project.js';
const show = async (name, b, filename, declaredType) => { const r = await inspectBytes(b, {}, { filename, declaredType }); console.log(name.padEnd(66), JSON.stringify(kinds(r.findings))); return r; };
const head = 'Attribute VB_Name = "Module1"\r\n';
const cases = {
  'MsgBox "机密★10年"': `${head}Sub 提示()\r\n    MsgBox "文件密级：机密★10年"\r\nEnd Sub\r\n`,
  'marking on a sheet by a macro, twice (copy tokens)': `${head}Sub 标记()\r\n    Range("A1").Value = "机密★10年"\r\n    Range("A2").Value = "机密★10年"\r\nEnd Sub\r\n`,
  'comment line 机密★10年': `${head}' 机密★10年\r\nSub A()\r\nEnd Sub\r\n`,
  'phone list in an array': `${head}Function 通讯录()\r\n    通讯录 = Array("张三 13812345678", "李四 13998765432", "王五 15012348765")\r\nEnd Function\r\n`,
  'resident id in a string': `${head}Const 身份证号 = "${residentId('440305', '19900307', '457')}"\r\n`,
};
for (const [name, source] of Object.entries(cases)) {
  const src = iconv.encode(source, 'gb18030');
  const module = ovbaCompress(src);
  const back = ovbaDecompress(module, 0, 1 << 20);
  console.log('   round trip:', back.ok && back.out.equals(src), ' compressed:', JSON.stringify(iconv.decode(module, 'gb18030').replace(/[\0-\x1f]/g, '·')));
  await show(`  in an .xlsm: ${name}`, xlsm(compound(vbaStreams('', [['Module1', source]]))), '报表.xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12');
}
process.exit(0);
