// Globs of the policy language. Deliberately small: `*` (any run of characters
// within one segment, i.e. never '/'), `?` (one character) and `{a,b}`
// (alternatives, no nesting). Compiled to an anchored RegExp once, at load.

export interface CompiledGlob {
  source: string;
  /** true when the pattern has no wildcard: compared with === on the hot path */
  literal: boolean;
  test(s: string): boolean;
}

const SPECIAL = /[*?{}]/;

/** Returns the compiled glob, or a sentence saying why the pattern is invalid. */
/** Most `*` in one glob: matching costs up to O(n^k) on sender-chosen names, so k stays small. */
export const MAX_STARS = 3;

export function compileGlob(pattern: string, allowed: RegExp = /[a-z0-9_.+\-/]/): CompiledGlob | string {
  if (pattern.length === 0) return 'an empty pattern matches nothing';
  pattern = pattern.replace(/\*{2,}/g, '*'); // '**' means what '*' means
  if ((pattern.match(/\*/g)?.length ?? 0) > MAX_STARS) {
    return `'${pattern}' has more than ${MAX_STARS} '*'; more would make matching slow on hostile names`;
  }
  if (!SPECIAL.test(pattern)) {
    return { source: pattern, literal: true, test: (s) => s === pattern };
  }
  // The common shapes `police/*` and `*` skip the RegExp engine on the hot path.
  const star = pattern.indexOf('*');
  if (star === pattern.length - 1 && !SPECIAL.test(pattern.slice(0, star)) && [...pattern.slice(0, star)].every((c) => allowed.test(c))) {
    const prefix = pattern.slice(0, star);
    const n = prefix.length;
    return { source: pattern, literal: false, test: (s) => s.length >= n && s.startsWith(prefix) && s.indexOf('/', n) === -1 };
  }
  let re = '^';
  let inBraces = false;
  for (const ch of pattern) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      if (inBraces) return `nested '{' in '${pattern}' is not supported`;
      inBraces = true;
      re += '(?:';
    } else if (ch === '}') {
      if (!inBraces) return `'}' without '{' in '${pattern}'`;
      inBraces = false;
      re += ')';
    } else if (ch === ',' && inBraces) re += '|';
    else if (allowed.test(ch)) re += ch.replace(/[.+\-/]/g, (c) => `\\${c}`);
    else return `character '${ch}' is not allowed in '${pattern}'`;
  }
  if (inBraces) return `'{' without '}' in '${pattern}'`;
  const rx = new RegExp(`${re}$`);
  return { source: pattern, literal: false, test: (s) => rx.test(s) };
}

/** Split `<network-glob>/<system-glob>`; null when there is not exactly one '/' outside braces. */
export function splitAddressGlob(pattern: string): { network: string; system: string } | null {
  const i = pattern.indexOf('/');
  if (i <= 0 || i === pattern.length - 1 || pattern.indexOf('/', i + 1) !== -1) return null;
  return { network: pattern.slice(0, i), system: pattern.slice(i + 1) };
}

/** Does glob `outer` match everything glob `inner` matches? Conservative: false when unsure. */
export function globCovers(outer: CompiledGlob, inner: CompiledGlob): boolean {
  if (outer.source === inner.source) return true;
  if (inner.literal) return outer.test(inner.source);
  return /^[*/]+$/.test(outer.source) && outer.source.split('/').length === inner.source.split('/').length;
}
