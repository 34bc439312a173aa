// Cyrillic and Greek text in a single-byte code page (Windows-1251, KOI8-R,
// ISO-8859-7): typed binary before (letters in the high half, past
// western-text.ts's share), refused type-mismatch as a .txt or .csv and read
// only in stretches; now text in its code page (western-text.ts
// cyrillicOrGreek), so that what it carries in ASCII (an id number, a mobile
// number, an operator's keyword) and a UTF-8 marking inside it are read, and
// ordinary such files cross. Random high bytes stay binary.
import iconv from 'iconv-lite';
import t from 'tap';
import { guessText } from '../gateway/inspect/text/text-encoding.js';
import { MARK, ID } from './evasion-fixtures.js';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { noise } from './media-fixtures.js';

const RU = 'Настоящим сообщаем, что документы по проекту переданы в отдел кадров. Просим подтвердить получение до пятницы.\n';
const EL = 'Σας ενημερώνουμε ότι τα έγγραφα του έργου διαβιβάστηκαν στο τμήμα προσωπικού. Παρακαλούμε επιβεβαιώστε την παραλαβή.\n';
const texts: Array<[string, string, string]> = [
  ['Russian in Windows-1251', RU, 'windows-1251'],
  ['Russian in KOI8-R', RU, 'koi8-r'],
  ['Greek in ISO-8859-7', EL, 'iso-8859-7'],
];

t.test('typed as text in its own code page', async (t) => {
  for (const [name, text, page] of texts) t.equal(guessText(iconv.encode(text.repeat(30), page).subarray(0, 4100), false)?.encoding, page, name);
  t.equal(guessText(noise(4100, 'high').map((b) => b | 0x80), false), null, 'random high bytes: binary');
  t.equal(guessText(iconv.encode('关于保守商业秘密的提示：请遵守工作秘密管理规定。\n'.repeat(60), 'gbk').subarray(0, 4100), false)?.encoding, 'gb18030', 'GBK is still GB18030');
});

t.test('ordinary files cross; what they carry is read', async (t) => {
  for (const [name, text, page] of texts) {
    const clean = await inspectBytes(iconv.encode(text.repeat(30), page), {}, { filename: 'letter.txt', declaredType: 'text/plain' });
    t.same(kinds(clean.findings), [], `${name}, declared text/plain: no finding`);
    const csv = await inspectBytes(iconv.encode(`${text.slice(0, 40)};${ID}\n`.repeat(3), page), {}, { filename: 'list.csv', declaredType: 'text/csv' });
    t.ok(kinds(csv.findings).some((k) => k.startsWith('personal-data:cn-resident-id')), `${name}: an id number in a CSV (${kinds(csv.findings).join(', ')})`);
    const marked = await inspectBytes(Buffer.concat([iconv.encode(text.repeat(5), page), Buffer.from(`${MARK}\n`), iconv.encode(text, page)]), {}, { filename: 'memo.txt', declaredType: 'text/plain' });
    t.ok(kinds(marked.findings).some((k) => k.startsWith('classified-marking')), `${name}: a UTF-8 marking inside (${kinds(marked.findings).join(', ')})`);
    const kw = await inspectBytes(iconv.encode(`${text}Project LONGBOW status.\n${text}`, page), { keywords: ['LONGBOW'] }, { filename: 'memo.txt', declaredType: 'text/plain' });
    t.ok(kinds(kw.findings).some((k) => k.startsWith('keyword')), `${name}: an operator's ASCII keyword (${kinds(kw.findings).join(', ')})`);
  }
});
