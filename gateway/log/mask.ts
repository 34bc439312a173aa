// Masking for anything that may reach an operational log or an audit field
// from a sender: file names, header values, paths. Long digit runs (resident
// ids, phone and card numbers) and e-mail addresses are masked; the rest is kept.
// A sender chooses how to write them, so what counts as one is broad (issue 9):
// digits of any script (full-width １３８…), runs split by spaces or hyphens
// (138 0013 8000, 6222-0212-…), and percent-encoded forms (zhang%40example.com,
// %31%33%38…), which are decoded before they are masked. And (issue N11, fourth
// red team of 30 Nov) the groupings the inspectors join (inspect/id-groups.ts): an
// id number or a mobile in groups apart by one to four separators of any kind
// (NBSP, '.', '_', '/', ':' …), masked whole where its groups add up to an id
// (18, a birth year's century in place) or a mobile (11, 1[3-9]…); each group was
// masked on its own before, 13 to 15 of 18 digits shown. Version numbers, dates,
// times and addresses add up to neither and are kept.

// Six or more digits in a row, any script, with an optional check character (resident ids end in X).
const DIGIT_RUN = /\p{Nd}{6,}[XxＸｘ]?/gu;
// Six or more digits in groups joined by one space or hyphen (of any width); not glued to a letter or digit.
// (A run that a letter ends, like the date of 2026-11-30T06:38, is not one: nor is any part of it.)
const SEP = '[ \\u00a0\\u3000\\-\\u2010-\\u2015\\u2212\\ufe63\\uff0d]';
const SPLIT_RUN = new RegExp(`(?<![\\p{L}\\p{Nd}]|\\p{Nd}${SEP})\\p{Nd}+(?:${SEP}\\p{Nd}+)+(?:[ \\-]?[XxＸｘ])?(?![\\p{L}\\p{Nd}]|${SEP}\\p{Nd})`, 'gu');
const EMAIL = /([\p{L}\p{Nd}._%+-])[\p{L}\p{Nd}._%+-]*[@＠﹫]([\p{L}\p{Nd}.-]+[.．。][\p{L}]{2,})/gu;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

// A group of digits (an X after it: an id's check), not glued to a letter or a digit.
const GROUP = /(?<![\p{L}\p{Nd}])\p{Nd}+(?:[XxＸｘ](?![\p{L}\p{Nd}]))?/gu;
/** What stands between two groups the inspectors join: 1 to 4 of white space, punctuation, symbols, invisibles. */
const TIGHT_GAP = /^[\p{Z}\p{P}\p{S}\p{Cf}\t]{1,4}$/u;

/** Is a window of groups (their characters joined) an id number or a mobile as the inspectors read one? */
function personNumber(digits: string): boolean {
  if (digits.length === 18) return /^[1-9]\p{Nd}{5}(?:19|20|１９|２０)\p{Nd}{9}[\p{Nd}XxＸｘ]$/u.test(digits);
  return digits.length === 11 && /^[1１][3-9３-９]/u.test(digits);
}

/** Masks the windows of consecutive groups, apart by tight gaps, that add up to an id number or a mobile. */
function maskGroupings(s: string): string {
  const groups = [...s.matchAll(GROUP)].map((m) => ({ at: m.index, end: m.index + m[0].length, text: m[0] }));
  const spans: Array<[number, number]> = [];
  for (let a = 0; a < groups.length; a++) {
    let chars = 0;
    let digits = '';
    for (let b = a; b < groups.length; b++) {
      if (b > a && !(TIGHT_GAP.test(s.slice(groups[b - 1]!.end, groups[b]!.at)) && !/[XxＸｘ]$/u.test(groups[b - 1]!.text))) break;
      chars += [...groups[b]!.text].length;
      digits += groups[b]!.text;
      if (chars > 18) break;
      if (b > a && personNumber(digits)) {
        spans.push([groups[a]!.at, groups[b]!.end]);
        a = b;
        break;
      }
    }
  }
  for (let k = spans.length - 1; k >= 0; k--) {
    const [from, to] = spans[k]!;
    s = s.slice(0, from) + star(s.slice(from, to)) + s.slice(to);
  }
  return s;
}

function star(run: string): string {
  const chars = [...run];
  return `${chars.slice(0, 3).join('')}${'*'.repeat(Math.max(chars.length - 5, 1))}${chars.slice(-2).join('')}`;
}

function decodePercent(s: string): string {
  return s.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

export function maskText(s: string): string {
  return maskGroupings(decodePercent(s))
    // Groups each long enough to be masked on their own are left to DIGIT_RUN (one mask per number).
    .replace(SPLIT_RUN, (run) => {
      const groups = run.match(/\p{Nd}+/gu) ?? [];
      return groups.join('').length >= 6 && groups.some((g) => g.length < 6) ? star(run) : run;
    })
    .replace(DIGIT_RUN, star)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}
