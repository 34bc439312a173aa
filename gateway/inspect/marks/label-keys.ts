import { holdsMi } from './text-fold.js';

// The names under which a document keeps its 密级 (classification) apart
// from its value (red team, 1 Dec b, N22): a custom document property, an
// HTML meta, a PDF document-info key, a register's column header. A reader
// of such a document sees "密级: 机密"; the readings of label-pairs.ts give
// the scanner that text (`密级：<value>`), so that the value is judged as
// the label's is, forms and lists included (level-choices.ts).

/**
 * 密级 as a key (variant forms: 宻 for 密, Traditional 級), written alone or
 * with a word for what is classified before it (文件密级, 资料密级) or an
 * aside in brackets after it (a register's header `密级（绝密/机密/秘密/非密）`);
 * and `Classification` / `Security Classification`, which Office's and
 * labelling tools' custom properties use. Blanks inside are allowed
 * (`密 级`, as a form centres a two-character header).
 */
const KEY = /^(?:文件|资料|信息|数据|载体|公文|项目|涉密|标注)?[密宻宓][\s\u3000]*[级級](?:标识|標識)?(?:[(（［\[][^)）］\]]{0,40}[)）］\]])?[:：]?$|^(?:security[\s_-]?)?classification$/i;

/** Characters a key may be wrapped in (quotes, blanks, a table's rule). */
const WRAP = /^[\s\u3000"'“”‘’*|]+|[\s\u3000"'“”‘’*|]+$/g;

/** Is this cell or attribute value, as written, the name of a 密级 field? */
export function isLabelKey(s: string): boolean {
  if (s.length > 64) return false;
  return KEY.test(s.replace(WRAP, ''));
}

/** Text that may hold a key. */
export const KEY_HINT = /[密宻宓][\s\u3000]*[级級]|classification/i;

/**
 * Does this text hold a key? The expression alone, case-insensitive over two-byte strings, cost Chinese text
 * some 10% of its scan, and a class of the three characters half that: native searches for a character every
 * key holds (or the middle of `classification`) first, some 10 µs for a chunk of 22,000 Chinese characters.
 */
export function mayHoldKey(s: string): boolean {
  const part = holdsMi(s) || s.indexOf('lassif') >= 0 || s.indexOf('LASSIF') >= 0;
  return part && KEY_HINT.test(s);
}

/** A value as the scanner is to read it after the label. */
export function labelLine(value: string): string {
  return `密级：${value.replace(/[\r\n]+/g, ' ')}\n`;
}
