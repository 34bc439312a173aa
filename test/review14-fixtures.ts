// review14's samples: HZ text as a mail client writes it (a character whose trail byte is `~`, shifts out and back
// in, continuations), and VBA macro projects whose module source is stored compressed (MS-OVBA).
import iconv from 'iconv-lite';
import type { Sample } from './evasion-fixtures.js';
import { hzEncode } from './evasion-fixtures.js';
import { zip } from './inspect-fixtures.js';
import { compound } from './ole2-fixtures.js';

const mail = (body: string): string =>
  `From: a@example.gov.cn\r\nTo: b@example.gov.cn\r\nSubject: notice\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=HZ-GB-2312\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}\r\n`;

export function hzSamples(): Sample[] {
  const s = (name: string, body: string): Sample => ({ name, filename: 'notice.eml', type: 'message/rfc822', body: Buffer.from(mail(body)), expect: 'classified-marking' });
  return [
    // 件 is `<~` in HZ (BC FE): its ~ was taken for an escape and every pair after it was read one byte off.
    s('HZ: 文件密级：机密★10年 (件 ends in ~)', hzEncode('各处室：\r\n文件密级：机密★10年\r\n')),
    s('HZ: a 件 first, the marking later on the line', hzEncode('附件一 文件密级：机密★10年')),
    s('HZ: an empty shift ~{~} between 机 and 密', `${hzEncode('密级：机')}~{~}${hzEncode('密★10年')}`),
    s('HZ: a continuation ~ and a line break between 机 and 密', `${hzEncode('密级：机')}~\r\n${hzEncode('密★10年')}`),
    s('HZ: shifted out and back in between 机 and 密', hzEncode('密级：机').slice(0, -2) + '~}~{' + hzEncode('密★10年').slice(2)),
  ];
}

export function hzCleanSamples(): Sample[] {
  const s = (name: string, body: string): Sample => ({ name, filename: 'notice.eml', type: 'message/rfc822', body: Buffer.from(mail(body)), expect: '' });
  return [
    s('HZ: 附件 and a 保密协议, shifts and continuations', `${hzEncode('附件：保密协议')}~{~}${hzEncode('（商业秘密）')}~\r\n${hzEncode('文件已收到，工作秘密不外传。')}`),
    s('HZ-looking code: x~{ y ~} and ~{~}', 'if (a ~{ b) { c ~} d; }\r\nvar e = "~{~}";\r\n'),
  ];
}

/** MS-OVBA 2.4.1.3.7 compression as the spec's pseudocode writes it: greedy longest matches within a 4 KiB chunk. */
export function ovbaCompress(src: Buffer): Buffer {
  const out: number[] = [1];
  for (let start = 0; start < src.length; start += 4096) {
    const end = Math.min(start + 4096, src.length);
    const chunk: number[] = [];
    let cur = start;
    while (cur < end) {
      const flagAt = chunk.length;
      chunk.push(0);
      let flag = 0;
      for (let k = 0; k < 8 && cur < end; k++) {
        const bits = Math.max(Math.ceil(Math.log2(cur - start)), 4);
        const maxLen = (0xffff >> bits) + 3;
        let bestLen = 0;
        let bestOff = 0;
        for (let c = cur - 1; c >= start; c--) {
          let l = 0;
          while (cur + l < end && l < maxLen && src[c + l] === src[cur + l]) l++;
          if (l > bestLen) [bestLen, bestOff] = [l, cur - c];
        }
        if (bestLen >= 3) {
          const token = ((bestOff - 1) << (16 - bits)) | (bestLen - 3);
          chunk.push(token & 0xff, token >> 8);
          flag |= 1 << k;
          cur += bestLen;
        } else chunk.push(src[cur++]!);
      }
      chunk[flagAt] = flag;
    }
    const header = ((chunk.length + 2 - 3) & 0xfff) | (3 << 12) | (1 << 15);
    out.push(header & 0xff, header >> 8, ...chunk);
  }
  return Buffer.from(out);
}

