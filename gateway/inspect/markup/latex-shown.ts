import { latexBranches } from './latex-conditionals.js';
import { latexUnseen } from './latex-unseen.js';
import { latexPlaced } from './latex-placed.js';

// LaTeX as a person reads it once typeset (ninth red team, W4): `机\mbox{}密`,
// `机{}密`, `机\hspace{1em}密`, `机\relax 密` and `机密$\bigstar$10年` print
// 机密★10年, but in the source commands, braces and dimensions stand between
// the characters, and the star is a word. This reading, given a window
// around a 密 (mi-windows.ts) that holds LaTeX, drops comments (with the
// line break and the indentation they swallow, TeXbook ch. 8), math shifts,
// braces and the commands that typeset nothing or a space, with the
// arguments that are not text (a dimension, a colour, a label, an
// environment's name); writes the symbol commands for stars as the star
// they print (amssymb's \bigstar, LaTeX's \star, unicode-math's
// \bigwhitestar and \medblackstar, pifont's \ding{72}–\ding{80}, bbding's
// \FiveStar…, fontawesome's \faStar) and the escaped specials (\%, \&, \{) as
// their characters; any other command word goes, its braced argument kept
// (\textbf{机} is 机). A box's text is read in place, its size, position,
// scale and angle dropped (`\raisebox{1pt}{密}`, `\makebox[1em][l]{密}`, `\hbox
// to 1em{}`, review13); verbatim text as printed. Text a reader may not see
// (white, in a black box, under \iffalse: latex-unseen.ts) is read both ways:
// the window as typeset with it, then without it. What this leaves is checked
// like any text: a thesis on 机密性 with its formulas reads as prose.

/**
 * A window holds LaTeX: a command word, a control symbol that typesets a space or nothing, an empty group, or a
 * comment right after a Chinese character (a percent sign follows a number).
 */
const LATEX = /\\(?:[A-Za-z]{2}|[,;:! /-])|\{\}|[\u3400-\u9fff\uff00-\uffef]%/;

/** A TeX dimension, with its stretch and shrink (`1em`, `-0.5 pt`, `2pt plus 1fil`). */
const DIMEN = String.raw`(?:-\s*)?(?:\d+(?:\.\d*)?|\.\d+)\s*(?:pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp|mu|px)(?:\s+(?:plus|minus)\s+(?:-\s*)?(?:\d+(?:\.\d*)?|\.\d+)\s*(?:pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp|mu|fil{1,3}))*`;
/** A braced argument, one level of braces inside it (`{\stretch{1}}`). */
const ARG = String.raw`\{(?:[^{}]|\{[^{}]{0,64}\}){0,256}\}`;
const OPT = String.raw`(?:\s*\[[^\[\]]{0,64}\])?`;
/** Up to three optional arguments (`\makebox[1em][l]`, `\parbox[t][3cm][c]`). */
const OPTS = String.raw`(?:\s*\[[^\[\]]{0,64}\]){0,3}`;
/** A length: a dimension, or a multiple of a register (`0.5\textwidth`, `\linewidth`, `-\baselineskip`). */
const LENGTH = String.raw`(?:${DIMEN}|(?:-\s*)?(?:\d+(?:\.\d*)?|\.\d+)?\s*\\[A-Za-z@]{1,40})`;

/** A comment: from an unescaped % to the line's end, the line break and the next line's indentation with it. */
const COMMENT = /(^|[^\\])%[^\n]*(?:\r?\n[ \t]*)?/g;

