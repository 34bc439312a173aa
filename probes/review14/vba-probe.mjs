// review14: a VBA macro's source, stored compressed (MS-OVBA) in the project's module stream, as every .xlsm, .docm,
// .xls or .doc with macros (and WPS's .et/.wps with macros) keeps it. Office, WPS and olevba show it decompressed.
// The compression puts a flag byte every 8 tokens and replaces repeats by 2-byte copy tokens, so a string in the
// source (a marking, a phone list) is cut. Run after npm run build: node probes/review14/vba-probe.mjs
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds, residentId, zip } from '../../dist/test/inspect-fixtures.js';
import { compound } from '../../dist/test/ole2-fixtures.js';
import { ovbaCompress, ovbaDecompress } from './ovba.mjs';
const show = async (name, b, filename, declaredType) => { const r = await inspectBytes(b, {}, { filename, declaredType }); console.log(name.padEnd(66), JSON.stringify(kinds(r.findings))); return r; };
const gbk = (s) => iconv.encode(s, 'gb18030');
const u16 = (s) => Buffer.from(s, 'utf16le');
// A dir stream (MS-OVBA 2.3.4.2) for one standard module, code page 936.
function dirStream(mod) {
  const rec = (id, data) => { const h = Buffer.alloc(6); h.writeUInt16LE(id, 0); h.writeUInt32LE(data.length, 2); return Buffer.concat([h, data]); };
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const u16b = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
  const name = Buffer.from('VBAProject');
  const parts = [
    rec(0x01, u32(1)), rec(0x4a, u32(0)), rec(0x02, u32(0x0804)), rec(0x14, u32(0x0804)), rec(0x03, u16b(936)),
    rec(0x04, name), rec(0x05, Buffer.alloc(0)), Buffer.concat([u16b(0x40), u32(0)]), rec(0x06, Buffer.alloc(0)), Buffer.concat([u16b(0x3d), u32(0)]),
    rec(0x07, u32(0)), rec(0x08, u32(0)),
    (() => { const h = Buffer.alloc(12); h.writeUInt16LE(0x09, 0); h.writeUInt32LE(4, 2); h.writeUInt32LE(0x65be0257, 6); h.writeUInt16LE(0x11, 10); return h; })(),
    rec(0x0c, Buffer.alloc(0)), Buffer.concat([u16b(0x3c), u32(0)]),
    rec(0x0f, u16b(1)), rec(0x13, u16b(0xffff)),
    rec(0x19, Buffer.from(mod)), Buffer.concat([u16b(0x47), u32(mod.length * 2), u16(mod)]),
    rec(0x1a, Buffer.from(mod)), Buffer.concat([u16b(0x32), u32(mod.length * 2), u16(mod)]),
    rec(0x1c, Buffer.alloc(0)), Buffer.concat([u16b(0x48), u32(0)]),
    rec(0x31, u32(0)), rec(0x1e, u32(0)), rec(0x2c, u16b(0)), rec(0x21, Buffer.alloc(0)),
    rec(0x2b, Buffer.alloc(0)), rec(0x10, Buffer.alloc(0)),
  ];
  return Buffer.concat(parts);
}
function vbaProject(source, mod = 'Module1') {
  const src = gbk(source);
  const module = ovbaCompress(src);
  if (!ovbaDecompress(module).equals(src)) throw new Error('round trip');
  const project = Buffer.from(`ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=${mod}\r\nName="VBAProject"\r\nHelpContextID="0"\r\nVersionCompatible32="393222000"\r\nCMG=""\r\nDPB=""\r\nGC=""\r\n\r\n[Host Extender Info]\r\n&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n`);
  const vbaProj = Buffer.from([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]);
  return { bin: compound([['PROJECT', project], ['PROJECTwm', Buffer.concat([Buffer.from(mod), Buffer.alloc(1), u16(mod), Buffer.alloc(4)])], ['VBA/_VBA_PROJECT', vbaProj], ['VBA/dir', ovbaCompress(dirStream(mod))], [`VBA/${mod}`, module]]), module };
}
const head = 'Attribute VB_Name = "Module1"\r\n';
const cases = {
  'control (plain .txt of the source)': null,
  'MsgBox "机密★10年"': `${head}Sub 提示()\r\n    MsgBox "文件密级：机密★10年"\r\nEnd Sub\r\n`,
  'marking on a sheet by a macro, twice (copy tokens)': `${head}Sub 标记()\r\n    Range("A1").Value = "机密★10年"\r\n    Range("A2").Value = "机密★10年"\r\nEnd Sub\r\n`,
  'comment line 机密★10年': `${head}' 机密★10年\r\nSub A()\r\nEnd Sub\r\n`,
  'phone list in an array': `${head}Function 通讯录()\r\n    通讯录 = Array("张三 13812345678", "李四 13998765432", "王五 15012348765")\r\nEnd Function\r\n`,
  'resident id in a string': `${head}Const 身份证号 = "${residentId('440305', '19900307', '457')}"\r\n`,
};
for (const [name, source] of Object.entries(cases)) {
  if (!source) { await show(name, gbk(Object.values(cases)[1]), 'Module1.bas', 'text/plain'); continue; }
  const { bin, module } = vbaProject(source);
  console.log('   compressed module bytes:', JSON.stringify(iconv.decode(module, 'gb18030').replace(/[\0-\x1f]/g, '·')));
  await show(`vbaProject.bin: ${name}`, bin, 'vbaProject.bin', 'application/vnd.ms-office.vbaProject');
  await show(`  in an .xlsm: ${name}`, zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>') },
    { name: 'xl/vbaProject.bin', data: bin },
  ]), '报表.xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12');
}
process.exit(0);