const u16le = (s: string): Buffer => Buffer.from(s, 'utf16le');
const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
};
const rec = (id: number, data: Buffer): Buffer => Buffer.concat([u16(id), u32(data.length), data]);

/** A `dir` stream (MS-OVBA 2.3.4.2) for standard modules, code page 936, each source at `offset` in its stream. */
export function vbaDirStream(modules: string[], offset = 0): Buffer {
  return Buffer.concat([
    rec(0x01, u32(1)), rec(0x4a, u32(0)), rec(0x02, u32(0x0804)), rec(0x14, u32(0x0804)), rec(0x03, u16(936)),
    rec(0x04, Buffer.from('VBAProject')), rec(0x05, Buffer.alloc(0)), rec(0x40, Buffer.alloc(0)), rec(0x06, Buffer.alloc(0)), rec(0x3d, Buffer.alloc(0)),
    rec(0x07, u32(0)), rec(0x08, u32(0)),
    Buffer.concat([u16(0x09), u32(4), u32(0x65be0257), u16(0x11)]), // PROJECTVERSION: 6 bytes under a size of 4
    rec(0x0c, Buffer.alloc(0)), rec(0x3c, Buffer.alloc(0)),
    rec(0x0f, u16(modules.length)), rec(0x13, u16(0xffff)),
    ...modules.map((m) => Buffer.concat([
      rec(0x19, Buffer.from(m)), rec(0x47, u16le(m)), rec(0x1a, Buffer.from(m)), rec(0x32, u16le(m)), rec(0x1c, Buffer.alloc(0)), rec(0x48, Buffer.alloc(0)),
      rec(0x31, u32(offset)), rec(0x1e, u32(0)), rec(0x2c, u16(0xffff)), rec(0x21, Buffer.alloc(0)), rec(0x2b, Buffer.alloc(0)),
    ])),
    rec(0x10, Buffer.alloc(0)),
  ]);
}

/**
 * The streams of a VBA project under `storage` ('' in a vbaProject.bin, `Macros/` in a .doc, `_VBA_PROJECT_CUR/` in
 * a .xls): modules (name, source in GBK), each source compressed after `cache` bytes of a performance cache.
 */
export function vbaStreams(storage: string, modules: Array<[string, string]>, cache = Buffer.alloc(0)): Array<[string, Buffer]> {
  const names = modules.map(([n]) => n);
  const project = `ID="{00000000-0000-0000-0000-000000000000}"\r\n${names.map((n) => `Module=${n}\r\n`).join('')}Name="VBAProject"\r\nHelpContextID="0"\r\nVersionCompatible32="393222000"\r\n\r\n[Host Extender Info]\r\n&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n`;
  return [
    [`${storage}PROJECT`, Buffer.from(project)],
    [`${storage}VBA/_VBA_PROJECT`, Buffer.from([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00])],
    [`${storage}VBA/dir`, ovbaCompress(vbaDirStream(names, cache.length))],
    ...modules.map(([n, src]): [string, Buffer] => [`${storage}VBA/${n}`, Buffer.concat([cache, ovbaCompress(iconv.encode(src, 'gb18030'))])]),
  ];
}

/** An .xlsm whose xl/vbaProject.bin is `bin`. */
export function xlsm(bin: Buffer): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>') },
    { name: 'xl/vbaProject.bin', data: bin },
  ]);
}

const XLSM = 'application/vnd.ms-excel.sheet.macroEnabled.12';
const MOD = 'Attribute VB_Name = "Module1"\r\n';
const CLEAN_MACRO = `${MOD}' 设置表头格式，按部门汇总（保密协议另附）\r\nSub 汇总()\r\n    Dim i As Long\r\n    For i = 2 To 200\r\n        Cells(i, 5).Value = Cells(i, 3).Value * Cells(i, 4).Value\r\n    Next i\r\n    Range("A1").Value = "年度工作总结（商业秘密、工作秘密不得外传）"\r\n    MsgBox "汇总完成，共 " & (i - 2) & " 行"\r\nEnd Sub\r\n`;

