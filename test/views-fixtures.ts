// The red team of 1 Dec 2026 (b), issue 14: decoded views that were missing
// or cut short. Each sample must be refused with the finding named; each clean
// sample beside it is the ordinary file it looks like and must give no finding.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { MARK, ID, jpegBody, type Sample } from './evasion-fixtures.js';
import { tar, zip } from './inspect-fixtures.js';

export interface ViewSample extends Sample {
  /** The red team's finding (N1, N23 …). */
  cls: string;
}

const MOBILE = '13812345678';
const b64u = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

function nest(s: string, f: (s: string) => string, n: number): string {
  for (let i = 0; i < n; i++) s = f(s);
  return s;
}

export function viewsSamples(): ViewSample[] {
  const out: ViewSample[] = [];
  const add = (cls: string, name: string, body: string | Buffer, expect: string, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ cls, name, filename, type, body: Buffer.from(body), expect });
  };
  // Seventh red team (1 Dec c), R7: OOXML's _xHHHH_ escapes (Excel decodes them in every cell and shared string).
  const ooxml = (t: string): string => [...t].map((c) => `_x${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}_`).join('');
  add('R7', 'a marking as _xHHHH_ escapes in a shared string', `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${ooxml('机密')}★10年</t></si></sst>`, 'classified-marking', 'sharedStrings.xml', 'application/xml');
  add('R7', 'an id number as _xHHHH_ escapes in an inline string', `<row r="2"><c r="B2" t="inlineStr"><is><t>${ooxml(ID)}</t></is></c></row>`, 'personal-data', 'sheet1.xml', 'application/xml');
  // R19: a GIF plain text extension, its text cut by the sub-blocks' length bytes (only comments were joined).
  add('R19', 'a marking across a GIF plain text extension\'s sub-blocks', gifWithPlainText(Buffer.from(`${'备注 '.repeat(40)}${MARK}`), 16), 'classified-marking', 'image.gif', 'image/gif');
  // R8: git's quoted paths and ls's $'…': octal byte escapes, one followed by ASCII digits (★ then 10年) was read as CSS's \20510.
  const octal = (t: string): string => [...Buffer.from(t)].map((b) => (b < 128 ? String.fromCharCode(b) : `\\${b.toString(8)}`)).join('');
  add('R8', 'git status of a path in octal escapes, the star before digits', `On branch main\nChanges to be committed:\n\tnew file:   "docs/${octal('机密★10年.docx')}"\n`, 'classified-marking', 'git-status.txt');
  add('R8', "ls's $'…' quoting of the same name", `total 8\n-rw-r--r-- 1 zhang staff 4096 Dec  1 09:00 $'${octal('机密★10年.docx')}'\n`, 'classified-marking', 'ls.txt');
  // N1: an unpadded final quantum at the text's end was dropped (1 or 2 bytes: a check digit, a last digit).
  const idLine = 'This record belongs to the applicant named below. Applicant no. ' + ID;
  add('N1', 'unpadded base64 ending the file', Buffer.from(idLine).toString('base64').replace(/=+$/, ''), 'personal-data');
  add('N1', 'unpadded base64, a line break, then the end', Buffer.from(idLine).toString('base64').replace(/=+$/, '') + '\n', 'personal-data');
  add('N1', 'base64url of a memo ending in a mobile, at the end', b64u('Applicant record, please keep on file, phone ' + MOBILE), 'personal-data');
  add('N1', 'a JWT-like token whose payload ends the file', `eyJhbGciOiJIUzI1NiJ9.${b64u(JSON.stringify({ sub: 'applicant record, please keep on file', id: ID }))}`, 'personal-data', 'token.txt');
  add('N1', 'base64url of an id number six times over', nest(`身份证号${ID}`, b64u, 6), 'personal-data');
  // N1 at depth: a chain of seven encodings whose last is unpadded base64url at the file's end. The hex a level
  // down reached its token reader in two pieces (the run's bytes, then its last two at the end), and a hex run
  // longer than a carried tail was read piece by piece: its last byte was lost and every level below was out of
  // step (text-tokens.ts, longCut). Mixed chains beside it, with gzip and JSON \u escapes between.
  const notice = `关于加强管理的通知 ${MARK} 各单位：`.repeat(4);
  type Enc = (x: Buffer) => Buffer;
  const b64: Enc = (x) => Buffer.from(x.toString('base64'));
  const b64url: Enc = (x) => Buffer.from(x.toString('base64url'));
  const hex: Enc = (x) => Buffer.from(x.toString('hex'));
  const pct: Enc = (x) => Buffer.from([...x].map((c) => `%${c.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  const gz: Enc = (x) => zlib.gzipSync(x);
  const uEsc: Enc = (x) => Buffer.from(`{"m":"${[...x.toString()].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`);
  const chain = (x: string, fs: Enc[]): Buffer => fs.reduce<Buffer>((a, f) => f(a), Buffer.from(x));
  add('N1', 'a chain of seven, base64 to base64url, ending the file unpadded', chain(notice, [b64, hex, b64url, pct, b64, hex, b64url]), 'classified-marking');
  add('N1', 'the same chain, eight levels (padded base64 on top)', chain(notice, [b64, hex, b64url, pct, b64, hex, b64url, b64]), 'classified-marking');
  add('N1', 'percent, base64, gzip, base64url, JSON escapes, base64url, hex, base64url', chain(`关于加强管理的通知 ${MARK} 各单位：`.repeat(40), [pct, b64, gz, b64url, uEsc, b64url, hex, b64url]), 'classified-marking');
  add('N1', 'a hex run of 6 KiB whose last bytes hold the marking', hex(Buffer.from('各单位认真贯彻落实有关工作部署，'.repeat(60) + MARK)), 'classified-marking');
  // N23: JSON inside JSON as json.dumps (ensure_ascii) and json_encode write it: `\\u673a` in the outer document.
  const payload = { title: '关于工作的通知', level: MARK, body: '各单位：现将有关事项通知如下。' };
  add('N23', 'a log line whose message is a JSON payload (json.dumps twice)', pyDumps({ ts: '2026-12-01T03:00:00Z', logger: 'api', msg: pyDumps(payload) }) + '\n', 'classified-marking', 'api.jsonl', 'application/x-ndjson');
  add('N23', 'a Kafka record, JSON three times over', pyDumps({ topic: 'docs', value: pyDumps({ inner: pyDumps(payload) }) }), 'classified-marking', 'record.json', 'application/json');
  add('N23', 'an id number in JSON inside JSON', pyDumps({ body: pyDumps({ name: '张三', 身份证: ID }) }), 'personal-data', 'record.json', 'application/json');
  // N3: after a gzip stream's end, zero bytes (which zlib stops at without a word), then anything.
  const memo = Buffer.from(`关于加强管理的通知\n${MARK}\n各单位：请妥善保管。\n`);
  const logs = zlib.gzipSync(Buffer.from('2026-12-01 03:00:00 INFO request served in 12 ms\n'.repeat(200)));
  add('N3', 'gzip, one zero byte, then the memo in clear', Buffer.concat([logs, Buffer.alloc(1), memo]), 'classified-marking', 'logs.gz', 'application/gzip');
  add('N3', 'gzip, 512 zero bytes, then a second gzip member', Buffer.concat([logs, Buffer.alloc(512), zlib.gzipSync(memo)]), 'classified-marking', 'logs.gz', 'application/gzip');
  add('N3', 'tar.gz, 64 zero bytes, then the memo in clear', Buffer.concat([zlib.gzipSync(tar([{ name: 'a.txt', data: Buffer.from('hello\n') }])), Buffer.alloc(64), memo]), 'classified-marking', 'backup.tar.gz', 'application/gzip');
  add('N3', 'gzip, zero bytes, then a zip holding the memo', Buffer.concat([logs, Buffer.alloc(16), zip([{ name: 'memo.txt', data: memo }])]), 'classified-marking', 'logs.gz', 'application/gzip');
  // N2: member names in GBK without the zip UTF-8 flag (Windows Explorer, WinRAR, 360压缩, Bandizip), tar in a GBK locale.
  const note = Buffer.from('见附件。\n');
  add('N2', 'zip member named 机密★10年.txt in GBK, no UTF-8 flag', gbkZip([`${MARK}.txt`], note), 'classified-marking', 'files.zip', 'application/zip');
  add('N2', 'zip member in a folder 附件/机密★10年/ in GBK', gbkZip(['附件/一览表.txt', `附件/${MARK}/说明.txt`], note), 'classified-marking', 'files.zip', 'application/zip');
  add('N2', 'zip member named after an id number, GBK', gbkZip([`张三${ID}.jpg`], note), 'personal-data', 'files.zip', 'application/zip');
  add('N2', 'zip member named 機密★10年.txt in Big5 (Traditional Chinese Windows)', gbkZip([`機密★10年.txt`], note, 'big5'), 'classified-marking', 'files.zip', 'application/zip');
  add('N2', 'tar member named in GBK', gbkTar(`${MARK}.txt`, note), 'classified-marking', 'files.tar', 'application/x-tar');
  // N5: text of binary content sharing a 512-byte block with dense control bytes (a JPEG's quantisation tables).
  const refs = (t: string): string => [...t].map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join('');
  add('N5', 'JPEG: XMP description as character references', jpegWith(xmpSegment(`<dc:description>${refs(MARK)}</dc:description>`, 340)), 'classified-marking', 'photo.jpg', 'image/jpeg');
  add('N5', 'JPEG: XMP rights with the marking in clear, a 400-byte packet', jpegWith(xmpSegment(`<dc:rights>${MARK}</dc:rights>`, 400)), 'classified-marking', 'photo.jpg', 'image/jpeg');
  add('N5', 'JPEG: an id number as decimal references in XMP', jpegWith(xmpSegment(`<dc:title>${[...ID].map((c) => `&#${c.charCodeAt(0)};`).join('')}</dc:title>`, 360)), 'personal-data', 'photo.jpg', 'image/jpeg');
  add('N5', 'JPEG: a 330-byte comment, the marking percent-encoded', jpegWith(segment(0xfe, Buffer.from(`Scanned 2026-12-01. ${[...Buffer.from(MARK)].map((x) => `%${x.toString(16).toUpperCase()}`).join('')} `.padEnd(330, '.')))), 'classified-marking', 'photo.jpg', 'image/jpeg');
  // N7: one GIF comment in 255-byte sub-blocks, the marking across a boundary.
  for (const shift of [0, 1, 2]) {
    const body = Buffer.concat([Buffer.from('说明：'.repeat(84)).subarray(0, 253 + shift), Buffer.from(`${MARK}，请妥善保管。`)]);
    add('N7', `GIF: a comment in 255-byte sub-blocks, the marking across a boundary (+${shift})`, gifWithComment(body), 'classified-marking', 'pic.gif', 'image/gif');
  }
  add('N7', 'GIF: an id number across 16-byte sub-blocks', gifWithComment(Buffer.from(`Applicant no. ${ID}, please keep.`), 16), 'personal-data', 'pic.gif', 'image/gif');
  // N11: XML internal DTD entities spell the marking; expansion is bounded (a billion laughs is a limit, not a stall).
  add('N11', 'XML: DTD entities spell the marking in text', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "机"><!ENTITY b "密★10年">]><d>&a;&b;</d>', 'classified-marking', 'data.xml', 'application/xml');
  add('N11', 'XML: DTD entities in an attribute, no declaration', '<!DOCTYPE d [<!ENTITY a "机"><!ENTITY b "密★10年">]><d t="&a;&b;"/>', 'classified-marking', 'data.xml', 'application/xml');
  add('N11', 'XML: entities in entities, character references in values', "<!DOCTYPE d [<!ENTITY a '&#x673A;'><!ENTITY b \"&a;密\"><!ENTITY c \"&b;★10年\">]><d>&c;</d>", 'classified-marking', 'data.xml', 'application/xml');
  add('N11', 'XML: an id number in two entities', `<!DOCTYPE r [<!ENTITY h "${ID.slice(0, 9)}"><!ENTITY t "${ID.slice(9)}">]><r><id>&h;&t;</id></r>`, 'personal-data', 'data.xml', 'application/xml');
  let laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">';
  for (let i = 1; i <= 9; i++) laughs += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
  add('N11', 'XML: a billion laughs', `${laughs}]><lolz>&lol9;</lolz>`, 'inspection-limit', 'lolz.xml', 'application/xml');
  add('N11', 'XML: a wide expansion (4 KB x 500 x 100)', `<!DOCTYPE w [<!ENTITY a "${'x'.repeat(4000)}"><!ENTITY b "${'&a;'.repeat(500)}">]><w>${'&b;'.repeat(100)}</w>`, 'inspection-limit', 'wide.xml', 'application/xml');
  // N14: one character an attribute, across elements or attributes of one element.
  add('N14', 'XML: one character an attribute, across elements', '<doc><c v="机"/><c v="密"/><c v="★10年"/></doc>', 'classified-marking', 'data.xml', 'application/xml');
  add('N14', 'HTML: data attributes of one element', '<html><body><div data-a="机" data-b="密★10年">通知</div></body></html>', 'classified-marking', 'a.html', 'text/html');
  add('N14', 'XML: an id number in attributes, white space between elements', `<r>\n  <d v="${ID.slice(0, 6)}"/>\n  <d v='${ID.slice(6, 14)}'/>\n  <d v="${ID.slice(14)}"/>\n</r>`, 'personal-data', 'data.xml', 'application/xml');
  return out;
}

function xmpPacket(inner: string): string {
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">${inner}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

/**
 * XMP part 3 §1.1.3.1: a main packet naming the extension's GUID (the MD5 of the extended packet), then the
 * extended packet in APP1 segments cut at `cuts`, each with the GUID, the full length and its offset.
 */
export function extendedXmp(packet: string, cuts: number[], reversed = false): Buffer[] {
  const ext = Buffer.from(packet);
  const guid = createHash('md5').update(ext).digest('hex').toUpperCase();
  const main = xmpSegment(`<xmpNote:HasExtendedXMP xmlns:xmpNote="http://ns.adobe.com/xmp/note/">${guid}</xmpNote:HasExtendedXMP>`, 0);
  const bounds = [0, ...cuts, ext.length];
  const parts = bounds.slice(0, -1).map((from, k) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(ext.length, 0);
    h.writeUInt32BE(from, 4);
    return segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1'), Buffer.from(guid, 'latin1'), h, ext.subarray(from, bounds[k + 1])]));
  });
  return [main, ...(reversed ? parts.reverse() : parts)];
}

/** A 1×1 GIF89a with one comment extension, its text in sub-blocks of `size` bytes (255 as every encoder writes them). */
export function gifWithComment(text: Buffer, size = 255): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i < text.length; i += size) {
    const c = text.subarray(i, i + size);
    blocks.push(Buffer.from([c.length]), c);
  }
  const head = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), Buffer.from([0, 0, 0, 0xff, 0xff, 0xff])]);
  const image = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]);
  return Buffer.concat([head, Buffer.from([0x21, 0xfe]), ...blocks, Buffer.from([0]), image]);
}

