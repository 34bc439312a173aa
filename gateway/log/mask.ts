// Masking for anything that may reach an operational log or an audit field
// from a sender: file names, header values, paths. Long digit runs (resident
// ids, phone and card numbers) and e-mail addresses are masked; the rest is kept.
// A sender chooses how to write them, so what counts as one is broad (issue 9):
// digits of any script (full-width １３８…), runs split by spaces or hyphens
// (138 0013 8000, 6222-0212-…), and percent-encoded forms (zhang%40example.com,
// %31%33%38…), which are decoded before they are masked.

// Six or more digits in a row, any script, with an optional check character (resident ids end in X).
const DIGIT_RUN = /\p{Nd}{6,}[XxＸｘ]?/gu;
// Six or more digits in groups joined by one space or hyphen (of any width); not glued to a letter or digit.
// (A run that a letter ends, like the date of 2026-11-30T06:38, is not one: nor is any part of it.)
const SEP = '[ \\u00a0\\u3000\\-\\u2010-\\u2015\\u2212\\ufe63\\uff0d]';
const SPLIT_RUN = new RegExp(`(?<![\\p{L}\\p{Nd}]|\\p{Nd}${SEP})\\p{Nd}+(?:${SEP}\\p{Nd}+)+(?:[ \\-]?[XxＸｘ])?(?![\\p{L}\\p{Nd}]|${SEP}\\p{Nd})`, 'gu');
const EMAIL = /([\p{L}\p{Nd}._%+-])[\p{L}\p{Nd}._%+-]*[@＠﹫]([\p{L}\p{Nd}.-]+[.．。][\p{L}]{2,})/gu;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

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
  return decodePercent(s)
    // Groups each long enough to be masked on their own are left to DIGIT_RUN (one mask per number).
    .replace(SPLIT_RUN, (run) => {
      const groups = run.match(/\p{Nd}+/gu) ?? [];
      return groups.join('').length >= 6 && groups.some((g) => g.length < 6) ? star(run) : run;
    })
    .replace(DIGIT_RUN, star)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}
