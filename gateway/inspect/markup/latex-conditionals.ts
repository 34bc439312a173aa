// TeX's conditionals in a window of LaTeX (review13, 2 Dec): which branch TeX takes is not known here (a test of
// a count, a macro, a \newif set elsewhere), so the readings around a 密 take each both ways: without the whole
// conditional (latex-unseen.ts), and with its first branch, its test dropped (the else branch of \iffalse):
// `机\ifnum1=0 商业\fi 密★` and `机\ifnum1=1 密\else 商业\fi★` both print 机密★ for one outcome. Then with its
// second branch, its third… (review13: `机\ifcase\month 商\or 密\fi★` is 机密★ in February; `\ifnum…\else 密\fi`).
// Macros named \if… that take their branches as arguments (\ifthenelse, etoolbox's tests) are no conditionals, nor
// is an \if being defined (`\newif\ifdraft`).

const IF = /\\(?:if[A-Za-z@]*|fi)(?![A-Za-z@])/g;
/** Commands named \if… that are macros taking their branches as arguments, not conditionals closed by \fi. */
const NOT_IF = /^\\?(?:ifthenelse|ifbool|iftoggle|ifboolexpr|ifdef(?!ined)[A-Za-z@]*|ifundef[A-Za-z@]*|ifcs(?!name)[A-Za-z@]*|ifstr[A-Za-z@]*|ifnumcomp|ifdimcomp|ifblank|ifnum(?:equal|greater|less|odd)|ifpackageloaded|ifclassloaded|ifpackagelater)$/;
/** An \if… named, not tested: `\newif\ifdraft`, `\let\ifdraft\iftrue`, `\def\ifx…`. */
const NAMED_IF = /\\(?:newif|let|[gex]?def)\s*(?:\\[A-Za-z@]+\s*=?\s*)?$/;
const namedIf = (s: string, at: number): boolean => NAMED_IF.test(s.slice(Math.max(0, at - 64), at));

/** A conditional closed by \fi, not a macro named \if… nor one being defined, at s[at]. */
export function isConditional(name: string, s: string, at: number): boolean {
  return !NOT_IF.test(name) && !namedIf(s, at);
}

/** Where a conditional whose name ends at s[from] is closed by its `\fi` (after it), nested conditionals counted. */
export function fiEnd(s: string, from: number): number {
  let depth = 1;
  IF.lastIndex = from;
  for (let m = IF.exec(s); m; m = IF.exec(s)) {
    if (m[0] === '\\fi') {
      // TeX skips the spaces after a control word.
      if (--depth === 0) return IF.lastIndex + (/^\s*/.exec(s.slice(IF.lastIndex, IF.lastIndex + 64))?.[0].length ?? 0);
    } else if (isConditional(m[0].slice(1), s, m.index)) depth++;
  }
  return s.length;
}

/** What a conditional tests, by its name: the tokens after it that are no text (`\ifnum1=0 `, `\ifx\a\b`). */
function testOf(name: string): RegExp {
  if (/^(?:ifx|if|ifcat)$/.test(name)) return /^(?:\s*(?:\\[A-Za-z@]+|\\.|[^\s\\]))(?:\s*(?:\\[A-Za-z@]+|\\.|[^\s\\]))/;
  if (/^(?:ifnum|ifdim)$/.test(name)) return /^\s*[^<>=\n]{0,48}?[<>=]\s*(?:-?\s*[\d.]+\s*(?:pt|em|ex|mm|cm|in|bp|sp|pc|dd|cc)?|(?:[\d.]*\s*)?\\[A-Za-z@]+) ?/;
  if (/^(?:ifodd|ifcase)$/.test(name)) return /^\s*(?:-?\d+|\\[A-Za-z@]+) ?/;
  if (name === 'ifdefined') return /^\s*(?:\\[A-Za-z@]+|\\.) ?/;
  if (name === 'ifcsname') return /^[^\n]{0,64}?\\endcsname ?/;
  return /^ ?/;
}

/** Readings of branches past this many (an \ifcase of a hundred \or) are not made: the first ones are. */
const MAX_BRANCHES = 16;