/** A GIF whose plain text extension (label 0x01: a 12-byte text grid, then the text in sub-blocks of `size`) draws `text` on the image. */
export function gifWithPlainText(text: Buffer, size = 255): Buffer {
  const gif = gifWithComment(text, size);
  const at = gif.indexOf(Buffer.from([0x21, 0xfe]));
  const grid = Buffer.from([12, 0, 0, 0, 0, 1, 0, 1, 0, 8, 8, 1, 0]);
  return Buffer.concat([gif.subarray(0, at), Buffer.from([0x21, 0x01]), grid, gif.subarray(at + 2)]);
}

/** A JPEG marker segment. */
export function segment(marker: number, payload: Buffer): Buffer {
  const h = Buffer.from([0xff, marker, 0, 0]);
  h.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([h, payload]);
}

/** An XMP APP1 segment whose packet (padded with spaces, as XMP writers leave room) is `size` bytes. */
export function xmpSegment(inner: string, size: number): Buffer {
  const head = `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">${inner}</rdf:Description></rdf:RDF></x:xmpmeta>`;
  const tail = '<?xpacket end="w"?>';
  const pad = Math.max(0, size - Buffer.byteLength(head) - tail.length);
  return segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(head + ' '.repeat(pad) + tail)]));
}

/**
 * A JPEG: the segments given, then the quantisation tables of quality 90 (the IJG tables scaled: values 2–24,
 * a third of a block's bytes controls, almost no zeros) and a minimal body.
 */
