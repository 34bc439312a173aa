// The weighing of identifiers whose check passes by chance (pii-token.ts
// IdSink.weigh): a kind is reported at the end of a piece of content when
// more of its values pass their check than chance explains.
//
// What it protects against: tables whose numbers have an identifier's shape
// and range by construction, of which one in ten or eleven passes the check
// by chance: region codes, dates and counts in 6-8-4 columns (a bureau's
// statistics), 16- to 19-digit order and trace numbers in a card issuer's
// range, and the windows id-groups.ts reads in every grouping of a file of
// numbers. A single id number written in groups, whose region, birth date and
// check agree, is indistinguishable from one such row: how many others of its
// shape fail beside it is the only evidence there is.
//
// How it was walked around (second red team, 30 Nov): the kind was reported
// when at least half passed, so n real numbers beside n + 1 look-alikes that
// fail crossed. Now:
//   - a look-alike that differs from a passing value only in its last
//     character (the check: the cheapest look-alike there is) is evidence for
//     that value, not dilution;
//   - values are counted once each (one look-alike written a hundred times
//     dilutes as one);
//   - the kind is also reported when the passing values are more than chance
//     gives among all of them, by four standard deviations (p = 1/11 for the
//     MOD 11-2 check of an id number, 1/10 for Luhn): 300 rows of statistics
//     give about 27 passes against a bar of 47; a register of k numbers must
//     be hidden among about 10k look-alikes, each distinct and made otherwise
//     than by changing its check character.
// What is left: a few numbers among several times as many look-alikes. An
// operator who must not let one through adds a rule with a lower bar.

/** Distinct values held a kind (past it, values are counted without telling repeats apart). */
const MAX_VALUES = 65_536;
/** The chance that a value of the shape and range passes the check. */
const CHANCE: Record<string, number> = { 'cn-resident-id': 1 / 11, 'bank-card': 1 / 10 };
const SIGMAS = 4;

export interface Weighed {
  subkind: string;
  offset: number;
  sample: string;
  /** Occurrences whose check passed. */
  count: number;
}

interface Kind {
  passed: Set<string>;
  failed: Set<string>;
  /** Values past MAX_VALUES: counted, not held. */
  passedOver: number;
  failedOver: number;
  occurrences: number;
  offset: number;
  sample: string;
}

export class IdWeights {
  #kinds = new Map<string, Kind>();

  /** A value of a weighed kind; offset and sample are asked for only for the first that passes. */
  add(subkind: string, value: string, ok: boolean, first: () => { offset: number; sample: string }): void {
    let k = this.#kinds.get(subkind);
    if (!k) this.#kinds.set(subkind, (k = { passed: new Set(), failed: new Set(), passedOver: 0, failedOver: 0, occurrences: 0, offset: 0, sample: '' }));
    const set = ok ? k.passed : k.failed;
    if (set.has(value)) {
      if (ok) k.occurrences++;
      return;
    }
    if (k.passed.size + k.failed.size < MAX_VALUES) set.add(value);
    else if (ok) k.passedOver++;
    else k.failedOver++;
    if (!ok) return;
    if (k.occurrences++ === 0) ({ offset: k.offset, sample: k.sample } = first());
  }

  /** The kinds to report, and forgets them all. */
  take(): Weighed[] {
    const out: Weighed[] = [];
    for (const [subkind, k] of this.#kinds) {
      const passed = k.passed.size + k.passedOver;
      if (passed === 0) continue;
      const checked = new Set<string>();
      for (const v of k.passed) checked.add(v.slice(0, -1));
      let failed = k.failedOver;
      for (const v of k.failed) if (!checked.has(v.slice(0, -1))) failed++;
      if (reported(subkind, passed, passed + failed)) out.push({ subkind, offset: k.offset, sample: k.sample, count: k.occurrences });
    }
    this.#kinds.clear();
    return out;
  }
}

/** Half of them or more, or more than chance gives among them (where the chance is known). */
export function reported(subkind: string, passed: number, seen: number): boolean {
  if (passed * 2 >= seen) return true;
  const p = CHANCE[subkind];
  return p !== undefined && passed > seen * p + SIGMAS * Math.sqrt(seen * p * (1 - p));
}