export function vbaSamples(id: string): Sample[] {
  const s = (name: string, filename: string, type: string, body: Buffer, expect: string): Sample => ({ name, filename, type, body, expect });
  const one = (src: string): Buffer => compound(vbaStreams('', [['Module1', src]]));
  return [
    s('xlsm: MsgBox "文件密级：机密★10年"', '报表.xlsm', XLSM, xlsm(one(`${MOD}Sub 提示()\r\n    MsgBox "文件密级：机密★10年"\r\nEnd Sub\r\n`)), 'classified-marking'),
    s('xlsm: the marking twice (the second a copy token)', '报表.xlsm', XLSM, xlsm(one(`${MOD}Sub 标记()\r\n    Range("A1").Value = "机密★10年"\r\n    Range("A2").Value = "机密★10年"\r\nEnd Sub\r\n`)), 'classified-marking'),
    s('xlsm: phone numbers in an Array()', '报表.xlsm', XLSM, xlsm(one(`${MOD}Function 通讯录()\r\n    通讯录 = Array("张三 13812345678", "李四 13998765432", "王五 15012348765")\r\nEnd Function\r\n`)), 'personal-data'),
    s('xlsm: a resident id in a Const', '报表.xlsm', XLSM, xlsm(one(`${MOD}Const 身份证号 = "${id}"\r\n`)), 'personal-data'),
    s('doc: a Macros/VBA project after a performance cache', '通知.doc', 'application/msword', compound([['WordDocument', Buffer.alloc(512)], ...vbaStreams('Macros/', [['NewMacros', `Attribute VB_Name = "NewMacros"\r\nSub 页眉()\r\n    ActiveDocument.Sections(1).Headers(1).Range.Text = "机密★10年"\r\nEnd Sub\r\n`]], Buffer.from('\u00cc\u0061\u00b2\u0000 p-code cache '.repeat(20), 'latin1'))]), 'classified-marking'),
    s('xlsm: the marking in the second module of a long project (past one 4 KiB chunk)', '报表.xlsm', XLSM, xlsm(compound(vbaStreams('', [['Module1', CLEAN_MACRO], ['Module2', `Attribute VB_Name = "Module2"\r\n${"' 说明：按月汇总各处室报送的材料\r\n".repeat(150)}Sub 标记()\r\n    Range("A1").Value = "文件密级：秘密★5年"\r\nEnd Sub\r\n`]]))), 'classified-marking'),
    s('xlsm: a dir stream that does not decompress', '报表.xlsm', XLSM, xlsm(compound(vbaStreams('', [['Module1', CLEAN_MACRO]]).map(([n, b]): [string, Buffer] => [n, n.endsWith('dir') ? Buffer.concat([Buffer.from([1, 0xff, 0x0f]), b.subarray(3)]) : b]))), 'uninspectable'),
  ];
}

export function vbaCleanSamples(): Sample[] {
  const s = (name: string, filename: string, type: string, body: Buffer): Sample => ({ name, filename, type, body, expect: '' });
  return [
    s('xlsm: an ordinary summing macro with Chinese comments and strings', '报表.xlsm', XLSM, xlsm(compound(vbaStreams('', [['Module1', CLEAN_MACRO]])))),
    s('xlsm: two modules, one longer than a chunk', '报表.xlsm', XLSM, xlsm(compound(vbaStreams('', [['Module1', CLEAN_MACRO], ['Module2', `Attribute VB_Name = "Module2"\r\n${"' 说明：按月汇总各处室报送的材料，金额单位为元\r\n".repeat(150)}`]])))),
    s('doc: a Macros/VBA project after a performance cache', '通知.doc', 'application/msword', compound([['WordDocument', Buffer.alloc(512)], ...vbaStreams('Macros/', [['NewMacros', CLEAN_MACRO.replace('Module1', 'NewMacros')]], Buffer.from('\u00cc\u0061\u00b2\u0000 p-code cache '.repeat(20), 'latin1'))])),
  ];
}

const b64 = (b: Buffer): string => b.toString('base64');
const subject = (words: string): Buffer => Buffer.from(`From: a@example.gov.cn\r\nTo: b@example.gov.cn\r\nSubject: ${words}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n请查收。\r\n`);

