import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { formCleanSamples, formSamples } from './fpfix-fixtures.js';

// F4, F5 (red team, 1 Dec b): a 密级 field that lists the levels to tick is
// no marking, nor is a 密级 column before 机密性; a ticked level is one, and
// so is a single level after 密级 (level-choices.ts).


t.test('forms that list the levels cross, whole and in chunks', async (t) => {
  for (const s of formCleanSamples()) {
    t.same(kinds((await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type })).findings), [], s.name);
    if (s.filename.endsWith('.txt')) {
      for (const size of [1, 5, 16]) t.same(kinds((await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type })).findings), [], `${s.name}, chunks of ${size}`);
    }
  }
});

t.test('a ticked level, and a single level, are markings, whole and in chunks', async (t) => {
  for (const s of formSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'classified-marking'), `${s.name} (${kinds(r.findings).join(', ')})`);
    if (s.filename.endsWith('.txt')) {
      for (const size of [1, 5, 16]) t.ok((await inspectChunks(chunksOf(s.body, size), {}, { filename: s.filename, declaredType: s.type })).findings.some((f) => f.kind === 'classified-marking'), `${s.name}, chunks of ${size}`);
    }
  }
  const ticked = await inspectBytes('密级：□绝密 ☑机密 □秘密 □非密\n');
  t.same(ticked.findings.map((f) => [f.subkind, f.sample]), [['机密', '密级：☑机密']], 'the ticked level is named');
  const two = await inspectBytes('密级：☑绝密 ☑机密 □秘密\n');
  t.same(two.findings.map((f) => f.sample).sort(), ['密级：☑机密', '密级：☑绝密'], 'two ticked, two named');
});

t.test('the label in other texts is read as before', async (t) => {
  for (const [text, want] of [
    ['密级：机密性', []],
    ['密级：机密\n性别：男\n', ['classified-marking:机密']],
    ['密级：机密 性别：男\n', ['classified-marking:机密']],
    ['密级：机密文件\n', ['classified-marking:机密']],
    ['密级：绝密★30年\n', ['classified-marking:绝密']],
    ['密级：【机密】\n', ['classified-marking:机密']],
    ['密级：机密/秘密/绝密\n', []],
    ['密级：机密、秘密\n', []],
    ['绝密级 秘密\n', []],
    ['机密级：秘密\n', []],
  ] as [string, string[]][]) {
    t.same(kinds((await inspectBytes(text)).findings), want, JSON.stringify(text));
  }
});

t.test('forms repeated, cut by chunks anywhere (in a choice word, in a box), and the bound on readings', async (t) => {
  const unit = '密级：□绝密 □机密 □秘密 □非密 口口口口 [ ]内部 ';
  const many = Buffer.from(unit.repeat(900));
  for (const size of [4096, 1000, 7]) t.same(kinds((await inspectChunks(chunksOf(many, size), {}, { filename: 'forms.txt', declaredType: 'text/plain' })).findings), [], `900 forms in chunks of ${size}`);
  // Past 1,024 labels in one text each is read as a marking (text made of labels costs no more than other text).
  const more = Buffer.from(unit.repeat(1100));
  t.same(kinds((await inspectBytes(more, {}, { filename: 'forms.txt', declaredType: 'text/plain' })).findings), ['classified-marking:绝密'], '1,100 forms: a marking');
});

t.test("Word 97-2003 symbols: '(' before every choice is a box or a tick unread, read as ticks", async (t) => {
  t.same(kinds((await inspectBytes('密级：(绝密 (机密 (秘密\n')).findings), ['classified-marking:机密', 'classified-marking:秘密', 'classified-marking:绝密'], "密级：(绝密 (机密 (秘密");
  for (const clean of ['密级(绝密/机密/秘密/非密)\n', '密级：绝密( ) 机密( ) 秘密( )\n', '密级（绝密/机密/秘密）\n']) t.same(kinds((await inspectBytes(clean)).findings), [], clean);
});
