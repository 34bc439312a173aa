// review10: an IBM-935 (EBCDIC, Simplified Chinese host) export whose Chinese is double-byte between SO and SI
// (bytes made by Java's IBM935 charset). The single bytes are read; the double-byte marking reads as U+FFFD and
// nothing says it was not read.
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const hex = (h) => Buffer.from(h, 'hex');
const line = (s) => Buffer.concat([Buffer.from([...s].map((c) => ({ ' ': 0x40, ',': 0x6b }[c] ?? (c >= '0' && c <= '9' ? 0xf0 + +c : c >= 'A' && c <= 'I' ? 0xc1 + c.charCodeAt(0) - 65 : c >= 'J' && c <= 'R' ? 0xd1 + c.charCodeAt(0) - 74 : 0xe2 + c.charCodeAt(0) - 83)))), Buffer.from([0x15])]);
const rows = [];
for (let i = 0; i < 20; i++) rows.push(line(`ACCOUNT ${1000 + i}, BRANCH ${20 + i}, AMOUNT ${i * 37}`));
// 文件密级：机密★10年 in IBM935
const mark = hex('0e57c34efd527c4eb5427a4e9b527c44e60ff1f00e52e90f15');
const r = await inspectBytes(Buffer.concat([...rows, mark, ...rows]), {}, { filename: 'EXPORT.DAT' });
console.log('IBM-935 marking between SO/SI:', r.sniffedType, JSON.stringify(kinds(r.findings)));
const clean = await inspectBytes(Buffer.concat([...rows, ...rows]), {}, { filename: 'EXPORT.DAT' });
console.log('single bytes only:', clean.sniffedType, JSON.stringify(kinds(clean.findings)));
