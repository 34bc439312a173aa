import t from 'tap';
import { DigitForms } from '../gateway/inspect/marks/digit-forms.js';
import { ListReader, listStart, listText, parseList, type ListKind } from '../gateway/inspect/decodings/number-lists.js';
import { inspectBytes, kinds, residentId } from './inspect-fixtures.js';

// The work of a reading grows with its input, not with its square (issue 14,
// "No stall"; red team of 30 Nov): measured as the text a reading hands on,
// never as time.

/** Characters DigitForms writes out for `text` fed in chunks of `chunk`. */
function written(text: string, chunk = 65536): number {
  const d = new DigitForms();
  let n = 0;
  for (let p = 0; p < text.length; p += chunk) n += d.push(text.slice(p, p + chunk), false).length;
  return n + d.push('', true).length;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
}

t.test('a long stretch of single digits or numerals is written out about once, not once a place', async (t) => {
  const rnd = seeded(7);
  const digits = Array.from({ length: 64 * 1024 }, () => String(Math.floor(rnd() * 10))).join(' ');
  const numerals = Array.from({ length: 64 * 1024 }, () => '〇一二三四五六七八九'[Math.floor(rnd() * 10)]).join('');
  // Each place walked back 512 characters and parsed the stretch again: 18 times the input (256 KiB: 4-11 CPU-s).
  for (const [name, text] of [['digits apart by spaces', digits], ['Chinese numerals', numerals]] as const) {
    const n = written(text);
    t.ok(n > 0, `${name}: written out`);
    t.ok(n <= 1.5 * text.length, `${name}: ${n} characters written for ${text.length} read`);
    const small = written(text, 4096);
    t.ok(small <= 1.5 * text.length, `${name}: ${small} characters written in chunks of 4 KiB`);
  }
});

t.test('forms beside and inside long stretches are still read', async (t) => {
  const id = residentId('110105', '19491231', '002');
  const spelt = [...id].join(' ');
  const rnd = seeded(11);
  const filler = Array.from({ length: 3000 }, () => String(Math.floor(rnd() * 10)) + String(Math.floor(rnd() * 10))).join(' ');
  // After a long stretch of two-digit numbers (digits and separators throughout, parsed in windows), an id digit by digit, an id in 6-8-4.
  const r1 = await inspectBytes(`${filler} 号码：${spelt} x\n${filler}\n`);
  t.ok(kinds(r1.findings).includes('personal-data:cn-resident-id'), 'digit by digit between 9,000 characters of numbers');
  const r2 = await inspectBytes(`${filler}/${id.slice(0, 6)}/${id.slice(6, 14)}/${id.slice(14)} x\n${filler}\n`);
  t.ok(kinds(r2.findings).includes('personal-data:cn-resident-id'), '6-8-4 between 9,000 characters of numbers');
  const r3 = await inspectBytes(`${filler}\n`);
  t.same(kinds(r3.findings), [], 'the numbers alone: clean');
});

t.test('a list of numbers is parsed once, and answers at each of its numbers as parsed from there', async (t) => {
  // The token reader asks at each number of a list that spells nothing; parsed from each, a one-line
  // JSON array of n numbers cost n² (256 KiB: 20 CPU-s). ListReader parses it once: the same answers.
  const rnd = seeded(5);
  let asks = 0;
  let texts = 0;
  let differ = 0;
  for (let trial = 0; trial < 60; trial++) {
    const kind = (['dec', 'dec', 'hex', 'uplus'] as const)[trial % 4]! as ListKind;
    const n = trial % 10 === 0 ? 5000 : Math.floor(rnd() * 60);
    const values = Array.from({ length: n }, () =>
      rnd() < 0.1 ? [26426, 23494, 9733, 0xe6, 0x9c, 0xba, 0xe5, 0xaf, 0x86][Math.floor(rnd() * 9)]! : Math.floor(rnd() * [32, 256, 1000, 0x9fff][trial % 4]!),
    );
    const item = (v: number): string => (kind === 'dec' ? String(v) : kind === 'hex' ? `0x${v.toString(16)}` : `u+${v.toString(16).padStart(4, '0')}`);
    const s = `x = [${values.map(item).join([', ', ' ', ';', ','][trial % 4]!)}]`;
    const end = trial % 3 === 0 ? Math.floor(s.length * rnd()) : s.length;
    const reader = new ListReader();
    const at = kind === 'dec' ? /[0-9]+/g : kind === 'hex' ? /0x/g : /u\+/g;
    let k = 0;
    for (let m = at.exec(s); m && m.index < end; m = at.exec(s)) {
      if (kind !== 'dec' && !listStart(s, m.index)) continue;
      const got = reader.textAt(s, m.index, end, kind);
      // (The reference parses from each number: on the long lists, at one in 50 and at the last 150.)
      if (n > 1000 && k++ % 50 !== 0 && m.index < s.length - 150 * 8) continue;
      const r = parseList(s, m.index, end, kind);
      const text = listText(r.values);
      const want = text === null ? null : { text, end: r.end };
      asks++;
      if (want) texts++;
      if (JSON.stringify(got) !== JSON.stringify(want)) differ++;
    }
  }
  t.ok(texts > 100 && asks > texts, `${asks} asks, ${texts} of them text`);
  t.equal(differ, 0, 'every answer as parseList and listText give it');
});

t.test('a long one-line array of numbers: what its last numbers spell is read, the rest is clean', async (t) => {
  const rnd = seeded(9);
  const numbers = Array.from({ length: 20000 }, () => String(Math.floor(rnd() * 1000))).join(', ');
  const marked = await inspectBytes(`[${numbers}, 26426, 23494, 9733, 49, 48, 24180]\n`);
  t.ok(kinds(marked.findings).includes('classified-marking:机密'), '机密★10年 spelt as code points at the end');
  const clean = await inspectBytes(`[${numbers}]\n`);
  t.same(kinds(clean.findings), [], 'the numbers alone: clean');
});
