import type { Finding, FindingKind } from '../../../protocol/findings.js';

// Collects findings of one inspection: one Finding per (kind, subkind, path)
// with a count, the first offset and the first sample. Bounded: past
// MAX_DISTINCT distinct findings only the counts of those already held grow,
// and the overflow is itself reported.

const MAX_DISTINCT = 1000;

export interface FindingInput {
  kind: FindingKind;
  subkind?: string;
  offset?: number;
  path?: string;
  sample?: string;
  detail?: string;
}

export class FindingTally {
  #byKey = new Map<string, Finding>();
  #dropped = 0;

  /** Adds an occurrence; returns the finding it counts toward (callers may bump `count` on it directly). */
  add(f: FindingInput): Finding | undefined {
    const key = `${f.kind}\u0000${f.subkind ?? ''}\u0000${f.path ?? ''}`;
    const held = this.#byKey.get(key);
    if (held) {
      held.count = (held.count ?? 1) + 1;
      return held;
    }
    if (this.#byKey.size >= MAX_DISTINCT) {
      this.#dropped++;
      return undefined;
    }
    const finding: Finding = { kind: f.kind };
    if (f.subkind !== undefined) finding.subkind = f.subkind;
    if (f.offset !== undefined) finding.offset = f.offset;
    if (f.path !== undefined) finding.path = f.path;
    finding.count = 1;
    if (f.sample !== undefined) finding.sample = f.sample;
    if (f.detail !== undefined) finding.detail = f.detail;
    this.#byKey.set(key, finding);
    return finding;
  }

  /**
   * Takes back n occurrences counted before something read later showed they were none (an .xlsx money cell
   * whose format is in styles.xml, read after the sheet: currency-cells.ts); the finding goes when none is left.
   */
  retract(kind: FindingKind, subkind: string | undefined, path: string | undefined, n: number): void {
    const key = `${kind}\u0000${subkind ?? ''}\u0000${path ?? ''}`;
    const held = this.#byKey.get(key);
    if (!held) return;
    const left = (held.count ?? 1) - n;
    if (left > 0) held.count = left;
    else this.#byKey.delete(key);
  }

  hasKey(kind: FindingKind, subkind: string | undefined, path: string | undefined): boolean {
    return this.#byKey.has(`${kind}\u0000${subkind ?? ''}\u0000${path ?? ''}`);
  }

  /** Adds a finding another tally counted, with its count. */
  merge(f: Finding): void {
    const held = this.add(f);
    if (held && f.count && f.count > 1) held.count = (held.count ?? 1) + f.count - 1;
  }

  has(kind: FindingKind): boolean {
    for (const f of this.#byKey.values()) if (f.kind === kind) return true;
    return false;
  }

  findings(): Finding[] {
    const out = [...this.#byKey.values()].map((f) => ({ ...f }));
    if (this.#dropped > 0) {
      out.push({ kind: 'archive-limit', subkind: 'findings', count: this.#dropped, detail: `${this.#dropped} further findings were not itemised` });
    }
    return out;
  }
}
