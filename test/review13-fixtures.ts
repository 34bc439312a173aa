// review13 (2 Dec): samples of the holes the thirteenth review found in the readers added on 1-2 Dec, read in
// process (inspect-review13-*.test.ts) and through a gateway (inspect-review13-gateway.test.ts).
import type { Sample } from './evasion-fixtures.js';

const s = (name: string, filename: string, type: string, body: Buffer | string, expect = ''): Sample => ({ name, filename, type, body: typeof body === 'string' ? Buffer.from(body) : body, expect });

/** yEnc data lines written to the 1.3 draft (as yenc-fixtures.ts), with `lineBreak` between lines. */
function yencLines(data: Buffer, line = 128, lineBreak = '\r\n'): Buffer {
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

const MEMO = Buffer.from(`关于年度工作的通知\n请各处室按时报送材料。\n${'各单位要认真组织，按时报送。\n'.repeat(20)}文件密级：机密★10年\n${'各单位要认真组织，按时报送。\n'.repeat(20)}`);
const CLEAN = Buffer.from(`关于年度工作的通知\n${'各单位要认真组织，按时报送。\n'.repeat(20)}请遵守保密协议，保护商业秘密和工作秘密，注意机密性。\n${'各单位要认真组织，按时报送。\n'.repeat(20)}`);

/** A post in two parts (one after the other, as a newsreader saves them), cut at `cut`. */
function yencParts(data: Buffer, name: string, cut: number): Buffer {
  const part = (k: number, a: number, b: number): Buffer =>
    Buffer.concat([Buffer.from(`=ybegin part=${k} total=2 line=128 size=${data.length} name=${name}\r\n=ypart begin=${a + 1} end=${b}\r\n`), yencLines(data.subarray(a, b)), Buffer.from(`=yend size=${b - a} part=${k} pcrc32=00000000\r\n`)]);
  return Buffer.concat([part(1, 0, cut), part(2, cut, data.length)]);
}

/** A single block whose data has a CR after every `every` characters (decoders ignore CR and LF in data). */
function yencWithCr(data: Buffer, name: string, every: number): Buffer {
  const lines = yencLines(data).toString('latin1').replace(new RegExp(`([^\\r\\n]{${every}})(?=[^\\r\\n])`, 'g'), '$1\r');
  return Buffer.concat([Buffer.from(`=ybegin line=128 size=${data.length} name=${name}\r\n`), Buffer.from(lines, 'latin1'), Buffer.from(`=yend size=${data.length}\r\n`)]);
}

export function yencSamples13(): Sample[] {
  const cut = MEMO.indexOf(Buffer.from('机密')) + 4; // between 机 and 密
  return [
    s('yEnc: a memo in two parts cut inside its marking', 'post.yenc', 'application/octet-stream', yencParts(MEMO, 'memo.txt', cut), 'classified-marking'),
    s('yEnc: a memo in two parts cut inside its marking, in a Usenet article', 'article.yenc', 'application/octet-stream', Buffer.concat([Buffer.from('From: a@example.com\r\nNewsgroups: alt.binaries.test\r\nSubject: memo (1/2)\r\n\r\n'), yencParts(MEMO, 'memo.txt', cut)]), 'classified-marking'),
    s('yEnc: a memo with a CR every 7 characters of its data', 'post.yenc', 'application/octet-stream', yencWithCr(MEMO, 'memo.txt', 7), 'classified-marking'),
    s('yEnc: a memo with a CR every 31 characters of its data', 'post.yenc', 'application/octet-stream', yencWithCr(MEMO, 'memo.txt', 31), 'classified-marking'),
  ];
}

export function yencCleanSamples13(): Sample[] {
  return [
    s('yEnc clean: an ordinary notice in two parts', 'post.yenc', 'application/octet-stream', yencParts(CLEAN, 'notice.txt', 200)),
    s('yEnc clean: two different files, each in one of two parts', 'post.yenc', 'application/octet-stream', Buffer.concat([yencParts(CLEAN, 'a.txt', 200).subarray(0, yencParts(CLEAN, 'a.txt', 200).indexOf('=ybegin part=2')), yencParts(CLEAN, 'b.txt', 300).subarray(yencParts(CLEAN, 'b.txt', 300).indexOf('=ybegin part=2'))])),
    s('yEnc clean: an ordinary notice with CRs in its data', 'post.yenc', 'application/octet-stream', yencWithCr(CLEAN, 'notice.txt', 7)),
  ];
}