/** Encoded words side by side in different charsets (a client that re-encodes part of a subject writes them so). */
export function mixedWordSamples(): Sample[] {
  const gb = (s: string): string => `=?GB2312?B?${b64(iconv.encode(s, 'gb18030'))}?=`;
  const u8 = (s: string): string => `=?UTF-8?B?${b64(Buffer.from(s))}?=`;
  const big5 = (s: string): string => `=?Big5?B?${b64(iconv.encode(s, 'big5'))}?=`;
  const s = (name: string, words: string): Sample => ({ name, filename: 'notice.eml', type: 'message/rfc822', body: subject(words), expect: 'classified-marking' });
  return [
    s('Subject: GB2312 word 机, UTF-8 word 密★10年', `${gb('机')} ${u8('密★10年')}`),
    s('Subject: UTF-8 word 机, GB2312 word 密★10年 (folded)', `${u8('机')}\r\n ${gb('密★10年')}`),
    s('Subject: GB2312 word 关于机, UTF-8 word 密★10年文件', `${gb('关于机')} ${u8('密★10年文件')}`),
    s('Subject: Big5 word 機, UTF-8 word 密★10年', `${big5('密級：機')} ${u8('密★10年')}`),
  ];
}

export function mixedWordCleanSamples(): Sample[] {
  const s = (name: string, words: string): Sample => ({ name, filename: 'notice.eml', type: 'message/rfc822', body: subject(words), expect: '' });
  const u8 = Buffer.from('关于保密协议的通知');
  return [
    s('Subject: GB2312 and UTF-8 words of an ordinary subject', `=?GB2312?B?${b64(iconv.encode('关于商业秘密', 'gb18030'))}?= =?UTF-8?B?${b64(Buffer.from('保护的通知'))}?=`),
    // A character cut between two words of one charset still joins (RFC 2047 forbids it; clients read it).
    s('Subject: one UTF-8 subject cut inside a character', `=?UTF-8?B?${b64(u8.subarray(0, 7))}?= =?utf-8?B?${b64(u8.subarray(7))}?=`),
  ];
}

/** Text padded with 。 (or spaces for ASCII) to `n` bytes in its encoding. */
function padTo(text: string, n: number, enc: 'gb18030' | 'utf8'): Buffer {
  let b = iconv.encode(text, enc);
  while (b.length < n) b = Buffer.concat([b, Buffer.from(n - b.length >= 2 && enc === 'gb18030' ? [0xa1, 0xa3] : [0x20])]);
  return b.subarray(0, n);
}

/** Base64 of 46 and 47 bytes: 62 or 63 characters and their padding, 64 in all (a run opens at 64 characters of data). */
export function base64EdgeSamples(): Sample[] {
  const out: Sample[] = [];
  for (const n of [46, 47]) {
    for (const [name, b, expect] of [
      ['GBK memo', padTo('各处室：\r\n文件密级：机密★10年\r\n请按时报送。', n, 'gb18030'), 'classified-marking'],
      ['UTF-8 memo', padTo('文件密级：机密★10年 请按时报送', n, 'utf8'), 'classified-marking'],
      ['a phone number', padTo('contact: Zhang San, mobile 13812345678, office', n, 'utf8'), 'personal-data'],
    ] as Array<[string, Buffer, string]>) {
      const b64 = b.toString('base64');
      out.push({ name: `base64 of ${n} bytes (${b64.length} characters): ${name}, alone`, filename: 'a.txt', type: 'text/plain', body: Buffer.from(`token: ${b64}\n`), expect });
      out.push({ name: `base64 of ${n} bytes: ${name}, a mail body`, filename: 'a.eml', type: 'message/rfc822', body: Buffer.from(`Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`), expect });
    }
  }
  return out;
}

