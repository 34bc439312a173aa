// A level chosen by a form control (seventh red team of 1 Dec, R6): `密级：` then check boxes or radio buttons
// beside the level words with the 机密 one checked, a combo box whose value is 机密, in a PDF (AcroForm widgets),
// HTML (<input checked>, <option selected>) and ODF (form:checkbox, form:listbox). A reader sees ☑机密; the
// control's state was not read, so the level-choice reading saw a list of levels with no box (none chosen).
// Beside them: the same forms left blank stay clean, and so does a blank PDF form whose levels and their boxes
// are drawn as one string with widgets over the boxes (G8). PDFs are written to ISO 32000-1 (12.7 interactive
// forms) by code: widgets with /AP /N on and Off states, /V and /AS.
import type { Sample } from './evasion-fixtures.js';
import { docxOf, odtOf, pdfPage, pdfStream } from './markup-fixtures.js';
import { zip } from './inspect-fixtures.js';

const PDF = 'application/pdf';

/** A PDF name for a string: bytes outside printable ASCII as #xx (UTF-8, as PDF 2.0 7.3.5 reads a name). */
const pdfName = (s: string): string => `/${[...Buffer.from(s)].map((b) => (b > 0x20 && b < 0x7f && !'#/()<>[]{}%'.includes(String.fromCharCode(b)) ? String.fromCharCode(b) : `#${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('')}`;
const utf16 = (s: string): string => `<FEFF${[...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}>`;

