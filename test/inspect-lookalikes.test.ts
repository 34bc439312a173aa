import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { lookalikeCleanSamples, lookalikeSamples } from './fpfix-fixtures.js';

// N12, N17, N21 (red team, 1 Dec b): ISO-2022-CN text, the star class widened
// by block (text-fold.ts STARS, PLANE1_STARS), and names whose characters an
// archiver wrote as code points (name-scan.ts); the look-alikes beside them.

t.test('a marking in ISO-2022-CN, with a dingbat star, in a name of code points is refused', async (t) => {
  for (const s of lookalikeSamples()) {
    const r = await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type });
    t.ok(r.findings.some((f) => f.kind === 'classified-marking' && f.subkind === '机密'), `${s.name} (${kinds(r.findings).join(', ')})`);
  }
});

t.test('the look-alikes cross', async (t) => {
  for (const s of lookalikeCleanSamples()) t.same(kinds((await inspectBytes(s.body, {}, { filename: s.filename, declaredType: s.type })).findings), [], s.name);
});

t.test('every star of the class, in the BMP and in plane 1', async (t) => {
  const stars = ['★', '☆', '⭐', '✡', '✢', '✦', '✧', '✨', '✱', '✳', '✿', '❀', '❄', '❋', '⭑', '⭒', '⛤', '⚝', '٭', '🌟', '🌠', '🔯', '🟀', '🟘'];
  for (const st of stars) t.same(kinds((await inspectBytes(`秘密${st}1年`)).findings), ['classified-marking:秘密'], `秘密${st}1年`);
  // Not stars: the asterisks prose and Markdown write, and plane-1 neighbours of the stars.
  for (const other of ['*', '＊', '∗', '⁎', '🌞', '🟙']) t.same(kinds((await inspectBytes(`秘密${other}1年`)).findings), [], `秘密${other}1年`);
  // A star that continues no match is passed over, as ★ is.
  t.same(kinds((await inspectBytes('机🌟密★10年')).findings), ['classified-marking:机密'], '机🌟密★10年');
});