export function base64EdgeCleanSamples(): Sample[] {
  const out: Sample[] = [];
  let seed = 14;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (const n of [46, 47]) {
    out.push({ name: `base64 of ${n} bytes of an ordinary notice`, filename: 'a.eml', type: 'message/rfc822', body: Buffer.from(`Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: base64\r\n\r\n${padTo('各处室：请于本月底前报送年度工作总结（保密协议另附）。', n, 'gb18030').toString('base64')}\r\n`), expect: '' });
    out.push({ name: `base64 of ${n} random bytes (a key)`, filename: 'a.txt', type: 'text/plain', body: Buffer.from(`key: ${Buffer.from(Array.from({ length: n }, rnd)).toString('base64')}\n`), expect: '' });
  }
  return out;
}

const svgDoc = (inner: string): Buffer =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="400">${inner}<text x="10" y="300">关于做好年度工作总结的通知</text></svg>`);

/** SVG text reversed by the presentation attributes direction and unicode-bidi (as a style sets them). */
export function svgBidiSamples(): Sample[] {
  const s = (name: string, inner: string): Sample => ({ name, filename: 'head.svg', type: 'image/svg+xml', body: svgDoc(inner), expect: 'classified-marking' });
  return [
    s('SVG text direction="rtl" unicode-bidi="bidi-override"', '<text x="300" y="50" direction="rtl" unicode-bidi="bidi-override">年01★密机：级密件文</text>'),
    s('SVG tspan with the attributes', '<text x="300" y="50"><tspan direction="rtl" unicode-bidi="bidi-override">年01★密机</tspan></text>'),
  ];
}

export function svgBidiCleanSamples(): Sample[] {
  const s = (name: string, inner: string): Sample => ({ name, filename: 'head.svg', type: 'image/svg+xml', body: svgDoc(inner), expect: '' });
  return [
    s('SVG: an ordinary title reversed for display', '<text x="300" y="50" direction="rtl" unicode-bidi="bidi-override">知通的议协密保于关</text>'),
    s('SVG: direction="rtl" alone, a marking stored backwards is shown backwards', '<text x="300" y="50" direction="rtl">年01★密机</text>'),
  ];
}

const rtfDoc = (body: string): Buffer => Buffer.from(`{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0 ${body}\\par}`);
const rtfGbk = (s: string): string => [...iconv.encode(s, 'gb18030')].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\'${b.toString(16)}`)).join('');

/** Hidden text (`\v`) in RTF between a marking's characters: Word does not show it. */
export function rtfHiddenSamples(): Sample[] {
  const s = (name: string, body: string, expect = 'classified-marking'): Sample => ({ name, filename: '通知.rtf', type: 'application/rtf', body: rtfDoc(body), expect });
  return [
    s('RTF: {\\v …} between 机 and 密', `${rtfGbk('文件密级：机')}{\\v ${rtfGbk('（此处为内部批注文字）')}}${rtfGbk('密★10年')}`),
    s('RTF: \\v … \\v0 in one group between 机 and 密', `${rtfGbk('文件密级：机')}\\v ${rtfGbk('批注批注批注')}\\v0 ${rtfGbk('密★10年')}`),
    s('RTF: \\v … \\plain between 机 and 密', `${rtfGbk('文件密级：机')}\\v ${rtfGbk('批注批注批注')}\\plain\\f0 ${rtfGbk('密★10年')}`),
    s('RTF: hidden text between a mobile\'s digits', `${rtfGbk('联系电话：138')}{\\v abcdefgh}12345678`, 'personal-data'),
    s('RTF: a marking in hidden text itself is still read', `${rtfGbk('各处室：')}{\\v ${rtfGbk('机密★10年')}}${rtfGbk('请查收。')}`),
  ];
}

export function rtfHiddenCleanSamples(): Sample[] {
  const s = (name: string, body: string): Sample => ({ name, filename: '通知.rtf', type: 'application/rtf', body: rtfDoc(body), expect: '' });
  return [
    s('RTF: ordinary hidden notes', `${rtfGbk('关于做好年度工作总结的通知')}{\\v ${rtfGbk('（保密协议另附）')}}${rtfGbk('各处室：请按时报送。')}\\v ${rtfGbk('商业秘密')}\\v0 ${rtfGbk('工作秘密不得外传')}`),
  ];
}
