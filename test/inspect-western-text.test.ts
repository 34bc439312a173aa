// Third red team, F5: Latin-1 and Windows-1252 text (an ISO-8859-1 HTML page
// with one ©, smart quotes in a .txt, a German partner's CSV) was refused
// type-mismatch:application/octet-stream whatever its declared type. It is
// text, read as Windows-1252 with its UTF-8 sequences read as UTF-8
// (western-text.ts); binary content declared as text is still refused.
import { createCipheriv } from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import iconv from 'iconv-lite';
import { guessText } from '../gateway/inspect/text/text-encoding.js';
import { WesternDecoder } from '../gateway/inspect/text/western-text.js';
import { inspectBytes, inspectChunks, kinds, residentId } from './inspect-fixtures.js';

const W = (s: string): Buffer => iconv.encode(s, 'cp1252');
const FR = 'Le comité a approuvé le budget de l’année ; les délégués ont été informés « à temps ».\n';
const DE = 'Sehr geehrte Frau Müller, anbei die Übersicht für das Geschäftsjahr. Grüße aus Köln.\n';
const ID = residentId('110105', '19491231', '002');

/** An ISO-8859-1 page as libxslt's tutorial is: its charset declared, one © byte. */
export function latin1Page(body = 'Some tutorial text about XSLT processing. '.repeat(40)): Buffer {
  return Buffer.concat([
    Buffer.from(`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">\n<html><head><meta content="text/html; charset=ISO-8859-1" http-equiv="Content-Type"><title>Tutorial</title></head>\n<body><p>${body}</p><p class="copyright">Copyright `),
    Buffer.from([0xa9]),
    Buffer.from(' 2001 John Fleck</p></body></html>\n'),
  ]);
}

/** Bytes from a fixed generator (no chance in a test). */
function seeded(n: number, pick: (r: number) => number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    b[i] = pick(seed / 0x7fffffff);
  }
  return b;
}

t.test('Latin-1 and Windows-1252 text is text of its declared type', async (t) => {
  const cases: Array<[string, Buffer, string, string, string]> = [
    ['an ISO-8859-1 page with one ©', latin1Page(), 'tutorial.html', 'text/html', 'text/html'],
    ['the same, its charset declared', latin1Page(), 'tutorial.html', 'text/html; charset=iso-8859-1', 'text/html'],
    ['smart quotes (93/94) in a .txt', W(`Minutes of the meeting. The committee “agreed” on the café budget.\n${'More ordinary text. '.repeat(50)}\n`), 'minutes.txt', 'text/plain', 'text/plain'],
    ['smart quotes in a .csv', W(`name,comment\n${'Dupont,“ok” – vu\n'.repeat(40)}`), 'list.csv', 'text/csv', 'text/plain'],
    ['a French letter', W(FR.repeat(40)), 'lettre.txt', 'text/plain', 'text/plain'],
    ['a German CSV (Mü, ße: pairs GB18030 decodes)', W(`Name;Straße;Ort;Betrag\n${'Müller;Hauptstraße 5;Köln;12,50 €\nGärtner;Bahnhofstraße 12;Düsseldorf;7,00 €\n'.repeat(40)}`), 'partner.csv', 'text/csv', 'text/plain'],
    ['Latin-2 (Polish), read as text too', iconv.encode('Zażółć gęślą jaźń. Szanowni Państwo, przesyłamy sprawozdanie.\n'.repeat(50), 'iso-8859-2'), 'pl.txt', 'text/plain', 'text/plain'],
  ];
  for (const [name, body, filename, declaredType, sniffed] of cases) {
    const r = await inspectBytes(body, {}, { filename, declaredType });
    t.same(kinds(r.findings), [], `${name}: no finding`);
    t.equal(r.sniffedType, sniffed, `${name}: sniffed ${sniffed}`);
  }
  const de = W(DE.repeat(40));
  t.equal(guessText(de.subarray(0, 4100), false)?.encoding, 'windows-1252', 'German Latin-1 is read as Windows-1252, not as the GB18030 it also decodes as');
  t.equal(guessText(iconv.encode('关于保守商业秘密的提示：请遵守工作秘密管理规定, abc 123.\n'.repeat(40), 'gbk').subarray(0, 4100), false)?.encoding, 'gb18030', 'while GBK is still GB18030');
  t.equal(guessText(iconv.encode('文件：請閱。關於保守商業秘密的提示，請遵守工作秘密管理規定。\n'.repeat(40), 'big5').subarray(0, 4100), false)?.encoding, 'gb18030', 'and Big5 as before (GB18030, with its lens)');
});

