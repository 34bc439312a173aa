// review13 (2 Dec): samples of the holes the thirteenth review found in the readers added on 1-2 Dec, read in
// process (inspect-review13-*.test.ts) and through a gateway (inspect-review13-gateway.test.ts).
import zlib from 'node:zlib';
import type { Sample } from './evasion-fixtures.js';
import { yencLines, yencPart } from './yenc-fixtures.js';
import { paintedCleanSamples, paintedSamples } from './pdf-painted-fixtures.js';

const s = (name: string, filename: string, type: string, body: Buffer | string, expect = ''): Sample => ({ name, filename, type, body: typeof body === 'string' ? Buffer.from(body) : body, expect });

const MEMO = Buffer.from(`关于年度工作的通知\n请各处室按时报送材料。\n${'各单位要认真组织，按时报送。\n'.repeat(20)}文件密级：机密★10年\n${'各单位要认真组织，按时报送。\n'.repeat(20)}`);
const CLEAN = Buffer.from(`关于年度工作的通知\n${'各单位要认真组织，按时报送。\n'.repeat(20)}请遵守保密协议，保护商业秘密和工作秘密，注意机密性。\n${'各单位要认真组织，按时报送。\n'.repeat(20)}`);

/** A post in two parts (one after the other, as a newsreader saves them), cut at `cut`. */
function yencParts(data: Buffer, name: string, cut: number): Buffer {
  return Buffer.concat([yencPart(data, name, 1, 2, 0, cut, ' pcrc32=00000000'), yencPart(data, name, 2, 2, cut, data.length, ' pcrc32=00000000')]);
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

// WARC (inspect-review13-warc.test.ts): HTTP messages as nginx writes them, and after an interim response.
export const SECRET = '<p>密级：机密★10年</p><p>经办人身份证 110101199003077715</p>';

export function record(type: string, block: Buffer, contentType: string): Buffer {
  const head = `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://www.gov.cn/zhengce/1.html\r\nWARC-Date: 2026-12-02T08:00:00Z\r\nContent-Type: ${contentType}\r\nContent-Length: ${block.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
}

export function page(extra = ''): Buffer {
  return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>${'<p>关于做好年度工作总结的通知。各单位要认真组织，按时报送。</p>'.repeat(12)}${extra}</body></html>`);
}

