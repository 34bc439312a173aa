import { SKIP, foldPattern, foldTables } from './text-fold.js';
import type { Pattern } from './pattern-matcher.js';
import { CHOICES, LEVEL_COUNT } from './level-choices.js';

// The forms in which documents carry a 密级 (classification) marking. A level
// word alone is ordinary prose (商业秘密, 工作秘密, 保守秘密, 机密性): only the
// marking forms below are reported.
//   level ★ [period]   GB/T 9704-2012 §7.2.3: 秘密★1年, 绝密★长期
//   密级 [：] level      a label (also 保密等级, 保密级别, 涉密等级, 涉密级别, 密级标识)
//   密级 [：] □非密 ☑机密  a label whose list of choices starts with no level: the level ticked (level-choices.ts)
//   【level】           a bracketed header
//   （level） on a line of its own: a header line in other brackets, (机密) 「绝密」 《机密》 (below)
// Patterns are written in Simplified; text-fold.ts folds Traditional and
// full-width forms onto them (絕密/機密/密級, ［机密］…).

export type MatchTag =
  | { kind: 'classified-marking'; level: string; form: 'star' | 'label' | 'bracket' | 'header' }
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
    // The level word alone: a marking only when isBracketedHeader() says its line is a header (text-scanner.ts).
    out.push({ units: foldPattern(level), tag: { kind: 'classified-marking', level, form: 'header' } });
  }
  // A label then a choice that is no level (非密, 公开, 内部, 无 …): read as a list whose ticked level is the
  // marking (密级：☐非密 ☑机密 crossed, red team 2 Dec); alone (密级：非密) it is none (text-scanner.ts).
  for (const choice of CHOICES.slice(LEVEL_COUNT)) {
    for (const label of ['密级', ...LABEL_SYNONYMS]) out.push({ units: foldPattern(`${label}${choice}`), tag: { kind: 'classified-marking', level: choice, form: 'label' } });
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

/**
 * Other brackets than 【】〔〕〖〗［］ set a level apart as a header line of its own: `（机密）`, `(机密)`,
 * `「绝密」`, `『秘密』`, `《机密》`, `〈机密〉` (seventh red team, 1 Dec, R16: they crossed). In running prose
 * these brackets quote or title a level word (他说「秘密」, 《机密》一书, 本件（机密）已归档, 《保守国家秘密法》), so
 * they are read only as a line holding the bracketed level and nothing else but blank space and what shows as
 * nothing. By folded code unit (text-fold.ts: （ and ﹙ fold to `(`, ﹁ to 「).
 */
const HEADER_PAIRS = new Map<number, number>([
  [0x28, 0x29], // ( )
  [0x300c, 0x300d], // 「 」
  [0x300e, 0x300f], // 『 』
  [0x300a, 0x300b], // 《 》
  [0x3008, 0x3009], // 〈 〉
]);
/** How far a header line's blank space may reach on either side of the level (a centred line). */
export const HEADER_REACH = 64;

/** Is this folded code unit an opener of HEADER_PAIRS (the scanner's quick test before it reads a line)? */
export function isHeaderOpener(c: number): boolean {
  return HEADER_PAIRS.has(foldTables().fold[c]!);
}

/**
 * `line` (one line's text without its line break) is a level in one of HEADER_PAIRS and nothing else but blank
 * space: the marking's sample (`（机密）`), else null.
 */
export function isBracketedHeader(line: string, level: string): string | null {
  const { fold, cls, blank } = foldTables();
  const want = foldPattern(level);
  const seen: number[] = [];
  const raw: string[] = [];
  for (let k = 0; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (cls[c] === SKIP || blank[fold[c]!] === 1) continue;
    if (seen.length === want.length + 2) return null;
    seen.push(fold[c]!);
    raw.push(line[k]!);
  }
  if (seen.length !== want.length + 2 || HEADER_PAIRS.get(seen[0]!) !== seen[seen.length - 1]) return null;
  for (let k = 0; k < want.length; k++) if (seen[k + 1] !== want[k]) return null;
  return `${raw[0]}${level}${raw[raw.length - 1]}`;
}
