// Masking of names (gateway/log/mask.ts) sees the groupings the inspectors join
// (fourth red team of 30 Nov, N11): an id number or a mobile whose groups are
// apart by NBSP, '.', '_', '/' or a narrow space was masked group by group,
// 13 to 15 of 18 digits shown. Version numbers, dates, times, addresses, hashes
// and UUIDs are no id and keep their digits.
import t from 'tap';
import { maskText } from '../gateway/log/mask.js';

const ID = '11010519491231002X';
/** Digits of `id` still shown in `masked`, in a row of the id's groups. */
const shown = (masked: string): number => (masked.match(/\p{Nd}/gu) ?? []).length;

t.test('an id number or a mobile in any grouping the inspectors join is masked whole', async (t) => {
  for (const sep of ['\u00a0', '.', '_', '/', '\u202f', '\u3000', ' - ', '·', ': ']) {
    const name = `${ID.slice(0, 6)}${sep}${ID.slice(6, 14)}${sep}${ID.slice(14)}.txt`;
    const m = maskText(name);
    t.ok(shown(m) <= 5, `${JSON.stringify(name)} -> ${m}: at most five digits shown`);
    t.notOk(m.includes(ID.slice(6, 14)), `${JSON.stringify(name)}: the birth date is hidden`);
  }
  t.ok(shown(maskText('110.105.194.912.310.02X.pdf')) <= 5, 'groups of three apart by dots');
  for (const mobile of ['139.1234.5678', '139_1234_5678', '139\u00a01234\u00a05678', '139/1234/5678']) {
    t.ok(shown(maskText(`call ${mobile}.txt`)) <= 5, `a mobile as ${JSON.stringify(mobile)} -> ${maskText(`call ${mobile}.txt`)}`);
  }
});

t.test('version numbers, dates, times and identifiers keep their digits', async (t) => {
  for (const clean of [
    'v1.2.3', 'node-v20.11.1.tar.gz', 'libfoo.so.1.2.3', '10.0.19045.1234', '2026.11.30', '30.11.2026',
    '192.168.100.200', '1.10.2023.0415', '3f2a9c1e0b7d4a6e8f1c2b3a4d5e6f70.pdf', '2026-11-30T06:38:12Z',
    'build_2026.11.30_12.34.56.log', 'release 4.17.21 notes.txt', '第3版 2023.11 修订.docx',
  ]) t.equal(maskText(clean), clean, `${clean} is kept`);
});
