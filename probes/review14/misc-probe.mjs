// review14: archives and formats of lesser note: tar PAX records, cpio, ar, raw LZMA, LZ4, SVG text paths, RTF \bin,
// EPUB. Run after npm run build: node probes/review14/misc-probe.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds, residentId, zip, tar } from '../../dist/test/inspect-fixtures.js';
const show = async (name, b, filename, declaredType) => { const r = await inspectBytes(b, {}, { filename, declaredType }); console.log(name.padEnd(60), (r.sniffedType ?? '-').padEnd(28), JSON.stringify(kinds(r.findings))); return r; };
const memo = Buffer.from('关于做好年度工作总结的通知\n文件密级：机密★10年\n各处室：请于本月底前报送年度工作总结。\n'.repeat(3));
const tmp = mkdtempSync(join(tmpdir(), 'review14-'));
try {
  writeFileSync(join(tmp, 'memo.txt'), memo);
  execFileSync('lzma', ['-k', '-f', join(tmp, 'memo.txt')]);
  await show('.lzma (LZMA alone)', readFileSync(join(tmp, 'memo.txt.lzma')), 'memo.txt.lzma', 'application/x-lzma');
  execFileSync('lz4', ['-q', '-f', join(tmp, 'memo.txt'), join(tmp, 'memo.txt.lz4')]);
  await show('.lz4 frame', readFileSync(join(tmp, 'memo.txt.lz4')), 'memo.txt.lz4', 'application/x-lz4');
  execFileSync('lz4', ['-q', '-f', '-l', join(tmp, 'memo.txt'), join(tmp, 'memo.legacy.lz4')]);
  await show('.lz4 legacy frame', readFileSync(join(tmp, 'memo.legacy.lz4')), 'memo.txt.lz4', 'application/x-lz4');
  execFileSync('xz', ['-k', '-f', '--format=raw', '-S', '.raw', join(tmp, 'memo.txt')]);
  await show('raw LZMA2 (xz --format=raw)', readFileSync(join(tmp, 'memo.txt.raw')), 'memo.bin', 'application/octet-stream');
} finally { rmSync(tmp, { recursive: true, force: true }); }
await show('raw deflate of the memo', zlib.deflateRawSync(memo), 'memo.bin', 'application/octet-stream');
await show('brotli of the memo, named .br', zlib.brotliCompressSync(memo), 'memo.txt.br', 'application/octet-stream');
await show('brotli of the memo, no name', zlib.brotliCompressSync(memo), 'memo.dat', 'application/octet-stream');
// tar PAX: a comment record, and a path of the marking (the member's name) split by the header
const pax = (recs, name, data) => { const body = Buffer.from(recs.map(([k, v]) => { const s = ` ${k}=${v}\n`; let n = Buffer.byteLength(s) + 2; n = Buffer.byteLength(s) + String(n).length; return `${n}${s}`; }).join('')); return tar([{ name: 'PaxHeader/x', data: body }, { name, data }]); };
// newc cpio
const cpio = (entries) => Buffer.concat([...entries, { name: 'TRAILER!!!', data: Buffer.alloc(0) }].map(({ name, data }) => { const n = Buffer.from(name + '\0'); const h = '070701' + [1, 0o100644, 0, 0, 1, 0, data.length, 0, 0, 0, 0, n.length, 0].map((v) => v.toString(16).padStart(8, '0')).join(''); const pad1 = (4 - ((110 + n.length) % 4)) % 4; const pad2 = (4 - (data.length % 4)) % 4; return Buffer.concat([Buffer.from(h), n, Buffer.alloc(pad1), data, Buffer.alloc(pad2)]); }));
await show('cpio newc member gzip of memo', cpio([{ name: 'memo.txt.gz', data: zlib.gzipSync(memo) }]), 'a.cpio', 'application/x-cpio');
await show('cpio newc, member names 机 / 密★10年.txt', cpio([{ name: '文件密级：机', data: Buffer.alloc(0) }, { name: '密★10年.txt', data: Buffer.from('x') }]), 'a.cpio', 'application/x-cpio');
// SVG
const svg = (inner) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="800" height="400"><defs><path id="p" d="M10 100 H 700"/></defs>${inner}<text x="10" y="300">关于做好年度工作总结的通知</text></svg>`);
await show('SVG textPath, marking cut in two tspans with dx', svg('<text><textPath xlink:href="#p"><tspan>密级：机</tspan><tspan>密★10年</tspan></textPath></text>'), 'a.svg', 'image/svg+xml');
await show('SVG tspans placed by x, stored reversed', svg('<text y="50"><tspan x="130">密★10年</tspan><tspan x="10">文件密级：机</tspan></text>'), 'a.svg', 'image/svg+xml');
await show('SVG text x list reorders characters', svg('<text y="50" x="40 10 70 100 120 140">密机★10年</text>'), 'a.svg', 'image/svg+xml');
await show('SVG text rotate + x list, one char a glyph position', svg('<text y="50" x="10 30 50 70 90 110" rotate="0">机密★10年</text>'), 'a.svg', 'image/svg+xml');
await show('SVG <use> of a symbol holding 机', svg('<symbol id="s"><text x="0" y="0">文件密级：机</text></symbol><use href="#s" x="10" y="50"/><text x="130" y="50">密★10年</text>'), 'a.svg', 'image/svg+xml');
await show('SVG text unicode-bidi bidi-override direction rtl', svg('<text x="200" y="50" direction="rtl" unicode-bidi="bidi-override">年01★密机</text>'), 'a.svg', 'image/svg+xml');
await show('SVG svgz (gzip)', zlib.gzipSync(svg('<text x="10" y="50">机密★10年</text>')), 'a.svgz', 'image/svg+xml');
// RTF
const rtf = (body) => Buffer.from(`{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}}\\f0 ${body}\\par}`);
await show('RTF control (\\\'hh GBK)', rtf("\\'bb\\'fa\\'c3\\'dc\\'a1\\'ef10\\'c4\\'ea"), 'a.rtf', 'application/rtf');
await show('RTF \\bin2 between 机 and 密 (skipped bytes)', Buffer.concat([Buffer.from("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}}\\f0 \\'bb\\'fa"), Buffer.from('{\\*\\x\\bin2 ab}'), Buffer.from("\\'c3\\'dc\\'a1\\'ef10\\'c4\\'ea\\par}")]), 'a.rtf', 'application/rtf');
await show('RTF \\uc0 \\u with ? fallback dropped', rtf('\\uc0\\u26426\\u23494\\u9733 10\\u24180'), 'a.rtf', 'application/rtf');
await show('RTF \\uc2 eats 2 bytes after each \\u', rtf("\\uc2\\u26426\\'bb\\'fa\\u23494\\'c3\\'dc\\u9733\\'a1\\'ef10\\u24180\\'c4\\'ea"), 'a.rtf', 'application/rtf');
await show('RTF \\u negative (signed 16-bit)', rtf('\\u-26426?'.replace('-26426', String(26426 - 65536)) + '\\u23494?\\u9733?10\\u24180?'), 'a.rtf', 'application/rtf');
await show('RTF \\upr{..}{\\*\\ud ..}', rtf("{\\upr{\\'bb\\'fa}{\\*\\ud{\\u26426?}}}{\\upr{x}{\\*\\ud{\\u23494?\\u9733?10\\u24180?}}}"), 'a.rtf', 'application/rtf');
await show('RTF hidden \\v text between 机 and 密', rtf("\\'bb\\'fa{\\v xxxxxxxxxxxxxxxxxx}\\'c3\\'dc\\'a1\\'ef10\\'c4\\'ea"), 'a.rtf', 'application/rtf');
await show('RTF \\*\\ignorable group between 机 and 密', rtf("\\'bb\\'fa{\\*\\bkmkstart abcdefghijklmnopqrstuvwxyz}\\'c3\\'dc\\'a1\\'ef10\\'c4\\'ea"), 'a.rtf', 'application/rtf');
await show('RTF font switch to Big5 font mid-marking', Buffer.from("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}{\\f1\\fcharset136 MingLiU;}}\\f0 \\'bb\\'fa\\f1 \\'b1\\'4b\\f0\\'a1\\'ef10\\'c4\\'ea\\par}"), 'a.rtf', 'application/rtf');
// EPUB
const epub = (xhtml) => zip([{ name: 'mimetype', data: Buffer.from('application/epub+zip'), method: 0 }, { name: 'META-INF/container.xml', data: Buffer.from('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>') }, { name: 'OEBPS/ch1.xhtml', data: xhtml }]);
await show('EPUB xhtml in GBK (declared in the XML)', epub(iconv.encode('<?xml version="1.0" encoding="GBK"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>各处室：文件密级：机密★10年</p></body></html>', 'gb18030')), 'a.epub', 'application/epub+zip');
await show('EPUB xhtml in UTF-16 with BOM', epub(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><html><body><p>机密★10年</p></body></html>', 'utf16le')])), 'a.epub', 'application/epub+zip');
await show('EPUB obfuscated font? (IDPF) n/a; xhtml with CSS ::before', epub(Buffer.from('<html xmlns="http://www.w3.org/1999/xhtml"><head><style>.a::before{content:"\\673A"}</style></head><body><p class="a">密★10年</p></body></html>')), 'a.epub', 'application/epub+zip');
process.exit(0);
