// Aho-Corasick over folded code units, compiled to a dense DFA: one typed-array
// read per significant character. Characters outside every pattern map to
// symbol 0, which always returns to the root, so ordinary text costs one
// lookup in symOf and nothing more.

export interface Pattern<T> {
  units: number[];
  tag: T;
}

const MAX_CELLS = 8 * 1024 * 1024; // 32 MiB of transitions; a keyword list past this is refused

export class PatternMatcher<T> {
  /** folded code unit → symbol (1-based); 0: in no pattern. */
  readonly symOf = new Uint16Array(0x10000);
  readonly nsym: number;
  /** delta[state * nsym + sym] → next state. */
  readonly delta: Int32Array;
  /** outputs of state s: outList[outStart[s] .. outStart[s + 1]) are pattern indexes. */
  readonly outStart: Int32Array;
  readonly outList: Int32Array;
  readonly patterns: Pattern<T>[];
  readonly maxLength: number;
  /** Length of the pattern prefix each state stands for (a transition that does not extend a match goes back). */
  readonly depth: Int32Array;

  constructor(patterns: Pattern<T>[]) {
    this.patterns = patterns.filter((p) => p.units.length > 0);
    let nsym = 1;
    for (const p of this.patterns) for (const u of p.units) if (this.symOf[u] === 0) this.symOf[u] = nsym++;
    if (nsym > 0xffff) throw new Error('too many distinct characters in the patterns');
    this.nsym = nsym;
    // Trie.
    const children: Map<number, number>[] = [new Map()];
    const outs: number[][] = [[]];
    const depths: number[] = [0];
    let maxLength = 0;
    this.patterns.forEach((p, idx) => {
      let s = 0;
      for (const u of p.units) {
        const sym = this.symOf[u]!;
        let next = children[s]!.get(sym);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          outs.push([]);
          depths.push(depths[s]! + 1);
          children[s]!.set(sym, next);
        }
        s = next;
      }
      outs[s]!.push(idx);
      maxLength = Math.max(maxLength, p.units.length);
    });
    this.maxLength = maxLength;
    this.depth = Int32Array.from(depths);
    const nstates = children.length;
    if (nstates * nsym > MAX_CELLS) throw new Error(`keyword list too large (${nstates} states × ${nsym} symbols)`);
    // Breadth-first: fail links folded into a complete transition table.
    const delta = new Int32Array(nstates * nsym);
    const fail = new Int32Array(nstates);
    const queue: number[] = [];
    for (const [sym, t] of children[0]!) {
      delta[sym] = t;
      queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      outs[s]!.push(...outs[fail[s]!]!);
      for (let sym = 1; sym < nsym; sym++) {
        const t = children[s]!.get(sym);
        if (t === undefined) delta[s * nsym + sym] = delta[fail[s]! * nsym + sym]!;
        else {
          fail[t] = delta[fail[s]! * nsym + sym]!;
          delta[s * nsym + sym] = t;
          queue.push(t);
        }
      }
    }
    this.delta = delta;
    this.outStart = new Int32Array(nstates + 1);
    const flat: number[] = [];
    for (let s = 0; s < nstates; s++) {
      this.outStart[s] = flat.length;
      flat.push(...outs[s]!);
    }
    this.outStart[nstates] = flat.length;
    this.outList = Int32Array.from(flat);
  }
}
