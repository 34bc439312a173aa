// IdGroups passes a stretch of groups that chain from line to line (a log: a date, a time, an address, a status
// and a size every few characters) up to its last 18 characters when none of them makes a reading
// (id-groups.ts #quietStretch). An id in groups right after such a stretch, or inside it, is still read whole:
// its window reaches back over the groups the stretch left to be taken again.
import t from 'tap';
import { IdGroups } from '../gateway/inspect/marks/id-groups.js';

const logLine = (i: number): string =>
  `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T12:${String(i % 60).padStart(2, '0')}:07.${i % 1000}Z web-${i % 9} nginx[${1000 + i}]: 10.${i % 250}.${(i * 7) % 250}.${(i * 13) % 250} - - "GET /api/v2/items/${i}?page=${i % 40} HTTP/1.1" 200 ${(i * 7919) % 90000}\n`;
const log = (from: number, n: number): string => Array.from({ length: n }, (_, k) => logLine(from + k)).join('');

/** The readings of text read in pieces of `size` characters. */
function read(text: string, size: number): string {
  const g = new IdGroups();
  let out = '';
  for (let p = 0; p < text.length; p += size) out += g.push(text.slice(p, p + size), p + size >= text.length);
  return out;
}

const ID = '440305199003074578';
// Groups of 4, 2, 4, 4, 4 apart by mixed separators: no other reader writes them out (one separator throughout
// is digit-forms.ts's, the shapes the token joins are the scanner's).
const grouped = '4403 05-1990 0307/4578';

t.test('an id in groups after and inside a log read whole, whatever the pieces', async (t) => {
  const texts: Array<[string, string]> = [
    ['right after the stretch, on its line', `${log(0, 400).slice(0, -1)} ref ${grouped}\n${log(400, 50)}`],
    ['on a line of its own after the stretch', `${log(0, 400)}id: ${grouped}\n${log(400, 50)}`],
    ['between two stretches', `${log(0, 200)}${grouped}\n${log(200, 200)}`],
  ];
  for (const [name, text] of texts) {
    for (const size of [65536, 4096, 1000, 333]) {
      t.ok(read(text, size).includes(`${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`), `${name}, pieces of ${size}`);
    }
  }
});

t.test('the log alone makes no reading', async (t) => {
  for (const size of [65536, 1000]) t.equal(read(log(0, 2000), size), '', `pieces of ${size}`);
});