export function chunked(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let p = 0; p < b.length; p += 97) {
    const c = b.subarray(p, p + 97);
    parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

export const warcinfo = record('warcinfo', Buffer.from('software: Heritrix/3.4.0\r\nformat: WARC File Format 1.0\r\n'), 'application/warc-fields');
export const warc = (http: Buffer): Buffer => Buffer.concat([warcinfo, record('response', http, 'application/http; msgtype=response')]);

/** nginx's order: Transfer-Encoding, then Content-Encoding. */
export function nginx(body: Buffer, coding: 'gzip' | 'br' | 'deflate'): Buffer {
  const enc = coding === 'gzip' ? zlib.gzipSync(body) : coding === 'br' ? zlib.brotliCompressSync(body) : zlib.deflateSync(body);
  return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nContent-Encoding: ${coding}\r\n\r\n`), chunked(enc)]);
}

export function afterInterim(body: Buffer, interim: string): Buffer {
  const br = zlib.brotliCompressSync(body);
  return Buffer.concat([Buffer.from(`${interim}HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: ${br.length}\r\n\r\n`), br]);
}

export const INTERIMS: Record<string, string> = {
  '100 Continue': 'HTTP/1.1 100 Continue\r\n\r\n',
  '103 Early Hints': 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n',
  'two interims': 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n',
};


export function warcSamples13(): Sample[] {
  const { http, mid } = plainResponse(page('<p>密级：机密★10年</p>'));
  return [
    s('WARC: a marked page cut in two segments between 机 and 密', 'crawl.warc', 'application/warc', segmented(http, [mid]), 'classified-marking'),
    s('WARC: a marked page after 100 Continue, br', 'crawl.warc', 'application/warc', warc(afterInterim(page(SECRET), INTERIMS['100 Continue']!)), 'classified-marking'),
    s('WARC: a marked page after 103 Early Hints, br', 'crawl.warc', 'application/warc', warc(afterInterim(page(SECRET), INTERIMS['103 Early Hints']!)), 'classified-marking'),
  ];
}

export function warcCleanSamples13(): Sample[] {
  const dechunked = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n'), page()]);
  return [
    ...(['gzip', 'br', 'deflate'] as const).map((c) => s(`WARC clean: an nginx page, Transfer-Encoding before Content-Encoding: ${c}`, 'crawl.warc', 'application/warc', warc(nginx(page(), c)))),
    s('WARC clean: a page stored de-chunked under Transfer-Encoding: chunked', 'crawl.warc', 'application/warc', warc(dechunked)),
  ];
}

/** Comma-grouped mobiles (inspect-review13-comma-mobiles.test.ts), a sample of each form. */
export function commaSamples13(): Sample[] {
  return [
    s('comma mobile: full-width commas', 'a.txt', 'text/plain', '请联系手机：138，1234，5678 办理。\n', 'personal-data'),
    s('comma mobile: enumeration commas', 'a.txt', 'text/plain', '手机：138、1234、5678\n', 'personal-data'),
    s('comma mobile: comma and space', 'a.txt', 'text/plain', '请联系手机：138, 1234, 5678 办理。\n', 'personal-data'),
    s('comma mobile: a JSON key', 'a.json', 'application/json', '{"name":"张三","mobile_number":"138,1234,5678"}', 'personal-data'),
    s('comma mobile: an XML element with attributes', 'a.xml', 'application/xml', '<contact><phone type="mobile" primary="yes">138,1234,5678</phone></contact>', 'personal-data'),
  ];
}

/**
 * A response cut in segments (ISO 28500 §5.8): the first record carries WARC-Segment-Number 1, each continuation
 * its number and the first's id, the last the whole length. Cut at the byte offsets `cuts` of the HTTP message.
 */
export function segmented(http: Buffer, cuts: number[]): Buffer {
  return Buffer.concat([warcinfo, ...segmentRecords(http, cuts)]);
}

/** The records of `segmented` (without the warcinfo), the first's id `id`. */
export function segmentRecords(http: Buffer, cuts: number[], id = '<urn:uuid:5e1a7c2d-0b3f-4a9e-8c1d-000000000001>'): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, http.length]) {
    pieces.push(http.subarray(at, c));
    at = c;
  }
  return pieces.map((b, i) => {
    const last = i === pieces.length - 1;
    const fields = i === 0 ? `WARC-Record-ID: ${id}\r\nWARC-Segment-Number: 1\r\n` : `WARC-Record-ID: <urn:uuid:5e1a7c2d-0b3f-4a9e-8c1d-00000000010${i}>\r\nWARC-Segment-Origin-ID: ${id}\r\nWARC-Segment-Number: ${i + 1}\r\n${last ? `WARC-Segment-Total-Length: ${http.length}\r\n` : ''}`;
    const type = i === 0 ? 'response' : 'continuation';
    const ct = i === 0 ? 'Content-Type: application/http; msgtype=response\r\n' : '';
    return Buffer.concat([Buffer.from(`WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://www.gov.cn/zhengce/2.html\r\nWARC-Date: 2026-12-02T08:00:00Z\r\n${fields}${ct}Content-Length: ${b.length}\r\n\r\n`), b, Buffer.from('\r\n\r\n')]);
  });
}

/** An identity response, and the offset of the middle of 机密 in it. */
export function plainResponse(body: Buffer): { http: Buffer; mid: number } {
  const http = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  return { http, mid: http.indexOf(Buffer.from('机密')) + 3 };
}

/** `from` in a PDF written as `to` (padded with spaces to its length, so that the xref still points right). */
function rewritten(b: Buffer, from: string, to: string): Buffer {
  const s = b.toString('latin1');
  if (!s.includes(from)) throw new Error(`${from} is not in the sample`);
  return Buffer.from(s.replace(from, to.padEnd(from.length, ' ')), 'latin1');
}

/** R10's painted PDFs (pdf-painted-fixtures.ts) with the names that call for the painted reading written with #xx escapes. */
export function paintedSamples13(): Sample[] {
  const [pattern, , , , luminosity, alpha] = paintedSamples();
  return [
    s('PDF: a tiling pattern as /PatternT#79pe 1', 'notice.pdf', 'application/pdf', rewritten(pattern!.body, '/Type/Pattern/PatternType 1', '/PatternT#79pe 1'), 'classified-marking'),
    s('PDF: a soft mask as /S/Lumin#6Fsity', 'notice.pdf', 'application/pdf', rewritten(luminosity!.body, '/Type/Mask/S/Luminosity', '/S/Lumin#6Fsity'), 'classified-marking'),
    s('PDF: a soft mask as /S/Alph#61', 'notice.pdf', 'application/pdf', rewritten(alpha!.body, '<</Type/ExtGState/SMask<</S/Alpha', '<</SMask<</S/Alph#61'), 'classified-marking'),
  ];
}

export function paintedCleanSamples13(): Sample[] {
  const escaped = (b: Buffer): Buffer => Buffer.from(b.toString('latin1').replace(/\/Type\/Pattern\/PatternType 1/g, '/PatternT#79pe 1'.padEnd(27, ' ')).replace(/\/Type\/Mask\/S\/Luminosity/g, '/S/Lumin#6Fsity'.padEnd(23, ' ')), 'latin1');
  return paintedCleanSamples().map((c) => s(`${c.name}, its names escaped`, c.filename, c.type, escaped(c.body)));
}