t.test('binary content declared as text is still refused', async (t) => {
  const refused = async (name: string, body: Buffer): Promise<void> => {
    const r = await inspectBytes(body, {}, { filename: 'notes.txt', declaredType: 'text/plain' });
    t.ok(r.findings.some((f) => f.kind === 'type-mismatch'), `${name}: type-mismatch (${kinds(r.findings).join(' ')})`);
  };
  await refused('encrypted bytes', createCipheriv('aes-256-ctr', Buffer.alloc(32, 1), Buffer.alloc(16)).update(Buffer.alloc(8000)));
  await refused('bare deflate of French text', zlib.deflateRawSync(W(FR.repeat(200))));
  // Printable ASCII with one byte in five from the high half: no control, but 7.3 bits a byte.
  await refused('random printable bytes and high ones', seeded(8000, (r) => (r < 0.2 ? 0xa0 + Math.floor((r / 0.2) * 96) : 0x20 + Math.floor(((r - 0.2) / 0.8) * 95))));
  // (Cyrillic in cp1251 was here: typed binary, as letters in the high half are no Western text. It is read in its code page
  // now, inspect-cyrillic-greek.test.ts.) High bytes in words that are no language's letters stay binary.
  await refused('high bytes in words, not the letters a language uses', seeded(8000, (r) => (r < 0.15 ? 0x20 : 0x80 + Math.floor(((r - 0.15) / 0.85) * 128))));
  await refused('a zlib stream at level 1 (78 01, a disk image to file-type)', zlib.deflateSync(seeded(8000, (r) => Math.floor(r * 256)), { level: 1 }));
});

t.test('Western text is read in every encoding it may hold', async (t) => {
  const found = async (name: string, body: Buffer, kind: string, opts = {}): Promise<void> => {
    const r = await inspectBytes(body, opts, { filename: 'a.txt', declaredType: 'text/plain' });
    t.ok(r.findings.some((f) => `${f.kind}:${f.subkind ?? ''}`.startsWith(kind)), `${name}: ${kind} (${kinds(r.findings).join(' ')})`);
    t.notOk(kinds(r.findings).includes('type-mismatch:application/octet-stream'), `${name}: and no type-mismatch`);
  };
  const body = (inner: Buffer): Buffer => Buffer.concat([W(FR.repeat(30)), inner, W(FR.repeat(30))]);
  await found('a UTF-8 marking right after two Latin-1 letters', body(Buffer.concat([W('éé '), Buffer.from('机密★10年')])), 'classified-marking');
  await found('a GBK marking', body(iconv.encode('备注：机密★10年\n', 'gbk')), 'classified-marking');
  await found('an id number', body(W(`Numéro : ${ID}\n`)), 'personal-data:cn-resident-id');
  await found('entities in a Latin-1 page', Buffer.concat([W(`<html><body>${FR.repeat(30)}`), W('<p>&#26426;&#23494;&#9733;10&#24180;</p>'), W(`${FR.repeat(30)}</body></html>`)]), 'classified-marking');
  await found('base64 of a marking', body(W(`${Buffer.from('备注：机密★10年，请阅').toString('base64')}\n`)), 'classified-marking');
  // After 4,100 bytes of ASCII the page is read as UTF-8, its accents as U+FFFD: they held the views off (no finding before).
  const asciiHead = W(`<html><head><title>Rapport</title></head><body>\n${'Some plain introduction text for the page. '.repeat(100)}`);
  await found('entities in a Latin-1 body after an ASCII head', Buffer.concat([asciiHead, W(FR.repeat(60)), W('<p>&#26426;&#23494;&#9733;10&#24180;</p>'), W(`${FR.repeat(20)}</body></html>`)]), 'classified-marking');
  await found('percent-encoding in a Latin-1 body after an ASCII head', Buffer.concat([asciiHead, W(FR.repeat(60)), W(`q=${encodeURIComponent('机密★10年')}\n`), W(FR.repeat(20))]), 'classified-marking');
  await found('a keyword written with its accents', body(W('Mention : Confidentiel Défense\n')), 'keyword', { keywords: ['Confidentiel Défense'] });
  const prefix = W(FR.repeat(3));
  const r = await inspectBytes(Buffer.concat([prefix, W(`${ID}\n`)]), {}, { filename: 'a.txt', declaredType: 'text/plain' });
  t.equal(r.findings.find((f) => f.kind === 'personal-data')?.offset, prefix.length, 'findings carry byte offsets (a Windows-1252 byte is one)');
  // Cut anywhere, chunk by chunk, the same.
  const marked = body(Buffer.from(' 机密★10年 '));
  const cut = marked.indexOf(Buffer.from('机')) + 1;
  const chunked = await inspectChunks([marked.subarray(0, 4200), marked.subarray(4200, cut), marked.subarray(cut)], {}, { filename: 'a.txt', declaredType: 'text/plain' });
  t.ok(chunked.findings.some((f) => f.kind === 'classified-marking'), 'a UTF-8 character cut between two chunks is read whole');
});

