import t from 'tap';
import { inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

// Markings and keywords: every form, every evasion of issue 6, offsets, chunk
// boundaries, encodings, and the ordinary prose that must stay silent.

/** GB18030 for the BMP characters GBK covers: learnt by decoding every two-byte code once. */
function gb18030(s: string): Buffer {
  const map = new Map<string, number[]>();
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) pairs.push(lead, trail);
  const decoded = new TextDecoder('gb18030').decode(new Uint8Array(pairs));
  for (let i = 0; i < decoded.length; i++) if (!map.has(decoded[i]!)) map.set(decoded[i]!, [pairs[2 * i]!, pairs[2 * i + 1]!]);
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out.push(c);
    else {
      const b = map.get(ch);
      if (!b) throw new Error(`not in GBK: ${ch}`);
      out.push(...b);
    }
  }
  return Buffer.from(out);
}

function utf16be(s: string): Buffer {
  const le = Buffer.from(s, 'utf16le');
  return le.swap16();
}

const FILLER = '本通知适用于全市各级单位。请各单位认真组织学习，按时报送材料。\n'.repeat(120); // > 4,100 bytes: the scanner streams

t.test('every marking form is reported with its level, in Simplified and Traditional', async (t) => {
  const cases: [string, string][] = [
    ['秘密★1年', '秘密'],
    ['绝密★长期', '绝密'],
    ['机密★', '机密'],
    ['機密★6個月', '机密'],
    ['絕密★長期', '绝密'],
    ['密级：秘密', '秘密'],
    ['密級：機密', '机密'],
    ['密级 绝密', '绝密'],
    ['【机密】', '机密'],
    ['〔绝密〕', '绝密'],
    ['［秘密］', '秘密'],
    ['㊙密★3年', '秘密'],
  ];
  for (const [text, level] of cases) {
    const r = await inspectBytes(`关于做好年度工作的通知\n${text}\n正文内容`);
    t.same(kinds(r.findings), [`classified-marking:${level}`], text);
  }
});

t.test('the period is kept in the sample; the offset is the byte offset of the marking', async (t) => {
  const prefix = '文件编号 2024-17\n';
  const r = await inspectBytes(`${prefix}秘密★1年\n`);
  t.equal(r.findings[0]!.offset, Buffer.byteLength(prefix));
  t.equal(r.findings[0]!.sample, '秘密★1年');
  const r2 = await inspectBytes(`${prefix}绝密★长期`);
  t.equal(r2.findings[0]!.sample, '绝密★长期');
});

t.test('evasions: invisible characters, full-width forms, inserted whitespace and punctuation', async (t) => {
  const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u00ad', '\u034f', '\ufe0f'];
  for (const z of invisible) {
    const r = await inspectBytes(`标题\n秘${z}密${z}★${z}1年`);
    t.same(kinds(r.findings), ['classified-marking:秘密'], `U+${z.charCodeAt(0).toString(16)}`);
  }
  for (const text of ['秘 密 ★ 1 年', '秘-密-★', '秘。密★', '秘\n密★', '秘\t\t密 ★', '机·密★', '密 级 ： 机 密', '【 机 密 】', '［机密］']) {
    const r = await inspectBytes(`标题\n${text}`);
    t.equal(r.findings.filter((f) => f.kind === 'classified-marking').length, 1, JSON.stringify(text));
  }
  const kw = await inspectBytes('项目代号：ＰＲＯＪＥＣＴ　ＦＡＬＣＯＮ 与 内\u200b部-资.料', { keywords: ['Project Falcon', '内部资料'] });
  t.same(kinds(kw.findings), ['keyword:Project Falcon', 'keyword:内部资料']);
});

t.test('encodings: GB18030, UTF-16 LE and BE with and without BOM, UTF-8 with BOM', async (t) => {
  const text = `${FILLER}密级：机密\n${FILLER}`;
  const forms: [string, Buffer, number][] = [
    ['utf-8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 3 + Buffer.byteLength(FILLER)],
    ['gb18030', gb18030(text), gb18030(FILLER).length],
    ['utf-16le bom', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 2 + FILLER.length * 2],
    ['utf-16be bom', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]), 2 + FILLER.length * 2],
    ['utf-16le', Buffer.from(text, 'utf16le'), FILLER.length * 2],
    ['utf-16be', utf16be(text), FILLER.length * 2],
  ];
  for (const [name, bytes, offset] of forms) {
    const r = await inspectBytes(bytes);
    t.same(kinds(r.findings), ['classified-marking:机密'], name);
    t.equal(r.findings[0]?.offset, offset, `${name}: byte offset`);
    t.match(r.sniffedType, /^text\//, name);
  }
});