export function jpegWith(...segments: Buffer[]): Buffer {
  const lum = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99];
  const chr = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, ...Array<number>(32).fill(99)];
  const q = (t: number[]): number[] => t.map((v) => Math.max(1, Math.floor((v * 20 + 50) / 100)));
  const dqt = segment(0xdb, Buffer.from([0x00, ...q(lum), 0x01, ...q(chr)]));
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, dqt, jpegBody()]);
}

/** A zip whose member names are GBK bytes with the UTF-8 flag (bit 11) clear, as Windows archivers write them. */
export function gbkZip(names: string[], data: Buffer, encoding = 'gbk'): Buffer {
  const gbk = names.map((n) => iconv.encode(n, encoding));
  // Placeholders of the same byte length, replaced by the GBK bytes afterwards.
  const z = Buffer.from(zip(gbk.map((g, i) => ({ name: String.fromCharCode(0x41 + i).repeat(g.length), data }))));
  gbk.forEach((g, i) => {
    const ph = Buffer.from(String.fromCharCode(0x41 + i).repeat(g.length));
    for (let at = z.indexOf(ph); at >= 0; at = z.indexOf(ph, at + 1)) g.copy(z, at);
  });
  for (const [sig, flags] of [[0x04034b50, 6], [0x02014b50, 8]] as const) {
    const s = Buffer.alloc(4);
    s.writeUInt32LE(sig);
    for (let at = z.indexOf(s); at >= 0; at = z.indexOf(s, at + 1)) z.writeUInt16LE(z.readUInt16LE(at + flags) & ~0x800, at + flags);
  }
  return z;
}

