import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
import { ofd } from '../../dist/test/ofd-fixtures.js';
const show = async (name, b) => console.log(name.padEnd(50), JSON.stringify(kinds((await inspectBytes(b, {}, { filename: 'n.ofd', declaredType: 'application/ofd' })).findings)));
const BODY = { x: 30, y: 60, text: '请各处室按时报送材料。' };
// vertical: each char own object stacked in a column, stored reversed
await show('column of objects, stored backwards', ofd([...[...'机密★10年'].map((c, i) => ({ x: 30, y: 20 + i * 5, text: c })).reverse(), BODY]));
// overlapping: 机 and 密 at same line but separate objects with a wide gap of other text in between (drawn later over white?)
await show('two objects 30 apart on a line', ofd([{ x: 30, y: 40, text: '密级：机' }, { x: 50, y: 40, text: '密★10年' }, BODY]));
await show('y differs by 1mm (same line to the eye)', ofd([{ x: 35, y: 41, text: '密★10年' }, BODY, { x: 30, y: 40, text: '机' }]));
await show('sizes differ', ofd([{ x: 36, y: 40, text: '密★10年', size: 6 }, BODY, { x: 30, y: 40, text: '机', size: 6 }]));
process.exit(0);