t.test('a marking split across chunks at every position is found once, at the same offset', async (t) => {
  for (const [name, enc] of [
    ['utf-8', (s: string) => Buffer.from(s)],
    ['gb18030', gb18030],
    ['utf-16le', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
  ] as [string, (s: string) => Buffer][]) {
    const head = enc(FILLER);
    const whole = enc(`${FILLER}秘${name === 'gb18030' ? ' ' : '\u200b'}密 ★1年 电话13812345678`);
    const expected = await inspectBytes(whole);
    t.same(kinds(expected.findings), ['classified-marking:秘密', 'personal-data:cn-mobile'], name);
    let bad = 0;
    for (let cut = head.length - 2; cut < whole.length; cut++) {
      for (const second of [cut + 1, cut + 3]) {
        if (second >= whole.length) continue;
        const r = await inspectChunks([whole.subarray(0, cut), whole.subarray(cut, second), whole.subarray(second)]);
        if (JSON.stringify(r.findings) !== JSON.stringify(expected.findings)) bad++;
      }
    }
    t.equal(bad, 0, `${name}: every split gives the same findings`);
  }
  // Byte by byte, the worst case for the decoder.
  const whole = Buffer.from(`${FILLER}【绝密】`);
  const r = await inspectChunks([...whole].map((b) => Buffer.from([b])));
  t.same(kinds(r.findings), ['classified-marking:绝密']);
  t.equal(r.findings[0]!.offset, Buffer.byteLength(FILLER));
});

t.test('all-ASCII text (the regex-skipping path) at every split: keywords, personal data, base64', async (t) => {
  // Regression: '@' was not among the skip targets, so an e-mail in pure ASCII text went unseen.
  const filler = 'The committee met on Tuesday and approved the budget for the next year.\n'.repeat(70);
  const payload = `Project  Falcon: call 13812345678 or mail john.smith@example.com (cc ${Array.from({ length: 9 }, (_, i) => `u${i}@example.com`).join(', ')}); id 11010519491231002X. ${Buffer.from('secret body '.repeat(8)).toString('base64')} end`;
  const whole = Buffer.from(filler + payload);
  // With ASCII keywords every token goes through the character loop; without, lone identifiers are evaluated directly.
  for (const opts of [{ keywords: ['project falcon', 'secret body'] }, {}]) {
    const expected = await inspectBytes(whole, opts);
    const pii = ['personal-data:cn-mobile', 'personal-data:cn-resident-id', 'personal-data:email'];
    t.same(kinds(expected.findings), opts.keywords ? ['keyword:project falcon', 'keyword:secret body', ...pii] : pii);
    t.equal(expected.findings.find((f) => f.subkind === 'email')!.offset, whole.indexOf('john.smith'));
    t.equal(expected.findings.find((f) => f.subkind === 'cn-mobile')!.offset, whole.indexOf('13812345678'));
    if (opts.keywords) t.equal(expected.findings.find((f) => f.subkind === 'secret body')!.path, `base64@${whole.indexOf(Buffer.from('c2VjcmV0'))}`);
    let bad = 0;
    for (let cut = filler.length - 2; cut < whole.length; cut++) {
      const r = await inspectChunks([whole.subarray(0, cut), whole.subarray(cut)], opts);
      if (JSON.stringify(r.findings) !== JSON.stringify(expected.findings)) bad++;
    }
    t.equal(bad, 0, 'every split gives the same findings');
  }
});

t.test('ordinary prose with the same characters is not a marking (no false positives)', async (t) => {
  const clean = [
    '企业应当保护商业秘密，不得泄露工作秘密。',
    '公职人员必须保守秘密，保守国家秘密是每个公民的义务。',
    '数据的机密性、完整性和可用性是信息安全的三要素。',
    '本文讨论绝密档案的管理办法和机密文件的归档流程。',
    '请输入密码。秘书处将于周五开会。',
    '好评★★★★★ 五星推荐',
    '密级标志应当标注在首页左上角（见 GB/T 9704）。',
    '秘密花园 机密任务 绝密行动 —— 电影片名',
    '[1] 参考文献 [2] 机器学习 [3] 密码学',
    'The secret sauce is confidentiality.',
  ].join('\n');
  const r = await inspectBytes(`${clean}\n${FILLER}`);
  t.same(r.findings, [], 'no findings on the clean set');
  t.equal(r.sniffedType, 'text/plain');
});

t.test('keywords: operator list, counted, with offsets', async (t) => {
  const r = await inspectBytes('内部资料 第一页\n内部资料 第二页\nproject falcon', { keywords: ['内部资料', 'Project Falcon', ''] });
  const kw = r.findings.find((f) => f.subkind === '内部资料')!;
  t.equal(kw.count, 2);
  t.equal(kw.offset, 0);
  t.ok(r.findings.find((f) => f.subkind === 'Project Falcon'));
  const none = await inspectBytes('内部的资料 内部ab资料', { keywords: ['内部资料'] });
  t.same(none.findings, [], 'a character that is not a separator, or two letters, break the match');
  const one = await inspectBytes('内部a资料', { keywords: ['内部资料'] });
  t.same(kinds(one.findings), ['keyword:内部资料'], 'one interposed ASCII letter does not (issue 14)');
});

t.test('XML markup between the characters of a marking does not hide it', async (t) => {
  const xml = '<?xml version="1.0"?><w:document><w:p><w:r><w:t>秘</w:t></w:r><w:r><w:t xml:space="preserve">密★1</w:t></w:r><w:r><w:t>年</w:t></w:r></w:p></w:document>';
  const r = await inspectBytes(xml);
  t.same(kinds(r.findings), ['classified-marking:秘密']);
  t.equal(r.findings[0]!.sample, '秘密★1年');
  t.equal(r.sniffedType, 'application/xml');
});

t.test('long base64 runs in text are decoded and inspected', async (t) => {
  const payload = Buffer.from(`${'附件内容 '.repeat(10)}密级：绝密 正文`).toString('base64');
  const lines = payload.match(/.{1,76}/g)!.join('\r\n'); // MIME line breaks inside the run
  const prefix = 'Content-Transfer-Encoding: base64\r\n\r\n';
  const r = await inspectBytes(prefix + lines + '\r\n--end');
  t.same(kinds(r.findings), ['classified-marking:绝密']);
  t.equal(r.findings[0]!.path, `base64@${Buffer.byteLength(prefix)}`);
  const hex = await inspectBytes(`sha256 ${'0123456789abcdef'.repeat(8)}\n`);
  t.same(hex.findings, [], 'a hex digest is not taken for base64');
});

t.test('a body under 64 KiB goes to its worker whole, a longer one streams: same findings either side, and forty at once', async (t) => {
  // content-stage.ts holds chunks up to 64 KiB to send them in one message; past
  // that it hands the held ones on in order and streams the rest.
  const body = (fill: number) => Buffer.from(`${'x'.repeat(fill)}【绝密】 电话13812345678\n`);
  const under = body(60 * 1024);
  const over = body(64 * 1024 - 3); // the marking straddles the 64 KiB point
  t.ok(under.length < 64 * 1024 && over.length > 64 * 1024);
  for (const [name, b] of [['under', under], ['over', over]] as const) {
    for (const cut of [1024, 60 * 1024, 64 * 1024 - 1, 64 * 1024 + 1]) {
      if (cut >= b.length) continue;
      const r = await inspectChunks([b.subarray(0, cut), b.subarray(cut)]);
      t.same(kinds(r.findings), ['classified-marking:绝密', 'personal-data:cn-mobile'], `${name}, cut at ${cut}`);
      t.equal(r.findings.find((f) => f.kind === 'classified-marking')!.offset, b.indexOf('【'), `${name}, cut at ${cut}: offset`);
    }
  }
  // More small bodies at once than the pool has workers: each waits its turn and gets its own findings.
  const many = await Promise.all(Array.from({ length: 40 }, (_, i) => inspectBytes(i % 2 ? `第${i}号通知【秘密】` : `第${i}号通知，无密级。`)));
  t.same(many.map((r) => kinds(r.findings).join()), Array.from({ length: 40 }, (_, i) => (i % 2 ? 'classified-marking:秘密' : '')));
});