type Rect = [number, number, number, number];
export type Field =
  /** a check box (its own field); `on` its on-state name; `checked`: /V and /AS are `on` (`shown`: /AS is, when given) */
  | { kind: 'check'; rect: Rect; name: string; on?: string; checked: boolean; shown?: boolean }
  /**
   * a radio group: one widget a choice, `value` the group's /V (null: none chosen); `shown` the choice whose /AS is
   * on (default: `value`'s); `boxes`: check boxes of one field instead (no radio flag), as Acrobat makes boxes of one name
   */
  | { kind: 'radio'; name: string; choices: Array<{ rect: Rect; on: string }>; value: string | null; shown?: string | null; boxes?: boolean }
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
      const state = (c: boolean): string => (c ? pdfName(on) : '/Off');
      const n = add(`<</Type/Annot/Subtype/Widget/FT/Btn/T${utf16(f.name)}/Rect[${f.rect.join(' ')}]/P 3 0 R/F 4/V${state(f.checked)}/AS${state(f.shown ?? f.checked)}${ap(on)}>>`);
      annots.push(n);
      top.push(n);
    } else if (f.kind === 'radio') {
      const parent = 9 + extra.length;
      const kids = f.choices.map((_, k) => parent + 1 + k);
      add(`<</FT/Btn${f.boxes ? '' : '/Ff 49152'}/T${utf16(f.name)}${f.value === null ? '' : `/V${pdfName(f.value)}`}/Kids[${kids.map((k) => `${k} 0 R`).join(' ')}]>>`);
      for (const c of f.choices) annots.push(add(`<</Type/Annot/Subtype/Widget/Parent ${parent} 0 R/Rect[${c.rect.join(' ')}]/P 3 0 R/F 4/AS${c.on === (f.shown === undefined ? f.value : f.shown) ? pdfName(c.on) : '/Off'}${ap(c.on)}>>`));
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

/** `密级：` then 公开 内部 秘密 机密 (the list a person ticks one of), each 60 pt apart, a radio button 14 pt before each. */
const LEVELS4 = ['公开', '内部', '秘密', '机密'];
const lines4 = (title = '审批表'): Array<[string, number, number]> => [[title, 250, 760], ['密级：', 72, Y], ...LEVELS4.map((w, k): [string, number, number] => [w, 150 + k * 60, Y])];
/** A radio group 密级 over `lines4`: `value` its /V, `shown` the choice whose /AS is on; on-states the words or `on`. */
const radio4 = (value: string | null, shown: string | null, on: (k: number) => string = (k) => LEVELS4[k]!, name = '密级'): Field[] => [{ kind: 'radio', name, choices: LEVELS4.map((_, k) => ({ rect: boxAt(k), on: on(k) })), value, shown }];
const choice = (k: number): string => `Choice${k + 1}`;
/** `密级：○公开　○内部　○秘密　○机密` one run (12 pt a character), a radio button of group 密级 over each ○. */
const CIRCLES = '密级：○公开　○内部　○秘密　○机密';
const overCircles = (value: string | null, shown: string | null): Field[] => [{ kind: 'radio', name: '密级', choices: LEVELS4.map((w, k) => ({ rect: [107 + k * 48, Y - 1, 121 + k * 48, Y + 11], on: w })), value, shown }];
/** `密级：公开　内部　秘密　机密` one run (ideographic spaces: 12 pt each), a check box laid over each word. */
const ONE_RUN = '密级：公开　内部　秘密　机密';
const overWords = (checked: number | null): Field[] => [0, 1, 2, 3].map((k) => ({ kind: 'check', rect: [106 + k * 36, Y - 2, 134 + k * 36, Y + 12], name: `w${k}`, checked: k === checked }));
/** A questionnaire's question at y: its words on the page and a radio group over them, one chosen by /AS alone. */
function question(y: number, q: string, answers: string[], shown: number | null, name: string): { lines: Array<[string, number, number]>; field: Field } {
  return {
    lines: [[q, 72, y], ...answers.map((w, k): [string, number, number] => [w, 250 + k * 80, y])],
    field: { kind: 'radio', name, choices: answers.map((w, k) => ({ rect: [234 + k * 80, y - 1, 244 + k * 80, y + 9], on: w })), value: null, shown: shown === null ? null : answers[shown]! },
  };
}

/**
 * `pdf` with an incremental update (ISO 32000-1 7.5.6) redefining object `num` as `body`, as a form filled in
 * Acrobat is saved: the new definition appended, a cross-reference section for it and a trailer whose /Prev is
 * the last one's.
 */
export function pdfUpdate(pdf: Buffer, num: number, body: string): Buffer {
  const text = pdf.toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const size = Number(/\/Size\s+(\d+)/.exec(text)![1]);
  const obj = Buffer.from(`${num} 0 obj\n${body}\nendobj\n`, 'latin1');
  const xref = pdf.length + obj.length;
  const tail = `xref\n0 1\n0000000000 65535 f \n${num} 1\n${String(pdf.length).padStart(10, '0')} 00000 n \ntrailer\n<</Size ${size}/Root 1 0 R/Prev ${prev}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([pdf, obj, Buffer.from(tail, 'latin1')]);
}

/** The form of `checks`-like boxes beside lines4's words, none ticked, then the box beside 秘密 given /V /Yes in an update (its /AS left Off). */
function filledByUpdate(): Buffer {
  const boxes = LEVELS4.map((_, k): Field => ({ kind: 'check', rect: boxAt(k), name: `c${k}`, checked: false }));
  const pdf = pdfForm(lines4(), boxes);
  // Widgets are objects 12 on (pdfForm): the third is 14.
  const old = new RegExp(`\\n14 0 obj\\n([^]*?)\\nendobj`).exec(pdf.toString('latin1'))![1]!;
  return pdfUpdate(pdf, 14, old.replace('/V/Off', '/V/Yes'));
}

/**
 * R6, still open until 2 Dec: a radio button a viewer draws on by its own /AS while its group's /V names another
 * choice or none (a person sees ●秘密; pdf.js's form data said 公开, or nothing), and a check box's tick laid over
 * the level word printed on the page (☑ over 秘密: the word was dropped as if it were the box).
 */
export function pdfFormStateSamples(): Sample[] {
  return [
    sample('R6: radio group 密级 with no /V, the 秘密 button\'s /AS on', pdfForm(lines4(), radio4(null, '秘密')), 'classified-marking'),
    sample('R6: radio group 密级 whose /V is 公开, the 机密 button\'s /AS on', pdfForm(lines4(), radio4('公开', '机密')), 'classified-marking'),
    sample('R6: radio group Group1, on-states Choice1-4, /V Choice1 (公开), Choice3 (秘密) /AS on', pdfForm(lines4(), radio4('Choice1', 'Choice3', choice, 'Group1')), 'classified-marking'),
    sample('R6: radio group 密级 with no level words on the page, /V 公开, the 秘密 button drawn on', pdfForm([['审批表', 250, 760]], radio4('公开', '秘密')), 'classified-marking'),
    sample('R6: radio group 密级 whose /V is 秘密 while every /AS is Off (the data says 秘密)', pdfForm(lines4(), radio4('秘密', null)), 'classified-marking'),
    sample('R6: check box ticked laid over the word 秘密 of 密级：公开 内部 秘密 机密', pdfForm(lines4(), LEVELS4.map((_, k): Field => ({ kind: 'check', rect: [148 + k * 60, Y - 2, 176 + k * 60, Y + 12], name: `c${k}`, checked: k === 2 }))), 'classified-marking'),
    sample('R6: check box ticked over 秘密 in one run 密级：公开　内部　秘密　机密', pdfForm([['审批表', 250, 760], [ONE_RUN, 72, Y]], overWords(2)), 'classified-marking'),
    sample('R6: check boxes after the words (公开□ 秘密☑), the one after 秘密 ticked', pdfForm(lines4(), LEVELS4.map((_, k): Field => ({ kind: 'check', rect: [176 + k * 60, Y - 1, 186 + k * 60, Y + 9], name: `c${k}`, checked: k === 2 }))), 'classified-marking'),
    sample('R6: 密级：○公开 ○内部 ○秘密 ○机密 one run, radio buttons over the ○, the 秘密 one on by /AS alone', pdfForm([['审批表', 250, 760], [CIRCLES, 72, Y]], overCircles(null, '秘密')), 'classified-marking'),
    sample('R6: check box beside 秘密 whose /V is on while its /AS is Off (a program reads it ticked)', pdfForm(lines4(), LEVELS4.map((_, k): Field => ({ kind: 'check', rect: boxAt(k), name: `c${k}`, checked: k === 2, shown: false }))), 'classified-marking'),
    sample('R6: check boxes of one field 密级 (Acrobat\'s boxes of one name), its /V 机密, every /AS Off', pdfForm(lines4(), [{ ...radio4('机密', null)[0]!, boxes: true } as Field]), 'classified-marking'),
    sample('R6: check boxes of one field 密级, no /V, the 秘密 box\'s /AS on', pdfForm(lines4(), [{ ...radio4(null, '秘密')[0]!, boxes: true } as Field]), 'classified-marking'),
    sample('R6: check box beside 秘密 given /V /Yes in an incremental update, its /AS left Off', filledByUpdate(), 'classified-marking'),
    sample('R6: 密级：□公开 □内部 then 秘密 with a ticked box before it and no box drawn', pdfForm([['审批表', 250, 760], ['密级：□公开 □内部', 72, Y], ['秘密', 270, Y]], [{ kind: 'check', rect: [254, Y - 1, 264, Y + 9], name: 'c2', checked: true }]), 'classified-marking'),
  ];
}

/** Forms whose radio buttons and boxes choose no level, whatever else they choose (a questionnaire). */
export function pdfFormStateCleanSamples(): Sample[] {
  const q1 = question(640, '是否涉及商业秘密：', ['是', '否'], 1, 'Q1');
  const q2 = question(610, '满意度：', ['满意', '一般', '不满意'], 1, 'Q2');
  const q3 = question(580, '信息类别：', ['商业秘密', '工作秘密'], 0, 'Q3');
  const questionnaire = (level: Field[]): Buffer => pdfForm([...lines4('调查问卷'), ...q1.lines, ...q2.lines, ...q3.lines], [...level, q1.field, q2.field, q3.field]);
  return [
    sample('R6 clean: radio group 密级 with no /V and every /AS Off', pdfForm(lines4(), radio4(null, null)), ''),
    sample('R6 clean: radio group 密级 at 公开 by /V and /AS', pdfForm(lines4(), radio4('公开', '公开')), ''),
    sample('R6 clean: radio group 密级 with no /V, the 公开 button drawn on', pdfForm(lines4(), radio4(null, '公开')), ''),
    sample('R6 clean: radio group Group1 (Choice1-4) with no /V, Choice1 (公开) drawn on', pdfForm(lines4(), radio4(null, 'Choice1', choice, 'Group1')), ''),
    sample('R6 clean: a questionnaire, 密级 left blank, its other questions chosen by /AS alone (是否涉及商业秘密 否, 满意度 一般, 商业秘密)', questionnaire(radio4(null, null)), ''),
    sample('R6 clean: the questionnaire at 密级 公开 (by /AS)', questionnaire(radio4(null, '公开')), ''),
    sample('R6 clean: 密级：○公开 ○内部 ○秘密 ○机密 one run, radio buttons over the ○, none on', pdfForm([['审批表', 250, 760], [CIRCLES, 72, Y]], overCircles(null, null)), ''),
    sample('R6 clean: the same at 公开 by /V, the 公开 button on', pdfForm([['审批表', 250, 760], [CIRCLES, 72, Y]], overCircles('公开', '公开')), ''),
    sample('R6 clean: check boxes of one field 密级, its /V 公开, every /AS Off', pdfForm(lines4(), [{ ...radio4('公开', null)[0]!, boxes: true } as Field]), ''),
    sample('R6 clean: a consent check box whose /V is on and /AS Off, beside 商业秘密', pdfForm([['保密协议', 250, 760], ['本人已知悉商业秘密保护要求', 90, Y]], [{ kind: 'check', rect: [72, Y - 1, 82, Y + 9], name: 'agree', checked: true, shown: false }]), ''),
    sample('R6 clean: check boxes laid over the words 公开 内部 秘密 机密, none ticked', pdfForm(lines4(), LEVELS4.map((_, k): Field => ({ kind: 'check', rect: [148 + k * 60, Y - 2, 176 + k * 60, Y + 12], name: `c${k}`, checked: false }))), ''),
    sample('R6 clean: one run 密级：公开　内部　秘密　机密, the box over 公开 ticked', pdfForm([['审批表', 250, 760], [ONE_RUN, 72, Y]], overWords(0)), ''),
    sample('R6 clean: one run, boxes over the words, none ticked', pdfForm([['审批表', 250, 760], [ONE_RUN, 72, Y]], overWords(null)), ''),
    sample('R6 clean: 安全需求 机密性 ticked by a box laid over the word', pdfForm([['安全需求', 250, 760], ['机密性　完整性　可用性', 90, Y]], [0, 1, 2].map((k): Field => ({ kind: 'check', rect: [88 + k * 48, Y - 2, 128 + k * 48, Y + 12], name: `s${k}`, checked: k === 0 }))), ''),
  ];
}

const html = (body: string): Buffer => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>审批表</title></head><body><h1>审批表</h1>${body}<p>关于加强安全管理的通知</p></body></html>`);
const boxes = (type: 'checkbox' | 'radio', checked: number | null): string =>
  `<p>密级：${LEVELS.map((w, k) => `<input type="${type}" name="mj" id="l${k}"${k === checked ? ' checked' : ''}><label for="l${k}">${w}</label> `).join('')}</p>`;
const select = (selected: number | null, opts = LEVELS): string => `<p>密级：<select name="mj">${opts.map((w, k) => `<option value="${k}"${k === selected ? ' selected' : ''}>${w}</option>`).join('')}</select></p>`;
const ODT = 'application/vnd.oasis.opendocument.text';
/** An ODF text document with office:forms (`forms`) and a paragraph (`p`) whose draw:control elements draw them. */
function odtForm(forms: string, p: string): Buffer {
  const ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"';
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ns} office:version="1.2"><office:body><office:text><office:forms form:automatic-focus="false" form:apply-design-mode="false"><form:form form:name="Form" form:apply-filter="true" form:command-type="table" office:target-frame="" xlink:href="" xlink:type="simple">${forms}</form:form></office:forms><text:p>审批表</text:p><text:p>${p}</text:p><text:p>关于加强安全管理的通知</text:p></office:text></office:body></office:document-content>`;
  return zip([
    { name: 'mimetype', data: Buffer.from(ODT), method: 0 },
    { name: 'content.xml', data: Buffer.from(content) },
  ]);
}
const control = (id: string, x: number): string => `<draw:control text:anchor-type="as-char" draw:z-index="0" draw:text-style-name="P1" svg:width="1.5cm" svg:height="0.5cm" svg:x="${x}cm" draw:control="${id}"/>`;
/** 密级： and three check boxes labelled with the levels (LibreOffice: the label is the control's own). */
const odfBoxes = (checked: number | null): Buffer =>
  odtForm(LEVELS.map((w, k) => `<form:checkbox form:name="CheckBox${k + 1}" form:control-implementation="ooo:com.sun.star.form.component.CheckBox" xml:id="control${k + 1}" form:id="control${k + 1}" form:label="${w}" form:image-position="center"${k === checked ? ' form:current-state="checked"' : ''}/>`).join(''), `密级：${LEVELS.map((_, k) => control(`control${k + 1}`, k * 2)).join(' ')}`);
const odfList = (selected: number | null, tag: 'listbox' | 'combobox' = 'listbox'): Buffer =>
  odtForm(
    tag === 'listbox'
      ? `<form:listbox form:name="ListBox" form:control-implementation="ooo:com.sun.star.form.component.ListBox" xml:id="control1" form:id="control1" form:dropdown="true" form:size="1">${['非密', ...LEVELS].map((w, k) => `<form:option form:label="${w}"${k === selected ? ' form:current-selected="true"' : ''}/>`).join('')}</form:listbox>`
      : `<form:combobox form:name="ComboBox" form:control-implementation="ooo:com.sun.star.form.component.ComboBox" xml:id="control1" form:id="control1" form:dropdown="true"${selected === null ? '' : ` form:current-value="${['非密', ...LEVELS][selected]}"`}>${['非密', ...LEVELS].map((w) => `<form:item form:label="${w}"/>`).join('')}</form:combobox>`,
    `密级：${control('control1', 0)}`,
  );

export function markupFormSamples(): Sample[] {
  return [
    sample('R6: HTML check boxes beside 绝密 机密 秘密, 机密 checked', html(boxes('checkbox', 1)), 'classified-marking', '审批表.html', 'text/html'),
    sample('R6: HTML radio buttons, 机密 checked', html(boxes('radio', 1)), 'classified-marking', '审批表.html', 'text/html'),
    sample('R6: HTML <select> with <option selected>机密', html(select(1)), 'classified-marking', '审批表.html', 'text/html'),
    sample('R6: HTML <select> of 非密 and the levels, 机密 selected', html(select(2, ['非密', ...LEVELS])), 'classified-marking', '审批表.html', 'text/html'),
    sample('R6: HTML <select multiple> with 机密 selected', html(select(1).replace('<select', '<select multiple')), 'classified-marking', '审批表.html', 'text/html'),
    sample('HTML check boxes beside 非密 机密 秘密, 机密 checked (2 Dec)', html(`<p>密级：${['非密', ...LEVELS].map((w, k) => `<input type="checkbox" id="m${k}"${k === 2 ? ' checked' : ''}><label for="m${k}">${w}</label> `).join('')}</p>`), 'classified-marking', '审批表.html', 'text/html'),
    sample('R6: HTML text box beside 密级： whose value is 机密', html('<p>密级：<input type="text" name="mj" value="机密"></p>'), 'classified-marking', '审批表.html', 'text/html'),
    sample('R6: ODF check boxes labelled with the levels, 机密 checked', odfBoxes(1), 'classified-marking', '审批表.odt', ODT),
    sample('R6: ODF list box, 机密 selected', odfList(2), 'classified-marking', '审批表.odt', ODT),
    sample('R6: ODF combo box whose value is 机密', odfList(2, 'combobox'), 'classified-marking', '审批表.odt', ODT),
  ];
}

export function markupFormCleanSamples(): Sample[] {
  return [
    sample('R6 clean: HTML check boxes beside the levels, none checked', html(boxes('checkbox', null)), '', '审批表.html', 'text/html'),
    sample('R6 clean: HTML radio buttons with none checked, a consent box checked', html(`${boxes('radio', null)}<p><input type="checkbox" checked> 本人已阅读保密协议</p>`), '', '审批表.html', 'text/html'),
    sample('R6 clean: HTML <select> of 请选择 and the levels, none selected', html(select(null, ['请选择', ...LEVELS])), '', '审批表.html', 'text/html'),
    sample('HTML radio buttons of 非密 and the levels at 非密 (2 Dec)', html(`<p>密级：${['非密', ...LEVELS].map((w, k) => `<input type="radio" name="mj" id="m${k}"${k === 0 ? ' checked' : ''}><label for="m${k}">${w}</label> `).join('')}</p>`), '', '审批表.html', 'text/html'),
    sample('R6 clean: HTML <select> at 非密', html(select(0, ['非密', ...LEVELS])), '', '审批表.html', 'text/html'),
    sample('R6 clean: HTML form, 商业秘密 and 工作秘密 boxes, one checked', html('<p>信息类别：<input type="checkbox" checked>商业秘密 <input type="checkbox">工作秘密</p><p>编号：<input type="text" value="2024-0138"></p>'), '', '审批表.html', 'text/html'),
    sample('R6 clean: ODF check boxes of the levels, none checked', odfBoxes(null), '', '审批表.odt', ODT),
    sample('R6 clean: ODF list box of the levels at 非密', odfList(0), '', '审批表.odt', ODT),
    sample('R6 clean: ODF combo box of the levels left blank', odfList(null, 'combobox'), '', '审批表.odt', ODT),
  ];
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const struck = '<style:style style:name="T1" style:family="text"><style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/></style:style>';
const strikeHtml = (b: string): Buffer => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>关于工作的通知</p><p>${b}</p></body></html>`);

