// Seventh red team (1 Dec), R9: OFD (GB/T 33190-2016, the fixed-layout format of Chinese e-invoices and official
// documents: a zip of XML) whose text objects are stored out of drawing order: each TextObject has its place
// (Boundary x y w h, in mm, y downwards) and each TextCode its start in it (X, Y) and its characters' advances
// (DeltaX, `g N v` for N times v). A reader shows the page by position; in storage order the marking is split.
// The clean ones are ordinary OFD pages (a notice, an invoice's table) whose text sorted by position is prose.
import { zip } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const NS = 'http://www.ofdspec.org/2016';

export interface OfdText {
  /** Boundary's x and y (mm). */
  x: number;
  y: number;
  text: string;
  size?: number;
  /** TextCode's DeltaX, as written; default: each character one size on. */
  deltaX?: string;
  /** TextCode's X within the boundary. */
  codeX?: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An OFD of one page holding the text objects in the order given. */
export function ofd(objects: OfdText[]): Buffer {
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page xmlns:ofd="${NS}"><ofd:Content><ofd:Layer ID="2">
${objects
  .map((o, i) => {
    const size = o.size ?? 5;
    const n = [...o.text].length;
    const dx = o.deltaX ?? (n > 1 ? `g ${n - 1} ${size}` : '');
    return `<ofd:TextObject ID="${10 + i}" Boundary="${o.x} ${o.y} ${n * size + 10} ${size + 2}" Font="3" Size="${size}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="${o.codeX ?? 0}" Y="${size}"${dx ? ` DeltaX="${dx}"` : ''}>${esc(o.text)}</ofd:TextCode></ofd:TextObject>`;
  })
  .join('\n')}
</ofd:Layer></ofd:Content></ofd:Page>`;
  const f = (name: string, xml: string) => ({ name, data: Buffer.from(xml) });
  return zip([
    f('OFD.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="${NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0b3f</ofd:DocID><ofd:Title>通知</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`),
    f('Doc_0/Document.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="${NS}"><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`),
    f('Doc_0/PublicRes.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="${NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>`),
    f('Doc_0/Pages/Page_0/Content.xml', content),
  ]);
}

const s = (name: string, body: Buffer, expect = 'classified-marking'): Sample => ({ name, filename: 'notice.ofd', type: 'application/ofd', body, expect });
const BODY: OfdText = { x: 30, y: 60, text: '请各处室按时报送材料。' };

export function ofdSamples(id: string): Sample[] {
  return [
    s('R9: the marking\'s right part stored first, its left part after', ofd([{ x: 35, y: 40, text: '密★10年' }, BODY, { x: 30, y: 40, text: '机' }])),
    s('R9: each character its own text object, stored backwards', ofd([...[...'机密★10年'].map((c, i) => ({ x: 30 + i * 5, y: 40, text: c })).reverse(), BODY])),
    s('R9: characters of one TextCode drawn right to left by negative advances', ofd([{ x: 30, y: 40, text: '年01★密机', codeX: 25, deltaX: 'g 5 -5' }, BODY])),
    s('R9: the lines of a page stored bottom first, the marking split over objects', ofd([BODY, { x: 30, y: 20, text: '密★10年', codeX: 5 }, { x: 100, y: 80, text: '机关' }, { x: 30, y: 20, text: '机' }])),
    s('R9: an identity number in pieces stored out of order', ofd([{ x: 30, y: 40, text: '身份证号：' }, { x: 100, y: 40, text: id.slice(9) }, BODY, { x: 55, y: 40, text: id.slice(0, 9) }]), 'personal-data'),
  ];
}

export function ofdCleanSamples(): Sample[] {
  return [
    s('R9 clean: a notice in order, with 保密协议 and 机密性', ofd([{ x: 30, y: 20, text: '关于做好年度保密工作的通知' }, { x: 30, y: 40, text: '请遵守保密协议，注意数据的机密性和完整性。' }, { x: 30, y: 50, text: '商业秘密和工作秘密按规定管理。' }]), ''),
    s('R9 clean: an invoice table stored column by column', ofd([
      { x: 20, y: 30, text: '项目' }, { x: 20, y: 40, text: '办公用品' }, { x: 20, y: 50, text: '打印纸' },
      { x: 90, y: 30, text: '数量' }, { x: 90, y: 40, text: '138' }, { x: 90, y: 50, text: '10' },
      { x: 140, y: 30, text: '金额' }, { x: 140, y: 40, text: '12345678.00' }, { x: 140, y: 50, text: '260.00' },
    ]), ''),
  ];
}
