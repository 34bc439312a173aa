// A level chosen by a form control (seventh red team of 1 Dec, R6): `密级：` then check boxes or radio buttons
// beside the level words with the 机密 one checked, a combo box whose value is 机密, in a PDF (AcroForm widgets),
// HTML (<input checked>, <option selected>) and ODF (form:checkbox, form:listbox). A reader sees ☑机密; the
// control's state was not read, so the level-choice reading saw a list of levels with no box (none chosen).
// Beside them: the same forms left blank stay clean, and so does a blank PDF form whose levels and their boxes
// are drawn as one string with widgets over the boxes (G8). PDFs are written to ISO 32000-1 (12.7 interactive
// forms) by code: widgets with /AP /N on and Off states, /V and /AS.
import type { Sample } from './evasion-fixtures.js';
import { pdfPage, pdfStream } from './markup-fixtures.js';

const PDF = 'application/pdf';

/** A PDF name for a string: bytes outside printable ASCII as #xx (UTF-8, as PDF 2.0 7.3.5 reads a name). */
const pdfName = (s: string): string => `/${[...Buffer.from(s)].map((b) => (b > 0x20 && b < 0x7f && !'#/()<>[]{}%'.includes(String.fromCharCode(b)) ? String.fromCharCode(b) : `#${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('')}`;
const utf16 = (s: string): string => `<FEFF${[...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}>`;

type Rect = [number, number, number, number];
export type Field =
  /** a check box (its own field); `on` its on-state name; `checked`: /V and /AS are `on` */
  | { kind: 'check'; rect: Rect; name: string; on?: string; checked: boolean }
  /** a radio group: one widget a choice, `value` the group's /V (null: none chosen) */
  | { kind: 'radio'; name: string; choices: Array<{ rect: Rect; on: string }>; value: string | null }
  /** a combo box (or a list box) */
  | { kind: 'choice'; rect: Rect; name: string; options: string[]; value: string | null; list?: boolean }
  | { kind: 'text'; rect: Rect; name: string; value: string };

/**
 * A page drawing `lines` ([text, x, y], SimSun Identity-H, 12 pt) and the form's `fields`. Objects 9-11 are the
 * ZapfDingbats font and the on and Off appearances every button shares, widgets from 12.
 */
export function pdfForm(lines: Array<[string, number, number]>, fields: Field[]): Buffer {
  const chars = lines.map((l) => l[0]).join('');
  const extra: Array<string | Buffer> = [
    '<</Type/Font/Subtype/Type1/BaseFont/ZapfDingbats>>',
    pdfStream('/Type/XObject/Subtype/Form/BBox[0 0 10 10]/Resources<</Font<</ZaDb 9 0 R>>>>', Buffer.from('0 G 0.5 w 0.5 0.5 9 9 re S BT /ZaDb 8 Tf 1.5 2 Td (4) Tj ET')),
    pdfStream('/Type/XObject/Subtype/Form/BBox[0 0 10 10]', Buffer.from('0 G 0.5 w 0.5 0.5 9 9 re S')),
  ];
  const annots: number[] = [];
  const top: number[] = [];
  const add = (body: string): number => {
    extra.push(body);
    return 8 + extra.length;
  };
  const ap = (on: string): string => `/AP<<${''}/N<<${pdfName(on)} 10 0 R/Off 11 0 R>>>>/MK<</CA(4)>>/DA(/ZaDb 0 Tf 0 g)`;
  for (const f of fields) {
    if (f.kind === 'check') {
      const on = f.on ?? 'Yes';
      const state = f.checked ? pdfName(on) : '/Off';
      const n = add(`<</Type/Annot/Subtype/Widget/FT/Btn/T${utf16(f.name)}/Rect[${f.rect.join(' ')}]/P 3 0 R/F 4/V${state}/AS${state}${ap(on)}>>`);
      annots.push(n);
      top.push(n);
    } else if (f.kind === 'radio') {
      const parent = 9 + extra.length;
      const kids = f.choices.map((_, k) => parent + 1 + k);
      add(`<</FT/Btn/Ff 49152/T${utf16(f.name)}${f.value === null ? '' : `/V${pdfName(f.value)}`}/Kids[${kids.map((k) => `${k} 0 R`).join(' ')}]>>`);
      for (const c of f.choices) annots.push(add(`<</Type/Annot/Subtype/Widget/Parent ${parent} 0 R/Rect[${c.rect.join(' ')}]/P 3 0 R/F 4/AS${c.on === f.value ? pdfName(c.on) : '/Off'}${ap(c.on)}>>`));
      top.push(parent);
    } else if (f.kind === 'choice') {
      const n = add(`<</Type/Annot/Subtype/Widget/FT/Ch/Ff ${f.list ? 0 : 131072}/T${utf16(f.name)}/Rect[${f.rect.join(' ')}]/P 3 0 R/F 4/Opt[${f.options.map(utf16).join(' ')}]${f.value === null ? '' : `/V${utf16(f.value)}`}/DA(/F1 10 Tf 0 g)>>`);
      annots.push(n);
      top.push(n);
    } else {
      const n = add(`<</Type/Annot/Subtype/Widget/FT/Tx/T${utf16(f.name)}/Rect[${f.rect.join(' ')}]/P 3 0 R/F 4/V${utf16(f.value)}/DA(/F1 10 Tf 0 g)>>`);
      annots.push(n);
      top.push(n);
    }
  }
  return pdfPage(chars || '表', (g) => lines.map(([s, x, y]) => `BT /F1 12 Tf ${x} ${y} Td ${g(s)} Tj ET`).join('\n'), {
    extra,
    page: `/Annots[${annots.map((n) => `${n} 0 R`).join(' ')}]`,
    catalog: `/AcroForm<</Fields[${top.map((n) => `${n} 0 R`).join(' ')}]/DR<</Font<</ZaDb 9 0 R/F1 5 0 R>>>>/NeedAppearances false>>`,
  });
}

