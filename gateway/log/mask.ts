// Masking for anything that may reach an operational log or an audit field
// from a sender: file names, header values. Long digit runs (resident ids,
// phone and card numbers) and e-mail addresses are masked; the rest is kept.

const DIGIT_RUN = /\d{6,}[\dXx]?/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

export function maskText(s: string): string {
  return s
    .replace(DIGIT_RUN, (run) => `${run.slice(0, 3)}${'*'.repeat(Math.max(run.length - 5, 1))}${run.slice(-2)}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}
