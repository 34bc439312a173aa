import { isBankCard, isEmail, isMobile, isResidentId, isUscc } from './pii-checks.js';

// Identifiers inside one token of [a-z0-9._%+-@] (folded ASCII): digit runs
// (resident id, mobile, bank card), 18-character alphanumeric runs (credit
// code) and addresses around each '@'. Works on bytes; a string is made only
// for a candidate. A number is taken whole, never out of a longer run.

export type Report = (subkind: string, start: number, value: string) => void;

export function findIdentifiers(t: Buffer, n: number, digits: number, flags: number, report: Report): void {
  const str = (a: number, b: number): string => t.toString('latin1', a, b);
  let idAt = -1;
  if (digits >= 11) {
    for (let i = 0; i < n; ) {
      if (t[i]! < 0x30 || t[i]! > 0x39) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && t[j]! >= 0x30 && t[j]! <= 0x39) j++;
      const len = j - i;
      if (len === 18 || (len === 17 && t[j] === 0x78)) {
        const v = str(i, i + 18);
        if (isResidentId(v)) {
          report('cn-resident-id', i, v);
          idAt = i;
          i = i + 18;
          continue;
        }
      }
      if (len === 11) {
        const v = str(i, j);
        if (isMobile(v)) report('cn-mobile', i, v);
      } else if (len >= 16 && len <= 19) {
        const v = str(i, j);
        if (isBankCard(v)) report('bank-card', i, v);
      }
      i = j;
    }
  }
  if (digits >= 6 && n >= 18) {
    for (let i = 0; i < n; ) {
      let j = i;
      while (j < n && ((t[j]! >= 0x30 && t[j]! <= 0x39) || (t[j]! >= 0x61 && t[j]! <= 0x7a))) j++;
      if (j - i === 18 && i !== idAt) {
        const v = str(i, j);
        if (isUscc(v)) report('uscc', i, v);
      }
      i = j === i ? i + 1 : j;
    }
  }
  if (flags & 1) {
    for (let p = 0; p < n; p++) {
      if (t[p] !== 0x40) continue;
      let a = p;
      while (a > 0 && t[a - 1] !== 0x40) a--;
      let b = p + 1;
      while (b < n && t[b] !== 0x40 && t[b] !== 0x25 && t[b] !== 0x2b && t[b] !== 0x5f) b++;
      while (a < p && (t[a] === 0x2e || t[a] === 0x2d || t[a] === 0x5f || t[a] === 0x25 || t[a] === 0x2b)) a++;
      while (b > p + 1 && (t[b - 1] === 0x2e || t[b - 1] === 0x2d)) b--;
      const v = str(a, b);
      if (isEmail(v)) report('email', a, v);
    }
  }
}