// One expression, read left to right (each match replaced by what it prints):
const PARTS = [
  // a macro's definition typesets nothing (its use is read expanded by latex-macros.ts): `\newcommand{\sm}{商业秘密}`
  // then `\def\bs{$\bigstar$}` is not 商业秘密★
  String.raw`\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*(?:\{\s*\\[A-Za-z@]+\s*\}|\\[A-Za-z@]+)\s*(?:\[\s*\d\s*\])?(?:\s*\[[^\[\]\n]{0,64}\])?\s*${ARG}`,
  String.raw`\\[gex]?def\s*\\[A-Za-z@]+(?:\s*#\d)*\s*${ARG}`,
  // a star raised as a footnote mark (`商业秘密$^{\star}$`): placed, then read by what follows (RAISED below)
  String.raw`\^\s*(?:\{\s*)?(?:(?:\\(?:big|med|small)?(?:black|white)?star(?![A-Za-z])|\*)\s*){1,3}\}?`,
  // 1 a star symbol: pifont's \ding (72 ★, 73-80 outlined and shaded stars)
  String.raw`\\ding\s*\{\s*(7[2-9]|80)\s*\}`,
  // 2 a star by its name
  String.raw`\\((?:big|med|small)?(?:black|white)?star|varstar|FiveStar\w*|SixStar\w*|faStar\w*|starfilled|BigStar)(?![A-Za-z])\s?`,
  // a space: \hspace{…}, \hskip 1em, \kern-1pt, \rule{0pt}{0pt}, \phantom{…}
  String.raw`\\[hv]space\*?\s*${ARG}`,
  String.raw`\\(?:[hv]skip|kern|mkern|mskip|hglue|vglue)\s*(?:${DIMEN}|\\[hv]?fil{1,3}|\\stretch\s*${ARG})?`,
  String.raw`\\rule${OPT}\s*${ARG}\s*${ARG}`,
  String.raw`\\[hv]?phantom\s*${ARG}`,
  // commands whose argument is not text: colours, labels, references, environments, set-up
  String.raw`\\(?:textcolor|colorbox|color|pagecolor)${OPT}\s*${ARG}`,
  String.raw`\\fcolorbox${OPT}\s*${ARG}\s*${ARG}`,
  String.raw`\\(?:definecolor|providecolor)\s*${ARG}\s*${ARG}\s*${ARG}`,
  String.raw`\\colorlet\s*${ARG}\s*${ARG}`,
  // boxes show their text (their last argument, read in place by the rules below) but not their sizes, positions,
  // scales and angles (review13: `机\raisebox{1pt}{密}` read 机1pt密, `\makebox[1em][l]{密}` kept [l],
  // `\hbox to 1em{}` kept `to 1em`)
  String.raw`\\raisebox\s*${ARG}${OPTS}`,
  String.raw`\\(?:makebox|framebox|shortstack|pbox)(?![A-Za-z@])${OPTS}`,
  String.raw`\\parbox${OPTS}\s*${ARG}`,
  String.raw`\\scalebox\s*${ARG}${OPT}`,
  String.raw`\\resizebox\*?\s*${ARG}\s*${ARG}`,
  String.raw`\\rotatebox${OPT}\s*${ARG}`,
  String.raw`\\(?:[hv]box|vtop|vcenter)(?![A-Za-z@])(?:\s*(?:to|spread)\s*${LENGTH})?`,
  String.raw`\\(?:raise|lower|moveleft|moveright)\s*${LENGTH}`,
  String.raw`\\[hv]rule(?![A-Za-z@])(?:\s*(?:width|height|depth)\s*${LENGTH})*`,
  // environments: their names, and the arguments of those that take sizes or column specifications
  String.raw`\\begin\s*\{(?:tabular\*|tabularx|tabulary|wrapfigure|wraptable)\}${OPTS}\s*${ARG}${OPT}\s*${ARG}`,
  String.raw`\\begin\s*\{(?:minipage|tabular|array|multicols\*?|longtable|subfigure|thebibliography|adjustbox)\}${OPTS}\s*${ARG}`,
  String.raw`\\(?:begin|end)\s*${ARG}${OPT}`,
  String.raw`\\(?:label|index|ref|pageref|eqref|cite|nocite|usepackage|RequirePackage|documentclass|input|include|bibliographystyle|bibliography|thispagestyle|pagestyle|pagenumbering|CJKfamily|fontfamily|fontseries|fontshape|linespread|setCJKmainfont|setmainfont|hypersetup|geometry)\*?${OPT}\s*${ARG}`,
  String.raw`\\(?:setlength|addtolength|setcounter|addtocounter|fontsize)\s*${ARG}\s*${ARG}`,
  // 3 an escaped special: the character itself
  String.raw`\\([%&#$_{}])`,
  // 4 a line break: \\ with its optional space
  String.raw`\\\\\*?(?:\[[^\]]{0,32}\])?`,
  // 5 a space: \quad and the like, control space, thin spaces, ~
  String.raw`(\\(?:quad|qquad|enspace|enskip|thinspace|medspace|thickspace|negthinspace|nobreakspace|space|hfill|hfil|hss|vfill|newline|linebreak|par)(?![A-Za-z])\s?|\\[,;:! ]|~)`,
  // verbatim text, as printed: `\verb|机|`, `\lstinline!x!`, `\path|…|` (its delimiter is the fifth capturing group of TEX: \5)
  String.raw`\\(?:verb\*?|Verb|lstinline${OPT}|path)([^\sA-Za-z*{\[])([^\n]{0,256}?)\5`,
  // a parameter set to a length or a number prints nothing (nor does the space after it): `\parindent=0pt`, `\baselineskip 12pt`, `\penalty10000`
  String.raw`\\(?:penalty|hyphenpenalty|exhyphenpenalty|tolerance|pretolerance|looseness|spacefactor|interlinepenalty|clubpenalty|widowpenalty|linepenalty|adjdemerits|binoppenalty|relpenalty)\s*=?\s*-?\d{1,6} ?`,
  String.raw`\\[A-Za-z@]{1,40}(?:\s*=\s*(?:${LENGTH}|-?\d{1,9})|\s*${DIMEN}) ?`,
  // any other command word (\mbox, \relax, \textbf, \ensuremath, \CJKglue…) and its optional argument; \- \/ \( \) \[ \]
  String.raw`\\[A-Za-z@]{1,40}\*?(?:\[[^\[\]\n]{0,64}\])?\s?`,
  String.raw`\\[-/()[\]]`,
  // math shifts and braces
  String.raw`[{}$]`,
];
const TEX = new RegExp(PARTS.join('|'), 'g');