/** The branches of the conditional named `name` whose text after its name is `body` (its \fi dropped), in order. */
function branches(name: string, body: string): string[] {
  // Split at each \else and \or at this conditional's own level.
  const cuts: number[] = [];
  let depth = 0;
  const inner = /\\(if[A-Za-z@]*|fi|else|or)(?![A-Za-z@])/g;
  for (let k = inner.exec(body); k; k = inner.exec(body)) {
    if (k[1] === 'fi') depth--;
    else if (k[1]!.startsWith('if')) {
      if (isConditional(k[1]!, body, k.index)) depth++;
    } else if (depth === 0) cuts.push(k.index);
  }
  const parts: string[] = [];
  let from = 0;
  for (const c of cuts) {
    parts.push(body.slice(from, c));
    from = c;
  }
  parts.push(body.slice(from));
  const rest = parts.slice(1).map((p) => p.replace(/^\\(?:else|or)/, ''));
  // \iffalse takes its else branch only, \iftrue its first only.
  if (name === 'iffalse') return rest.length > 0 ? rest : [''];
  const first = parts[0]!.slice(testOf(name).exec(parts[0]!)?.[0].length ?? 0);
  return name === 'iftrue' ? [first] : [first, ...rest];
}

/**
 * The window with each conditional read as taking its k-th branch (its last when it has fewer; the else branch of
 * `\iffalse`), its test dropped: `机\ifnum1=1 密\else 商业\fi★` is 机密★ when the test holds (k = 0), and
 * `机\ifcase\month 商\or 密\fi★` 机密★ in February (k = 1: review13). `count` is set to the most branches seen.
 * Null when the window holds no conditional.
 */
function taken(w: string, k: number, count: { n: number }, spans?: Array<[number, number]>): string | null {
  const out: string[] = [];
  let pos = 0;
  let length = 0;
  const re = /\\(if[A-Za-z@]*)(?![A-Za-z@])/g;
  for (let m = re.exec(w); m; m = re.exec(w)) {
    const name = m[1]!;
    if (!isConditional(name, w, m.index)) continue;
    const after = re.lastIndex;
    const fi = fiEnd(w, after);
    const all = branches(name, w.slice(after, fi).replace(/\\fi\s*$/, ''));
    count.n = Math.max(count.n, all.length);
    const branch = all[Math.min(k, all.length - 1)]!;
    // Conditionals inside the branch take their k-th branch too.
    const read = taken(branch, k, count) ?? branch;
    const before = w.slice(pos, m.index);
    out.push(before, read);
    length += before.length;
    spans?.push([length, length + read.length]);
    length += read.length;
    pos = fi;
    re.lastIndex = fi;
  }
  if (pos === 0) return null;
  out.push(w.slice(pos));
  return out.join('');
}

/** The window with each conditional taking its first branch (see taken), or null when it holds no conditional. */
export function latexTaken(w: string): string | null {
  return taken(w, 0, { n: 0 });
}

/** Characters of the text around a branch read with it in the readings past the first (a marking's reach). */
const AROUND = 64;

/**
 * The window read with every conditional taking its first branch, then its second…, up to the most branches any
 * of them has (MAX_BRANCHES at most): a marking in any branch of an `\ifcase` is read. Past the first, a reading
 * holds the branches with AROUND characters on either side only (a date macro's twelve months do not make twelve
 * copies of the window). Empty when the window holds no conditional.
 */
export function latexBranches(w: string): string[] {
  const count = { n: 0 };
  const first = taken(w, 0, count);
  if (first === null) return [];
  const out = [first];
  for (let k = 1; k < Math.min(count.n, MAX_BRANCHES); k++) {
    const spans: Array<[number, number]> = [];
    const r = taken(w, k, count, spans)!;
    // The spans with their surroundings, those that meet merged.
    const parts: string[] = [];
    let a = -1;
    let b = -1;
    for (const [from, to] of spans) {
      if (a >= 0 && from - AROUND <= b) b = Math.min(r.length, to + AROUND);
      else {
        if (a >= 0) parts.push(r.slice(a, b));
        a = Math.max(0, from - AROUND);
        b = Math.min(r.length, to + AROUND);
      }
    }
    if (a >= 0) parts.push(r.slice(a, b));
    out.push(parts.join('\n'));
  }
  return out;
}
