// Seventh red team (1 Dec), R10: PDF text drawn only inside a tiling pattern's content stream (the fill of a
// shape painted with /Pattern cs /P1 scn) or inside a soft mask's group (an ExtGState's /SMask /G), in a CID
// font readable only through its ToUnicode map. Both show on the page; pdf.js's text content reads neither, and
// the raw reading of the content streams sees glyph numbers. The clean ones are ordinary PDFs with a hatching
// pattern, a gradient mask and a pattern of ordinary words. Same samples through a gateway in gateway-evasions.
import { ID, MARK, type Sample } from './evasion-fixtures.js';
import { pdfPage, pdfStream } from './markup-fixtures.js';

const BODY = '关于年度工作的通知请各处室按时报送材料';

/**
 * One page in a Type0 font (Identity-H) whose ToUnicode map gives glyph i+1 the i-th character of `chars`;
 * `resources` adds to the page's resources, objects 9 on are `extra` (drawn with `g`, the glyph string of a text).
 */
function pdfPainted(chars: string, content: (g: (s: string) => string) => string, resources: string, extra: (g: (s: string) => string) => Array<string | Buffer>): Buffer {
  return pdfPage(chars, content, { resources, extra });
}

const body = (g: (s: string) => string): string => `BT /F1 12 Tf 72 600 Td ${g(BODY)} Tj ET`;
const FONT = '/Resources<</Font<</F1 5 0 R>>>>';
/** A tiling pattern (object 9) whose cell is `cell`. */
const pattern = (cell: string, o: { w?: number; paint?: number } = {}): Buffer =>
  pdfStream(`/Type/Pattern/PatternType 1/PaintType ${o.paint ?? 1}/TilingType 1/BBox[0 0 ${o.w ?? 400} 40]/XStep ${o.w ?? 400}/YStep 40${FONT}`, Buffer.from(cell, 'latin1'));
/** A soft mask's group (a transparency group form XObject) drawing `content`. */
const group = (content: string): Buffer =>
  pdfStream(`/Type/XObject/Subtype/Form/BBox[0 0 612 792]/Group<</S/Transparency/CS/DeviceGray>>${FONT}`, Buffer.from(content, 'latin1'));
/** Fill the band 72 700 400 40 with pattern P1. */
const FILL = '/Pattern cs /P1 scn 72 700 400 40 re f';

const s = (name: string, b: Buffer, expect = 'classified-marking'): Sample => ({ name, filename: 'notice.pdf', type: 'application/pdf', body: b, expect });

export function paintedSamples(): Sample[] {
  const chars = BODY + MARK + ID + '身份证号';
  return [
    s('R10: the marking in a tiling pattern that fills a band', pdfPainted(chars, (g) => `${body(g)} q ${FILL} Q`, '/Pattern<</P1 9 0 R>>', (g) => [pattern(`BT /F1 14 Tf 4 14 Td ${g(MARK)} Tj ET`)])),
    s('R10: the marking in a tiling pattern used for stroking', pdfPainted(chars, (g) => `${body(g)} q /Pattern CS /P1 SCN 20 w 72 720 m 472 720 l S Q`, '/Pattern<</P1 9 0 R>>', (g) => [pattern(`BT /F1 14 Tf 4 14 Td ${g(MARK)} Tj ET`)])),
    s('R10: the marking drawn right part first in a tiling pattern', pdfPainted(chars, (g) => `${body(g)} q ${FILL} Q`, '/Pattern<</P1 9 0 R>>', (g) => [pattern(`BT /F1 14 Tf 18 14 Td ${g('密★10年')} Tj ET BT /F1 14 Tf 4 14 Td ${g('机')} Tj ET`)])),
    s('R10: an identity number in a tiling pattern', pdfPainted(chars, (g) => `${body(g)} q ${FILL} Q`, '/Pattern<</P1 9 0 R>>', (g) => [pattern(`BT /F1 10 Tf 4 14 Td ${g(`身份证号${ID}`)} Tj ET`)]), 'personal-data'),
    s('R10: the marking in a soft mask group (luminosity)', pdfPainted(chars, (g) => `${body(g)} q /GS1 gs 0 0 1 rg 0 0 612 792 re f Q`, '/ExtGState<</GS1 9 0 R>>', (g) => ['<</Type/ExtGState/SMask<</Type/Mask/S/Luminosity/G 10 0 R>>>>', group(`1 g BT /F1 48 Tf 72 700 Td ${g(MARK)} Tj ET`)])),
    s('R10: the marking in a soft mask group (alpha)', pdfPainted(chars, (g) => `${body(g)} q /GS1 gs 0 0 0 rg 0 0 612 792 re f Q`, '/ExtGState<</GS1 9 0 R>>', (g) => ['<</Type/ExtGState/SMask<</S/Alpha/G 10 0 R>>>>', group(`BT /F1 48 Tf 72 700 Td ${g(MARK)} Tj ET`)])),
    s('R10: a tiling pattern inside a soft mask group', pdfPainted(chars, (g) => `${body(g)} q /GS1 gs 0 0 1 rg 0 0 612 792 re f Q`, '/ExtGState<</GS1 10 0 R>>', (g) => [pattern(`BT /F1 14 Tf 4 14 Td ${g(MARK)} Tj ET`), '<</Type/ExtGState/SMask<</S/Luminosity/G 11 0 R>>>>', pdfStream(`/Type/XObject/Subtype/Form/BBox[0 0 612 792]/Group<</S/Transparency/CS/DeviceGray>>/Resources<</Pattern<</P1 9 0 R>>>>`, Buffer.from(FILL, 'latin1'))])),
  ];
}

export function paintedCleanSamples(): Sample[] {
  const chars = BODY + '草稿内部传阅样例';
  return [
    s('R10 clean: a hatching pattern and ordinary text', pdfPainted(chars, (g) => `${body(g)} q ${FILL} Q`, '/Pattern<</P1 9 0 R>>', () => [pattern('0.5 w 0 0 m 10 40 l S 10 0 m 20 40 l S', { w: 20 })]), ''),
    s('R10 clean: a gradient soft mask over a picture frame', pdfPainted(chars, (g) => `${body(g)} q /GS1 gs 0 0 1 rg 72 650 400 100 re f Q`, '/ExtGState<</GS1 9 0 R>>', () => ['<</Type/ExtGState/SMask<</S/Luminosity/G 10 0 R>>>>', group('0.2 g 72 650 200 100 re f 0.8 g 272 650 200 100 re f')]), ''),
    s('R10 clean: a watermark of ordinary words in a pattern and a mask', pdfPainted(chars, (g) => `${body(g)} q ${FILL} Q q /GS1 gs 0 0 1 rg 0 0 612 792 re f Q`, '/Pattern<</P1 9 0 R>>/ExtGState<</GS1 10 0 R>>', (g) => [pattern(`BT /F1 14 Tf 4 14 Td ${g('草稿 内部传阅')} Tj ET`), '<</Type/ExtGState/SMask<</S/Luminosity/G 11 0 R>>>>', group(`1 g BT /F1 48 Tf 72 700 Td ${g('样例')} Tj ET`)]), ''),
  ];
}
