import t from 'tap';
import { expectClean, expectFound } from './sample-checks.js';
import { wordFieldCleanSamples, wordFieldSamples } from './word-field-fixtures.js';
import { eqText, fieldFetch, FieldLines } from '../gateway/inspect/decodings/word-fields.js';

// Seventh red team of 1 Dec, R2 (as RTF), R11, R23, R24: Word and RTF fields shown as Word shows them. The same
// samples go through a gateway in gateway-evasions.test.ts.
t.test('fields that spell, draw or fetch a marking or an id are read', (t) => expectFound(t, wordFieldSamples()));

t.test('ordinary documents with fields, and forms left blank, stay clean', (t) => expectClean(t, wordFieldCleanSamples()));

t.test('EQ fields as Word draws them', (t) => {
  t.equal(eqText('\\o\\ac(○,机)'), '机', '带圈字符: the circle is not read');
  t.equal(eqText('\\o(机,)'), '机');
  t.equal(eqText('\\o\\ac(○,\\s\\up 1(密))'), '密', '增大圈号: the character raised');
  t.equal(eqText('\\o\\ac(○,○)'), '○○', 'only shapes: the shapes');
  t.equal(eqText('\\b\\bc\\[(机密)'), '[机密]');
  t.equal(eqText('\\b(a;b)'), '(a,b)', 'a semicolon separates arguments too');
  t.equal(eqText('\\f(1,2)'), '1/2');
  t.equal(eqText('\\a\\al\\co2(a,b,c,d)'), 'a b c d');
  t.equal(eqText('\\d\\fo10()x'), 'x');
  t.equal(eqText('\\x\\to\\bo(\\,\\(\\))'), ',()', 'escaped characters are text');
  t.equal(eqText('\\o('.repeat(40) + '机' + ')'.repeat(40)), '机', 'deep nesting is read as text past the depth followed');
  t.equal(eqText('\\o(机'), '机', 'an element cut short');
  t.end();
});

t.test('fields that fetch', (t) => {
  t.same(fieldFetch(' REF Head \\h '), { from: 'bookmark', name: 'head' });
  t.same(fieldFetch(' REF head \\r \\h '), null, 'a paragraph number is no fetch');
  t.same(fieldFetch('DOCVARIABLE "first part" \\* MERGEFORMAT'), { from: 'variable', name: 'first part' });
  t.same(fieldFetch('SET x "机"'), { set: 'x', value: '机' });
  t.same(fieldFetch(' head '), { from: 'bookmark', name: 'head' }, 'a bare bookmark name');
  t.same(fieldFetch(' PAGE '), null);
  t.same(fieldFetch(' MERGEFIELD 姓名 '), null);
  const lines = new FieldLines();
  lines.text('密级：');
  t.equal(lines.field('REF x'), null, 'not yet known: the result is shown');
  lines.text('★10年\n');
  lines.bookmarkStart('1', 'X');
  lines.text('机密');
  lines.bookmarkEnd('1');
  t.equal(lines.field('REF x'), '机密', 'known: its text');
  t.equal(lines.finish(), '密级：机密★10年\n', 'the line given again whole once known');
  t.equal(lines.finish(), '', 'once');
  t.end();
});
