// Legacy Office read as its application reads it: a compound file's streams
// reassembled from their sectors, a Word document's pieces in piece-table
// order, an Excel workbook's shared strings across CONTINUE records; what is
// encrypted or cannot be parsed is uninspectable; ordinary files stay clean.
import t from 'tap';
import { MARK } from './evasion-fixtures.js';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { encryptedPackage, fragmentedStream, wordDocument, xlsCellBook, xlsWorkbook } from './ole2-fixtures.js';
import { big5RtfCleanSamples, big5RtfSamples, checkSamples, lzfuCompress, msgRtfCleanSamples, msgRtfSamples, outlookMessage, xlsNumberCleanSamples, xlsNumberSamples } from './office-fixtures.js';
import { isCompressedRtf, lzfuDecompress } from '../gateway/inspect/documents/lzfu.js';
import { excelNumber, xlsCells } from '../gateway/inspect/documents/xls-cells.js';

const DOC = { filename: 'a.doc', declaredType: 'application/msword' };
const XLS = { filename: 'a.xls', declaredType: 'application/vnd.ms-excel' };
const has = (b: Buffer, s: string) => b.includes(Buffer.from(s, 'utf16le'));

t.test('a stream whose sectors are out of order is read in FAT order', async (t) => {
  // 255 characters, then the marking from byte 510: it straddles byte 512 of the stream, the
  // boundary of its first two sectors. Past 4,096 bytes, so the stream has regular sectors.
  const text = Buffer.from(`${'会议纪要'.repeat(64).slice(0, 255)}${MARK}${'。正文'.repeat(1200)}`, 'utf16le');
  t.ok(text.indexOf(Buffer.from(MARK, 'utf16le')) < 512 && text.indexOf(Buffer.from(MARK, 'utf16le')) + 14 > 512, 'the marking straddles the sector boundary');
  const file = fragmentedStream('Notes', text);
  t.notOk(has(file, MARK), 'the raw file does not hold the marking whole');
  for (const r of [await inspectBytes(file, {}, DOC), await inspectChunks([file.subarray(0, 700), file.subarray(700)], {}, DOC)]) {
    const f = r.findings.find((x) => x.kind === 'classified-marking');
    t.ok(f, `found (${kinds(r.findings).join(', ')})`);
    t.equal(f?.path, 'Notes', 'in the stream it was reassembled from');
  }
});

t.test('a Word document is read in piece-table order', async (t) => {
  const pieces = [{ text: '关于专项工作的通知：本文件' }, { text: '机' }, { text: '密★10年，请妥善保管。' }, { text: ' Ref 2026-114 ', compressed: true }];
  const doc = wordDocument(pieces, [2, 3, 0, 1]);
  t.notOk(has(doc, MARK), 'stored out of order, the raw file does not hold the marking');
  const r = await inspectBytes(doc, {}, DOC);
  t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `found in the reassembled text (${kinds(r.findings).join(', ')})`);
  const clean = await inspectBytes(wordDocument([{ text: '季度工作总结：' }, { text: 'Quarterly summary, all tasks done.', compressed: true }, { text: '商业秘密与工作秘密均按规定管理。' }], [1, 0, 2]), {}, DOC);
  t.same(clean.findings, [], 'an ordinary document in pieces gives no finding');
});

t.test("an Excel workbook's shared strings are joined across CONTINUE records", async (t) => {
  const book = xlsWorkbook(['东区', '合计', `附件说明：${MARK}`], 6);
  t.notOk(has(book, MARK), 'cut by a CONTINUE record, the raw file does not hold the marking');
  const r = await inspectBytes(book, {}, XLS);
  t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `found (${kinds(r.findings).join(', ')})`);
  t.same((await inspectBytes(xlsWorkbook(['东区', '西区', '合计：一季度工作情况统计'], 4), {}, XLS)).findings, [], 'an ordinary workbook gives no finding');
});

t.test('encrypted or unparseable legacy Office is uninspectable', async (t) => {
  const cases: Array<[string, Buffer, typeof DOC]> = [
    ['a Word document with fEncrypted', wordDocument([{ text: '普通文本' }], [0], { encrypted: true }), DOC],
    ['a workbook with FILEPASS', xlsWorkbook(['东区'], 0, { encrypted: true }), XLS],
    ['an OOXML document under a password (EncryptedPackage)', encryptedPackage(), { filename: 'a.docx', declaredType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }],
    ['a Word document whose piece table is cut', wordDocument([{ text: '普通文本' }, { text: '第二段' }], [0, 1], { brokenClx: true }), DOC],
  ];
  for (const [name, body, o] of cases) {
    const r = await inspectBytes(body, {}, o);
    t.ok(r.findings.some((f) => f.kind === 'uninspectable'), `${name}: ${kinds(r.findings).join(', ')}`);
  }
  const torn = wordDocument([{ text: '普通文本' }]);
  const r = await inspectBytes(torn.subarray(0, 1100), {}, DOC);
  t.ok(r.findings.some((f) => f.kind === 'uninspectable'), `a compound file cut short: ${kinds(r.findings).join(', ')}`);
});

