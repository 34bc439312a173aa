// Ninth red team F4: an SVG drawing whose path coordinates are written with 11 decimals (`M 138.13812345678
// 0.15811388301 …`) was refused personal-data:cn-mobile, the digits after a decimal point read as a mobile.
// They are a fraction (amount-context.ts FRACTION_BEFORE); a phone's word before the number still makes it one,
// and a mobile in the drawing's text, title or a path of no decimal point is still found.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';

const SVG = { filename: '行政区划图.svg', declaredType: 'image/svg+xml' };
let seed = 11;
const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const drawing = (d: string, extra = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000" viewBox="0 0 1000 1000">\n<title>行政区划图</title>\n<path d="${d}" fill="none" stroke="#333"/>\n${extra}</svg>\n`;
/** 2,000 coordinates of 11 decimals, apart by `sep`: some of their fractions start 13–19. */
const path = (sep: string, scale: number, shift: number): string =>
  'M 138.13812345678' + sep + '0.15811388301 ' + Array.from({ length: 1000 }, (_, i) => `${i % 5 ? '' : 'L '}${(rnd() * scale - shift).toFixed(11)}${sep}${(rnd() * scale - shift).toFixed(11)}`).join(' ') + ' Z';

t.test('SVG path data of 11 decimals is clean', async (t) => {
  for (const [name, d] of [
    ['spaces, 0–1000', path(' ', 1000, 0)],
    ['commas, 0–1000', path(',', 1000, 0)],
    ['spaces, -1–1', path(' ', 2, 1)],
    ['commas, -1–1', path(',', 2, 1)],
  ] as const) {
    t.same(kinds((await inspectBytes(drawing(d), {}, SVG)).findings), [], name);
  }
  t.same(kinds((await inspectBytes(drawing('M 1.13812345678 2.5 L 12.15811388301 0.19385334849 Z'), {}, SVG)).findings), [], 'fractions of 11 digits, each 1[3-9]…');
  t.same(kinds((await inspectBytes('x,y\n0.13812345678,2.15811388301\n-0.19385334849,1.0\n', {}, { filename: 'samples.csv', declaredType: 'text/csv' })).findings), [], 'a CSV of readings');
});

t.test('a mobile in the same drawing, or a fraction under a phone\'s word, is still found', async (t) => {
  const d = path(' ', 1000, 0);
  const found: Array<[string, string, string]> = [
    ['in a <text>', drawing(d, '<text x="10" y="20">联系电话 13812345678</text>\n'), 'image/svg+xml'],
    ['in a <text>, no word', drawing(d, '<text x="10" y="20">13812345678</text>\n'), 'image/svg+xml'],
    ['in the <title>', drawing(d).replace('<title>行政区划图', '<title>张三 13998765432'), 'image/svg+xml'],
    ['a path of the digits alone', drawing('M 13812345678 1 Z'), 'image/svg+xml'],
    ['电话 0.13812345678', '电话 0.13812345678\n', 'text/plain'],
    ['+86.13812345678', '+86.13812345678\n', 'text/plain'],
    ['a lone fraction in a register', '姓名,号码\n张三,0.13812345678\n李四,0.13998765432\n', 'text/plain'],
    ['a lone fraction after an integer', '1,0.13812345678\n', 'text/plain'],
    ['138.1234.5678', '联系人：李四 138.1234.5678\n', 'text/plain'],
  ];
  for (const [name, body, type] of found) {
    t.ok(kinds((await inspectBytes(body, {}, { filename: type === 'text/plain' ? 'a.txt' : 'a.svg', declaredType: type })).findings).includes('personal-data:cn-mobile'), name);
  }
});