/**
 * R15: a level struck through is still on the page, and a marking crossed out says the document was classified:
 * found (these were found before; kept so that no reading of strike-through drops them).
 */
export function strikeSamples(): Sample[] {
  return [
    sample('R15: docx 机密★10年 in w:strike', docxOf('<w:r><w:rPr><w:strike/></w:rPr><w:t>机密★10年</w:t></w:r>'), 'classified-marking', 'a.docx', DOCX),
    sample('R15: docx 密级： then 机密 in w:dstrike', docxOf('<w:r><w:t>密级：</w:t></w:r><w:r><w:rPr><w:dstrike/></w:rPr><w:t>机密</w:t></w:r>'), 'classified-marking', 'a.docx', DOCX),
    sample('R15: HTML <s>机密★10年</s>', strikeHtml('<s>机密★10年</s>'), 'classified-marking', 'a.html', 'text/html'),
    sample('R15: HTML 密级：<del>机密</del>', strikeHtml('密级：<del>机密</del>'), 'classified-marking', 'a.html', 'text/html'),
    sample('R15: HTML <strike>机密</strike>★10年', strikeHtml('<strike>机密</strike>★10年'), 'classified-marking', 'a.html', 'text/html'),
    sample('R15: HTML 密级： and text-decoration: line-through', strikeHtml('密级：<span style="text-decoration:line-through">机密</span>'), 'classified-marking', 'a.html', 'text/html'),
    sample('R15: ODF 机密★10年 in a line-through style', odtOf(struck, '<text:span text:style-name="T1">机密★10年</text:span>'), 'classified-marking', 'a.odt', ODT),
    sample('R15: ODF 密级： then 机密 struck through', odtOf(struck, '密级：<text:span text:style-name="T1">机密</text:span>'), 'classified-marking', 'a.odt', ODT),
  ];
}

export function strikeCleanSamples(): Sample[] {
  return [
    sample('R15 clean: docx 工作秘密 struck through in a revision', docxOf('<w:r><w:t>本通知涉及</w:t></w:r><w:r><w:rPr><w:strike/></w:rPr><w:t>工作秘密</w:t></w:r><w:r><w:t>内部事项</w:t></w:r>'), '', 'a.docx', DOCX),
    sample('R15 clean: HTML <del>商业秘密</del> and 保密协议', strikeHtml('签订<del>商业秘密</del>保密协议，编号 2024-0138'), '', 'a.html', 'text/html'),
    sample('R15 clean: ODF 机密性 struck through', odtOf(struck, '安全需求：<text:span text:style-name="T1">机密性</text:span>、完整性'), '', 'a.odt', ODT),
  ];
}