const Y = 700;
/** `密级：` at 72, then each level word 40 pt apart with a box 14 pt before it. */
const LEVELS = ['绝密', '机密', '秘密'];
const levelLines = (title = '审批表'): Array<[string, number, number]> => [[title, 250, 760], ['密级：', 72, Y], ...LEVELS.map((w, k): [string, number, number] => [w, 150 + k * 60, Y])];
const boxAt = (k: number): Rect => [134 + k * 60, Y - 1, 144 + k * 60, Y + 9];
const checks = (checked: number | null, on: (k: number) => string = () => 'Yes'): Field[] => LEVELS.map((w, k) => ({ kind: 'check', rect: boxAt(k), name: `密级${k + 1}`, on: on(k), checked: k === checked }));
const sample = (name: string, body: Buffer, expect: string, filename = '审批表.pdf', type = PDF): Sample => ({ name, filename, type, body, expect });

/** Boxes over the blanks before the words of `密级：  绝密   机密   秘密` (one run, 12 pt, an em a character). */
const spaced = (checked: number | null): Field[] => [0, 1, 2].map((k) => ({ kind: 'check', rect: [120 + k * 60, Y - 1, 132 + k * 60, Y + 11], name: `c${k}`, checked: k === checked }));

export function pdfFormSamples(): Sample[] {
  return [
    sample('R6: PDF check boxes beside 绝密 机密 秘密, 机密 checked (/V /AS /Yes)', pdfForm(levelLines(), checks(1)), 'classified-marking'),
    sample('R6: PDF check boxes whose on-states are the levels (/V /机密)', pdfForm(levelLines(), checks(1, (k) => LEVELS[k]!)), 'classified-marking'),
    sample('R6: PDF radio group 密级, /V /机密, widgets beside the words', pdfForm(levelLines(), [{ kind: 'radio', name: '密级', choices: LEVELS.map((w, k) => ({ rect: boxAt(k), on: w })), value: '机密' }]), 'classified-marking'),
    sample('R6: PDF radio group with on-states Choice1-3, Choice2 chosen', pdfForm(levelLines(), [{ kind: 'radio', name: 'Group1', choices: LEVELS.map((w, k) => ({ rect: boxAt(k), on: `Choice${k + 1}` })), value: 'Choice2' }]), 'classified-marking'),
    sample('R6: PDF combo box beside 密级：, value 机密', pdfForm([['审批表', 250, 760], ['密级：', 72, Y]], [{ kind: 'choice', rect: [110, Y - 3, 200, Y + 12], name: 'level', options: ['非密', '秘密', '机密', '绝密'], value: '机密' }]), 'classified-marking'),
    sample('R6: PDF combo box named 密级, value 机密 (no label on the page)', pdfForm([['审批表', 250, 760]], [{ kind: 'choice', rect: [110, Y - 3, 200, Y + 12], name: '密级', options: ['非密', '秘密', '机密', '绝密'], value: '机密' }]), 'classified-marking'),
    sample('R6: PDF text field beside 密级：, value 机密', pdfForm([['审批表', 250, 760], ['密级：', 72, Y]], [{ kind: 'text', rect: [110, Y - 3, 200, Y + 12], name: 'Text1', value: '机密' }]), 'classified-marking'),
    sample('R6: PDF check box checked over the box of a string 密级：□绝密 □机密 □秘密', pdfForm([['审批表', 250, 760], ['密级：□绝密 □机密 □秘密', 72, Y]], [0, 1, 2].map((k) => ({ kind: 'check', rect: [108 + k * 48, Y - 1, 120 + k * 48, Y + 11], name: `c${k}`, checked: k === 1 }))), 'classified-marking'),
    sample('R6: PDF check box checked over a blank of a string 密级：  绝密   机密   秘密', pdfForm([['审批表', 250, 760], ['密级：  绝密   机密   秘密', 72, Y]], spaced(1)), 'classified-marking'),
    sample('R6: boxes named as Acrobat names them (密级, 绝密, 机密), the third (before 秘密) checked', pdfForm([['审批表', 250, 760], ['密级：□绝密 □机密 □秘密', 72, Y]], [0, 1, 2].map((k) => ({ kind: 'check', rect: [108 + k * 48, Y - 1, 120 + k * 48, Y + 11], name: ['密级', '绝密', '机密'][k]!, checked: k === 2 }))), 'classified-marking'),
  ];
}

