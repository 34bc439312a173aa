// Ninth red team (redteam9, 2 Dec; probes lost, samples rebuilt here), W6: yEnc (yEnc 1.3 draft: each byte as
// (byte + 42) mod 256, NUL LF CR and = escaped as = and the byte + 64, lines of 128) crossed: its text is 8-bit and
// no reading decoded it. No yEnc encoder is on the machine: the encoder below is written to the draft.
import { docx, residentId } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const ID = residentId('440305', '19900307', '457');

/** yEnc's data lines for `data` (critical bytes escaped, lines of `line` characters). */
export function yencLines(data: Buffer, line = 128, lineBreak = '\r\n'): Buffer {
  const out: number[] = [];
  const br = [...Buffer.from(lineBreak)];
  let col = 0;
  for (const b of data) {
    const e = (b + 42) & 0xff;
    if (e === 0x00 || e === 0x0a || e === 0x0d || e === 0x3d || (col === 0 && (e === 0x2e || e === 0x09 || e === 0x20))) {
      out.push(0x3d, (e + 64) & 0xff);
      col += 2;
    } else {
      out.push(e);
      col++;
    }
    if (col >= line) {
      out.push(...br);
      col = 0;
    }
  }
  if (col) out.push(...br);
  return Buffer.from(out);
}

/** A single-part yEnc block. */
export function yenc(data: Buffer, name: string): Buffer {
  return Buffer.concat([Buffer.from(`=ybegin line=128 size=${data.length} name=${name}\r\n`), yencLines(data), Buffer.from(`=yend size=${data.length}\r\n`)]);
}

/** Part k of `total` of a multi-part post of `data`: its bytes a to b (=ypart begin=a+1 end=b). */
export function yencPart(data: Buffer, name: string, k: number, total: number, a: number, b: number, trailer = ''): Buffer {
  return Buffer.concat([Buffer.from(`=ybegin part=${k} total=${total} line=128 size=${data.length} name=${name}\r\n=ypart begin=${a + 1} end=${b}\r\n`), yencLines(data.subarray(a, b)), Buffer.from(`=yend size=${b - a} part=${k}${trailer}\r\n`)]);
}

/** Two parts of a multi-part post, one after the other. */
function yencParts(data: Buffer, name: string): Buffer {
  const half = Math.floor(data.length / 2);
  return Buffer.concat([yencPart(data, name, 1, 2, 0, half), yencPart(data, name, 2, 2, half, data.length)]);
}

const s = (name: string, body: Buffer, expect: string, filename = 'post.yenc', type = 'application/octet-stream'): Sample => ({ name, filename, type, body, expect });
const MEMO = Buffer.from('关于年度工作的通知\n机密★10年\n请各处室按时报送材料。\n');
const CLEAN = Buffer.from('关于年度工作的通知\n请遵守保密协议，保护商业秘密和工作秘密，注意机密性。\n联系电话 010-66881234。\n');

export function yencSamples(): Sample[] {
  return [
    s('W6: a memo yEncoded', yenc(MEMO, 'memo.txt'), 'classified-marking'),
    s('W6: a memo yEncoded in a Usenet article', Buffer.concat([Buffer.from('From: a@example.com\r\nNewsgroups: alt.binaries.test\r\nSubject: memo (1/1)\r\n\r\n'), yenc(MEMO, 'memo.txt')]), 'classified-marking', 'article.txt'),
    s('W6: a register with a resident ID yEncoded', yenc(Buffer.from(`姓名,身份证号\n张三,${ID}\n`), 'names.csv'), 'personal-data'),
    s('W6: a .docx with the marking yEncoded', yenc(docx(['关于工作的通知', '机密★10年']), '通知.docx'), 'classified-marking'),
    s('W6: a memo in two yEnc parts', yencParts(Buffer.concat([MEMO, MEMO]), 'memo.txt'), 'classified-marking'),
  ];
}

export function yencCleanSamples(): Sample[] {
  return [
    s('W6 clean: an ordinary notice yEncoded', yenc(CLEAN, 'notice.txt'), ''),
    s('W6 clean: an ordinary .docx yEncoded', yenc(docx(['商业秘密保护制度', '员工应遵守保密协议。']), '制度.docx'), ''),
    s('W6 clean: a text about yEnc quoting its header lines', Buffer.from('yEnc 格式说明\n每个文件以如下行开始：\n=ybegin line=128 size=123 name=a.txt\n正文为编码后的字节，最后以 =yend 结束。\n=yend size=123\n'), '', 'yenc.txt', 'text/plain'),
  ];
}
