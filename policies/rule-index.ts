import type { CompiledRule } from './compiled-rule.js';
import type { TransferFacts } from './types.js';

// The rules of one network pair (one mode), indexed a second time by the
// systems they name. A rule whose `from` lists only exact addresses can match
// only those sources, so it is filed under each of them; else under its exact
// destinations, else its exact principals; the rest are tried for every
// transfer. A decision then walks the few lists that can hold a match, merged
// back into file order (the engine's semantics depend on file order), instead
// of every rule of the pair: with 2,000 rules naming systems, a decision
// looks at a handful, not 2,000.

type Key = 'source' | 'destination' | 'principal';
/** In the order a rule is filed by: the first of its fields that names exact values. */
const KEYS: readonly Key[] = ['source', 'destination', 'principal'];

function fileOf(r: CompiledRule): { key: Key; values: string[] } | null {
  const i = r.info;
  if (i.from?.length && i.from.every((g) => g.glob.literal)) return { key: 'source', values: i.from.map((g) => g.glob.source) };
  if (i.to?.length && i.to.every((g) => g.glob.literal)) return { key: 'destination', values: i.to.map((g) => g.glob.source) };
  if (i.principal?.length && i.principal.every((g) => g.literal)) return { key: 'principal', values: i.principal.map((g) => g.source) };
  return null;
}

export class RuleList {
  /** Every rule, in file order. */
  readonly all: CompiledRule[] = [];
  #by: Record<Key, Map<string, CompiledRule[]>> = { source: new Map(), destination: new Map(), principal: new Map() };
  #rest: CompiledRule[] = [];
  #afterCache = new Map<number, CompiledRule[]>();

  /** Rules must be added in file order. */
  add(r: CompiledRule): void {
    this.all.push(r);
    this.#afterCache.clear();
    const filed = fileOf(r);
    if (!filed) {
      this.#rest.push(r);
      return;
    }
    const map = this.#by[filed.key];
    for (const v of new Set(filed.values)) {
      const list = map.get(v);
      if (list) list.push(r);
      else map.set(v, [r]);
    }
  }

  /**
   * The rules of this list that can match every transfer `r` matches (the
   * lint's question), in file order. A rule filed under an earlier key than
   * r's has exact values where r has none or a glob, so it cannot; under r's
   * own key it must hold r's first value.
   */
  mayCover(r: CompiledRule): CompiledRule[] {
    const filed = fileOf(r);
    const from = filed ? KEYS.indexOf(filed.key) : KEYS.length;
    const own = filed ? this.#by[filed.key].get(filed.values[0]!) ?? [] : [];
    return [...own, ...this.#after(from)].sort((a, b) => a.index - b.index);
  }

  /** The rules filed under the keys after KEYS[from], and the rest; kept, as the lint asks for every rule. */
  #after(from: number): CompiledRule[] {
    let out = this.#afterCache.get(from);
    if (!out) {
      const set = new Set<CompiledRule>(this.#rest);
      for (const k of KEYS.slice(from + 1)) for (const list of this.#by[k].values()) for (const x of list) set.add(x);
      this.#afterCache.set(from, (out = [...set]));
    }
    return out;
  }

  /** Starts `cursor` on the rules that can match these facts, in file order. */
  walk(facts: TransferFacts, cursor: RuleCursor): RuleCursor {
    cursor.reset();
    cursor.push(this.#by.source.get(facts.source));
    cursor.push(this.#by.destination.get(facts.destination));
    cursor.push(this.#by.principal.get(facts.principal));
    cursor.push(this.#rest);
    return cursor;
  }
}

const EMPTY: CompiledRule[] = [];

/** A merge of up to four file-ordered lists, reused across decisions (no allocation per decision). */
export class RuleCursor {
  #lists: CompiledRule[][] = [EMPTY, EMPTY, EMPTY, EMPTY];
  #at = [0, 0, 0, 0];
  #n = 0;

  reset(): void {
    this.#n = 0;
  }

  push(list: CompiledRule[] | undefined): void {
    if (!list || list.length === 0) return;
    this.#lists[this.#n] = list;
    this.#at[this.#n] = 0;
    this.#n++;
  }

  /** The next rule in file order, or undefined at the end. */
  next(): CompiledRule | undefined {
    let best = -1;
    let bestIndex = Infinity;
    for (let k = 0; k < this.#n; k++) {
      const r = this.#lists[k]![this.#at[k]!];
      if (r !== undefined && r.index < bestIndex) {
        best = k;
        bestIndex = r.index;
      }
    }
    if (best < 0) return undefined;
    // A rule is in one list only (filed under one key), so no duplicates to skip.
    return this.#lists[best]![this.#at[best]!++];
  }
}