/** A tar whose one member's name is GBK bytes (tar made in a GBK locale). */
export function gbkTar(name: string, data: Buffer): Buffer {
  const g = iconv.encode(name, 'gbk');
  const t = tar([{ name: 'Q'.repeat(g.length), data }]);
  g.copy(t, 0);
  t.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += t[i]!;
  t.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return t;
}

/** JSON as Python's json.dumps writes it by default (ensure_ascii: every non-ASCII character as \uXXXX). */
export function pyDumps(v: unknown): string {
  return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function viewsCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, body: string | Buffer, filename = 'note.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body: Buffer.from(body), expect: '' });
  };
  // R8: CSS escapes of five hex digits stay CSS's (not octal) where no octal byte comes before them.
  add('CSS content with a five-digit escape and others', '.icon::before { content: "\\20510"; }\n.note::after { content: "\\4E2D\\6587"; }\n', 'style.css', 'text/css');
  // R7: Excel's own escapes of line breaks and tabs, and identifiers that look like them.
  add('shared strings with _x000D_ and _x0009_ escapes, and names like my_x1_var', '<sst><si><t>第一行_x000D_第二行_x0009_备注</t></si><si><t>field_x1_name, col_x12_b</t></si></sst>', 'sharedStrings.xml', 'application/xml');
  // N1: ordinary unpadded base64url at a file's end.
  add('a JWT of ordinary claims ending the file', `eyJhbGciOiJIUzI1NiJ9.${b64u(JSON.stringify({ sub: 'user-4411', name: 'Zhang Wei', iat: 1764547200, scope: 'read:reports write:drafts' }))}.${b64u(Buffer.alloc(32, 7))}`, 'token.txt');
  add('unpadded base64 of an English memo ending the file', Buffer.from('The committee reviewed the quarterly figures and agreed to publish the report next week, as planned by the office. ').toString('base64').replace(/=+$/, ''));
  add('base64url of a Chinese notice, then a line break', b64u('关于召开年度工作会议的通知：请各部门于本周五前报送材料，联系电话请见内网通讯录。') + '\n');
  // N1 at depth: long hex runs of ordinary text, read across pieces.
  add('a hex run of 10 KiB of an English report', Buffer.from('The committee reviewed the quarterly figures and agreed to publish the report next week. '.repeat(60)).toString('hex'));
  add('a hex run of 6 KiB of a Chinese notice', Buffer.from('各单位认真贯彻落实有关工作部署，商业秘密与保密协议另行管理。'.repeat(35)).toString('hex'));
  // N23: JSON inside JSON of ordinary records; escaped backslashes of paths and patterns.
  add('JSON inside JSON: an ordinary notice in a log line', pyDumps({ ts: '2026-12-01T03:00:00Z', msg: pyDumps({ title: '关于召开年度工作会议的通知', body: '请各部门于本周五前报送材料。', path: 'C:\\Users\\zhang\\Documents' }) }) + '\n', 'api.jsonl', 'application/x-ndjson');
  add('JSON of Windows paths and a pattern with \\u', JSON.stringify({ dir: 'C:\\Users\\u0041dmin\\AppData', unc: '\\\\server\\share\\ubuntu', pattern: '\\\\u[0-9a-fA-F]{4}', note: '\\u4e2d is 中' }) + '\n', 'settings.json', 'application/json');
  // N3: gzip padded with zeros to a block (dd conv=sync, tape tools), members one after another (cat a.gz b.gz).
  const gz = zlib.gzipSync(Buffer.from('2026-12-01 03:00:00 INFO request served in 12 ms\n'.repeat(200)));
  add('gzip padded with zeros to 4 KiB', Buffer.concat([gz, Buffer.alloc(4096 - gz.length)]), 'logs.gz', 'application/gzip');
  add('two gzip members one after another', Buffer.concat([gz, zlib.gzipSync(Buffer.from('关于召开年度工作会议的通知\n'))]), 'logs.gz', 'application/gzip');
  add('gzip, zero padding, then an ordinary note', Buffer.concat([gz, Buffer.alloc(100), Buffer.from('Rotated by logrotate on 2026-12-01; the next file follows.\n')]), 'logs.gz', 'application/gzip');
  // N2: an ordinary bureau's archive with GBK names (look-alikes of markings among them).
  const memo = Buffer.from('关于召开年度工作会议的通知：请各部门于本周五前报送材料。\n');
  add('zip of ordinary GBK names, no UTF-8 flag', gbkZip(['关于召开年度工作会议的通知.txt', '附件/2026年预算执行情况.csv', '附件/商业秘密保护制度.txt', '保密协议（范本）.txt', '数据机密性评估.txt'], memo), 'files.zip', 'application/zip');
  add('zip of ordinary Big5 names', gbkZip(['年度工作會議通知.txt', '附件/預算執行情況.csv', '商業秘密保護制度.txt'], memo, 'big5'), 'files.zip', 'application/zip');
  add('tar with a GBK name', gbkTar('2026年工作总结/附件一.txt', memo), 'files.tar', 'application/x-tar');
  // N5: JPEGs with ordinary XMP and comments of every size around a 512-byte block.
  for (const size of [300, 340, 380, 420, 460]) {
    add(`JPEG with an ordinary ${size}-byte XMP packet`, jpegWith(xmpSegment('<dc:creator>Zhang Wei</dc:creator><dc:description>关于召开年度工作会议的现场照片 &amp; 合影</dc:description><xmp:CreatorTool xmlns:xmp="http://ns.adobe.com/xap/1.0/">Adobe Photoshop 25.0</xmp:CreatorTool>', size)), 'photo.jpg', 'image/jpeg');
  }
  const history = xmpPacket(`<dc:description>关于召开年度工作会议的现场照片</dc:description>${'<rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop 25.0" stEvt:when="2026-11-30T10:00:00+08:00"/>'.repeat(40)}`);
  add('JPEG with an ordinary ExtendedXMP in three segments', jpegWith(...extendedXmp(history, [1500, 3000])), 'photo.jpg', 'image/jpeg');
  add('JPEG with a 330-byte ordinary comment', jpegWith(segment(0xfe, Buffer.from('Scanned 2026-12-01 by the archive office, 300 dpi, %20 quality 90. '.padEnd(330, '.')))), 'photo.jpg', 'image/jpeg');
  // N7: a GIF with a long ordinary comment, and one with a short one.
  add('GIF with a long ordinary comment in 255-byte sub-blocks', gifWithComment(Buffer.from('本图片摄于2026年度工作会议现场，供内部宣传使用，请注明出处。'.repeat(20))), 'pic.gif', 'image/gif');
  add('GIF with a short comment', gifWithComment(Buffer.from('Created with GIMP')), 'pic.gif', 'image/gif');
  // N11: XML with an internal DTD, as a bureau's exchange formats declare entities for names and years.
  add('XML with internal DTD entities of ordinary words', '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE report [\n  <!ENTITY org "市财政局">\n  <!ENTITY year "2026">\n  <!ENTITY % common SYSTEM "common.ent">\n]>\n<report org="&org;"><title>&year;年度部门预算执行情况</title><p>&org;按照&year;年度工作计划推进，商业秘密与保密协议另行管理。</p></report>\n', 'report.xml', 'application/xml');
  add('XHTML with its DOCTYPE and named entities', '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html><body><p>R&amp;D &nbsp;&copy; 2026 工作秘密管理办法</p></body></html>\n', 'page.html', 'text/html');
  // N14: ordinary HTML with attributes.
  add('HTML form with Chinese attribute values', '<form><input type="text" name="title" placeholder="请输入标题" value="关于加强管理的通知"/><select name="level"><option value="公开">公开</option><option value="内部">内部</option></select><input type="hidden" name="tag" value="商业"/><input type="hidden" name="tag2" value="秘密保护制度"/></form>\n', 'form.html', 'text/html');
  return out;
}
