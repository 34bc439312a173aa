import t from 'tap';
import { DigitForms } from '../gateway/inspect/digit-forms.js';
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