t.test('an Excel workbook is read cell by cell: numbers as Excel shows them, in rows', async (t) => {
  await checkSamples(t, xlsNumberSamples(), xlsNumberCleanSamples());
});

t.test('numbers render as Excel General shows them; rows keep their columns', async (t) => {
  t.equal(excelNumber(13812345678), '13812345678');
  t.equal(excelNumber(1234.5), '1234.5');
  t.equal(excelNumber(0.1 + 0.2), '0.3', 'to 15 significant digits');
  t.equal(excelNumber(110105194912310020), '110105194912310000', 'past 15 digits Excel keeps zeros');
  const book = xlsCellBook([{ r: 0, c: 0, v: 'a' }, { r: 0, c: 2, v: 7, as: 'rk' }, { r: 0, c: 3, v: 1.25, as: 'rk' }, { r: 1, c: 1, v: -3, as: 'number' }]);
  const CFB = (await import('cfb')).default;
  const wb = CFB.find(CFB.read(book, { type: 'buffer' }), 'Workbook')!.content as Uint8Array;
  t.same(xlsCells(Buffer.from(wb), ['a']), ['a,,7,1.25\n-3']);
});

t.test("an Outlook message's body stored only as compressed RTF is decompressed and read as RTF", async (t) => {
  for (const s of msgRtfSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === s.expect), `${s.name}: ${kinds(r.findings).join(', ')}`);
    t.ok(r.findings.some((f) => f.kind === s.expect && /10090102\(rtf\)$/.test(f.path ?? '')), 'found in the decompressed body');
  }
  for (const s of msgRtfCleanSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.same(r.findings, [], `${s.name}: clean`);
  }
  // A CRC that does not match is uninspectable, and what decompressed is read all the same.
  const bad = outlookMessage('会议通知', lzfuCompress(Buffer.from(`{\\rtf1\\ansi\\pard \\u26426?\\u23494?\\u9733?10\\u24180?\\par}`, 'latin1'), { badCrc: true }));
  const r = await inspectBytes(bad, {}, { filename: 'a.msg', declaredType: 'application/vnd.ms-outlook' });
  t.ok(r.findings.some((f) => f.kind === 'uninspectable'), `a bad CRC: ${kinds(r.findings).join(', ')}`);
  t.ok(r.findings.some((f) => f.kind === 'classified-marking'), 'read all the same');
  // A RAWSIZE smaller than the RTF (the review of 1 Dec: the RTF was cut there and the rest never read).
  const short = lzfuCompress(Buffer.from(`{\\rtf1\\ansi hello}${' '.repeat(40)}{\\rtf1\\ansi\\pard \\u26426?\\u23494?\\u9733?10\\u24180?\\par}`, 'latin1'));
  short.writeUInt32LE(18, 4);
  const cut = await inspectBytes(outlookMessage('会议通知', short), {}, { filename: 'a.msg', declaredType: 'application/vnd.ms-outlook' });
  t.ok(cut.findings.some((f) => f.kind === 'classified-marking'), `a RAWSIZE of 18: the rest is read (${kinds(cut.findings).join(', ')})`);
  t.ok(cut.findings.some((f) => f.kind === 'uninspectable'), 'and the lie is a reason to refuse');
});

t.test('LZFu: round trip, bounds, and what is broken', async (t) => {
  const raw = Buffer.from(`{\\rtf1\\ansi\\ansicpg936 ${'\\pard\\plain\\f0\\fs20 abc abc abc\\par '.repeat(300)}}`, 'latin1');
  const comp = lzfuCompress(raw);
  t.ok(comp.length < raw.length / 2, `compressed ${raw.length} to ${comp.length}`);
  t.ok(isCompressedRtf(comp));
  const r = lzfuDecompress(comp, 1 << 20);
  t.ok(r.ok && r.rtf.equals(raw), 'round trip');
  const small = lzfuDecompress(comp, 100);
  t.equal(small.rtf.length, 100, 'at most max bytes');
  t.notOk(small.ok, 'and says the rest was not read');
  const cut = lzfuDecompress(comp.subarray(0, comp.length - 40), 1 << 20);
  t.notOk(cut.ok, `cut short: ${cut.ok ? '' : cut.why}`);
  t.ok(cut.rtf.length > 0 && raw.subarray(0, cut.rtf.length).equals(cut.rtf), 'what came before the cut is given');
  const lying = Buffer.from(comp);
  lying.writeUInt32LE(0xffffffff, 4); // RAWSIZE claims 4 GiB: the output is bounded by what is produced and by max
  t.ok(lzfuDecompress(lying, 1 << 16).rtf.length <= 1 << 16);
  t.notOk(isCompressedRtf(Buffer.from('{\\rtf1 plain}')));
});

t.test('RTF in a double-byte code page is read with its trail bytes in the clear', async (t) => {
  await checkSamples(t, big5RtfSamples(), big5RtfCleanSamples());
});