export function pdfFormCleanSamples(): Sample[] {
  return [
    sample('R6 clean: PDF check boxes beside the levels, none checked', pdfForm(levelLines(), checks(null)), ''),
    sample('R6 clean: PDF radio group 密级 with no choice made', pdfForm(levelLines(), [{ kind: 'radio', name: '密级', choices: LEVELS.map((w, k) => ({ rect: boxAt(k), on: w })), value: null }]), ''),
    sample('R6 clean: PDF combo box 密级 left blank', pdfForm([['审批表', 250, 760], ['密级：', 72, Y]], [{ kind: 'choice', rect: [110, Y - 3, 200, Y + 12], name: '密级', options: ['非密', '秘密', '机密', '绝密'], value: null }]), ''),
    sample('R6 clean: PDF combo box 密级 at 非密', pdfForm([['审批表', 250, 760], ['密级：', 72, Y]], [{ kind: 'choice', rect: [110, Y - 3, 200, Y + 12], name: '密级', options: ['非密', '秘密', '机密', '绝密'], value: '非密' }]), ''),
    sample('G8: a blank PDF form drawing 密级：□绝密 □机密 □秘密 as one string, widgets over the boxes', pdfForm([['审批表', 250, 760], ['密级：□绝密 □机密 □秘密', 72, Y]], [0, 1, 2].map((k) => ({ kind: 'check', rect: [108 + k * 48, Y - 1, 120 + k * 48, Y + 11], name: `c${k}`, checked: false }))), ''),
    sample('G8: the same, the levels one string with no boxes drawn', pdfForm([['审批表', 250, 760], ['密级：  绝密   机密   秘密', 72, Y]], spaced(null)), ''),
    sample('G8: boxes named by the text beside them as Acrobat names them (密级, 绝密, 机密), none checked', pdfForm([['审批表', 250, 760], ['密级：□绝密 □机密 □秘密', 72, Y]], [0, 1, 2].map((k) => ({ kind: 'check', rect: [108 + k * 48, Y - 1, 120 + k * 48, Y + 11], name: ['密级', '绝密', '机密'][k]!, checked: false }))), ''),
    sample('R6 clean: PDF consent check box checked, 商业秘密 and 保密协议 fields filled', pdfForm([['保密协议', 250, 760], ['本人已阅读并同意', 90, Y], ['商业秘密范围：', 72, 660]], [{ kind: 'check', rect: [72, Y - 1, 82, Y + 9], name: 'agree', checked: true }, { kind: 'text', rect: [160, 657, 400, 672], name: 'scope', value: '客户名单与报价' }]), ''),
    sample('R6 clean: PDF form, 机密性 checked among 完整性 可用性', pdfForm([['安全需求', 250, 760], ['机密性', 90, Y], ['完整性', 160, Y], ['可用性', 230, Y]], [0, 1, 2].map((k) => ({ kind: 'check', rect: [76 + k * 70, Y - 1, 86 + k * 70, Y + 9], name: `s${k}`, checked: k === 0 }))), ''),
  ];
}