t.test('UTF-8 with a few stray bytes is read as UTF-8, not as the GB18030 it also decodes as', async (t) => {
  // Found on the way (F5's branch): three bytes in front (D3 4D 34, which base64 `0000` decodes to) and the
  // UTF-8 after them pairs up as GB18030; read so, the marking was missed (202, no finding), at the top level
  // and in a base64 run whose first characters decode to such bytes.
  const text = Buffer.from(`备注：机密★10年，请阅。${'季度工作总结各项任务按期完成'.repeat(3)}`.repeat(3));
  for (const [name, body] of [
    ['D3 4D 34 in front', Buffer.concat([Buffer.from([0xd3, 0x4d, 0x34]), text])],
    ['6B 5D B7 E3 9E BB in front', Buffer.concat([Buffer.from('a1234567', 'base64'), text])],
    ['in base64, after four characters that decode to D3 4D 34', Buffer.from(`0000${text.toString('base64')}\n`)],
  ] as Array<[string, Buffer]>) {
    const r = await inspectBytes(body, {}, { filename: 'a.txt', declaredType: 'text/plain' });
    t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${name}: classified-marking (${kinds(r.findings).join(' ')})`);
  }
  const gbkCsv = iconv.encode(`姓名,金额\n${'张三,1234.50\n李四,99.00\n'.repeat(100)}`, 'gbk');
  t.equal(guessText(gbkCsv.subarray(0, 4100), false)?.encoding, 'gb18030', 'a GBK CSV of few Chinese names is still GB18030');
  const traditional = '關於保守商業機密的提示：請遵守工作秘密管理規定，注意資料的機密性。'.repeat(60);
  for (const [name, enc, text] of [['GBK', 'gbk', traditional], ['Big5', 'big5', traditional], ['EUC-KR', 'euc-kr', '기밀 정보 취급에 관한 안내입니다. 관계자 여러분께 알려드립니다.'.repeat(60)]]) {
    t.equal(guessText(iconv.encode(text!, enc!).subarray(0, 4100), false)?.encoding, 'gb18030', `${name} text (3 to 6 stray bytes a UTF-8 sequence by chance) is read as before`);
  }
});

t.test('the Western decoder: UTF-8 where it is UTF-8, Windows-1252 elsewhere, across chunks', async (t) => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const d = new WesternDecoder();
  const expected = [...all].map((b) => ([0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b) ? String.fromCharCode(b) : iconv.decode(Buffer.from([b]), 'cp1252'))).join('');
  t.equal(d.decode(all), expected, 'bytes that form no UTF-8 sequence are Windows-1252 (81 8D 8F 90 9D as C1 controls)');
  t.equal(expected.slice(0x93, 0x95), '“”', '(93 and 94 are the smart quotes)');
  const mixed = Buffer.concat([W('“café” '), Buffer.from('机密★ 😀 é'), W(' è')]);
  t.equal(new WesternDecoder().decode(mixed), '“café” 机密★ 😀 é è', 'valid UTF-8 (two, three and four bytes) is read as UTF-8');
  for (let k = 1; k < mixed.length; k++) {
    const s = new WesternDecoder();
    const got = s.decode(mixed.subarray(0, k), { stream: true }) + s.decode(mixed.subarray(k), { stream: true }) + s.decode();
    if (got !== '“café” 机密★ 😀 é è') t.fail(`cut at ${k}: ${got}`);
  }
  t.pass('the same cut at every byte');
  const s = new WesternDecoder();
  t.equal(s.decode(Buffer.from([0x41, 0xe6, 0x9c]), { stream: true }) + s.decode(), 'Aæœ', 'a sequence cut by the end of the content is Windows-1252');
  t.equal(new WesternDecoder().decode(Buffer.from([0xed, 0xa0, 0x80, 0xc0, 0xaf])), 'í\u00a0€À¯', 'surrogates and overlong forms are no UTF-8');
});
