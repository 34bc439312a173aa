// The text scanner reads an all-ASCII chunk as its own bytes, without the UTF-8 decoder, when that decoder holds
// nothing (text-scanner.ts decoderFor): each chunk's characters must be those a streaming TextDecoder gives,
// whatever came before it (a character cut by the last chunk's end, a BOM, a U+FEFF after ASCII).
import t from 'tap';
import { TextScanner } from '../gateway/inspect/scan/text-scanner.js';
import { FindingTally } from '../gateway/inspect/context/finding-tally.js';
import { matcherFor } from '../gateway/inspect/context/inspect-context.js';

function scanner(): TextScanner {
  return new TextScanner({ matcher: matcherFor([]), tally: new FindingTally(), encoding: 'utf-8', bom: 0, markup: false, base64: true });
}

/** Each chunk's text as the scanner decoded it, and as a streaming TextDecoder does. */
function both(chunks: Buffer[]): { got: string[]; want: string[] } {
  const s = scanner();
  const td = new TextDecoder('utf-8');
  const got: string[] = [];
  const want: string[] = [];
  for (const c of chunks) {
    s.write(c);
    got.push(s.text);
    want.push(td.decode(c, { stream: true }));
  }
  s.end();
  got.push(s.text);
  want.push(td.decode());
  return { got, want };
}

const b = (...parts: Array<string | number[]>): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

t.test('ASCII chunks after every kind of chunk end read as a streaming decoder reads them', async (t) => {
  const cases: Array<[string, Buffer[]]> = [
    ['a U+FEFF after an ASCII chunk is a character, not a BOM', [b('abc'), b([0xef, 0xbb, 0xbf], 'def'), b('ghi')]],
    ['a BOM at the start is dropped, ASCII after it read', [b([0xef, 0xbb, 0xbf], 'abc'), b('def')]],
    ['a BOM cut by the first chunk', [b([0xef, 0xbb]), b([0xbf], 'x'), b('yz')]],
    ['a character cut by the chunk end, then ASCII', [b('ab', [0xe6, 0x9c]), b('cd'), b('ef')]],
    ['a character cut, completed, then ASCII', [b('ab', [0xe6, 0x9c]), b([0xba], 'cd'), b('ef')]],
    ['a lone lead byte at the end, then ASCII', [b('ab', [0xe6]), b('cd')]],
    ['a stray continuation byte at the end, then ASCII', [b('ab', [0x9c]), b('cd')]],
    ['ASCII first, then a cut character, then ASCII', [b('ab'), b('c', [0xe6, 0x9c]), b('d'), b('e')]],
    ['empty chunks between', [b('ab'), b(''), b([0xe6]), b(''), b('c')]],
  ];
  for (const [name, chunks] of cases) {
    const { got, want } = both(chunks);
    t.same(got, want, name);
  }
});

t.test('random chunks of ASCII, UTF-8, cut characters and stray bytes', async (t) => {
  let seed = 12345;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pieces = [b('abc def 123'), b('\n'), Buffer.from('机密★'), b([0xe6]), b([0x9c]), b([0xba]), b([0xef, 0xbb, 0xbf]), b([0xf0, 0x9f]), b([0x98, 0x80]), b([0xff])];
  let differ = 0;
  for (let k = 0; k < 500; k++) {
    const chunks: Buffer[] = [];
    for (let c = 0; c < 6; c++) {
      const parts: Buffer[] = [];
      const ascii = rnd() < 0.5;
      for (let p = Math.floor(rnd() * 4); p >= 0; p--) parts.push(ascii ? pieces[Math.floor(rnd() * 2)]! : pieces[Math.floor(rnd() * pieces.length)]!);
      chunks.push(Buffer.concat(parts));
    }
    const { got, want } = both(chunks);
    if (JSON.stringify(got) !== JSON.stringify(want)) differ++;
  }
  t.equal(differ, 0, '500 sequences of six chunks: the same characters chunk by chunk');
});