/**
 * A star set as a superscript is a footnote's mark, not a marking's star: `商业秘密$^{\star}$` reads 商业秘密*. Before a
 * period (`机密$^\bigstar$10年`, `绝密$^\star$长期`, `秘密$^\star$6个月`) it is the marking's, raised: ★. A period
 * has its unit: a count after a footnote mark is none (`商业秘密$^\star$ 10 家` was refused as 秘密★ 10, fpfix4).
 */
const RAISED = '\ue000';
const RAISED_STAR = /\ue000/g;
const PERIOD = /^[ \t]*(?:(?:[0-9０-９]{1,3}|[一二三四五六七八九十两]{1,3})[ \t]*(?:年|个月|個月|月)|长期|長期)/;

/** Stars as the symbol commands print them: the filled ones ★, the outlined and white ones ☆. */
function starOf(name: string): string {
  return /white|Open|Outline|Lines|Shadow/.test(name) ? '☆' : '★';
}

/** The window as typeset, or null when it holds no LaTeX. */
export function latexShown(w: string): string | null {
  if (!LATEX.test(w)) return null;
  const shown = typeset(w);
  // Also without what a reader may not see (latex-unseen.ts), and with each conditional's first branch taken, then
  // its second… (latex-conditionals.ts: an \ifcase's every branch).
  const readings = new Set([shown]);
  for (const other of [latexUnseen(w), ...latexBranches(w)]) if (other !== null) readings.add(typeset(other));
  // And in the order its characters are drawn, where boxes of no width or negative spaces move them (latex-placed.ts).
  const placed = latexPlaced(w, typeset);
  if (placed !== null) readings.add(placed);
  if (readings.size > 1) return [...readings].join('\n');
  return shown === w ? null : shown;
}

/** The text as typeset. */
function typeset(w: string): string {
  const r = w.replace(COMMENT, '$1').replace(TEX, (m: string, ding?: string, star?: string, special?: string, space?: string, _delim?: string, verbatim?: string) => {
    if (verbatim !== undefined) return verbatim;
    if (m.charCodeAt(0) === 0x5e) return RAISED;
    if (ding !== undefined) return ding === '72' ? '★' : '☆';
    if (star !== undefined) return starOf(star);
    if (special !== undefined) return special;
    if (space !== undefined) return ' ';
    if (m.startsWith('\\\\')) return '\n';
    // The spaces and the commands whose arguments are not text above print a space or nothing; a space is safe either way.
    return /^\\(?:[hv]space|[hv]skip|kern|mkern|mskip|hglue|vglue|rule|[hv]?phantom)/.test(m) ? ' ' : '';
  });
  return r.replace(RAISED_STAR, (_m, at: number) => (PERIOD.test(r.slice(at + 1, at + 16)) ? '★' : '*'));
}
