import { foldPattern } from './text-fold.js';
import type { Pattern } from './pattern-matcher.js';

// The forms in which documents carry a 密级 (classification) marking. A level
// word alone is ordinary prose (商业秘密, 工作秘密, 保守秘密, 机密性): only the
// marking forms below are reported.
//   level ★ [period]   GB/T 9704-2012 §7.2.3: 秘密★1年, 绝密★长期
//   密级 [：] level      a label (also 保密等级, 保密级别, 涉密等级, 涉密级别, 密级标识)
//   【level】           a bracketed header
// Patterns are written in Simplified; text-fold.ts folds Traditional and
// full-width forms onto them (絕密/機密/密級, ［机密］…).

export type MatchTag =
  | { kind: 'classified-marking'; level: string; form: 'star' | 'label' | 'bracket' }
  | { kind: 'keyword'; keyword: string };

export const LEVELS = ['绝密', '机密', '秘密'] as const;
/** Names a form gives the 密级 field besides 密级 itself. */
const LABEL_SYNONYMS = ['保密等级', '保密级别', '涉密等级', '涉密级别', '密级标识', '秘密等级'];

export function buildPatterns(keywords: readonly string[] = []): Pattern<MatchTag>[] {
  const out: Pattern<MatchTag>[] = [];
  for (const level of LEVELS) {
    out.push({ units: foldPattern(`${level}★`), tag: { kind: 'classified-marking', level, form: 'star' } });
    out.push({ units: foldPattern(`密级${level}`), tag: { kind: 'classified-marking', level, form: 'label' } });
    // The label's other names in registers and forms (涉密载体登记表, 项目申报书; seventh red team, 1 Dec, R5).
    for (const label of LABEL_SYNONYMS) out.push({ units: foldPattern(`${label}${level}`), tag: { kind: 'classified-marking', level, form: 'label' } });
    out.push({ units: foldPattern(`【${level}】`), tag: { kind: 'classified-marking', level, form: 'bracket' } });
  }
  const seen = new Set<string>();
  for (const raw of keywords) {
    const keyword = raw.trim();
    if (!keyword) continue;
    const units = foldPattern(keyword);
    const key = units.join(',');
    if (units.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push({ units, tag: { kind: 'keyword', keyword } });
  }
  return out;
}
