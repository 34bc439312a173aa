import { LabelAttributes } from './label-attributes.js';
import { LabelColumns } from './label-columns.js';
import { mayHoldKey } from '../marks/label-keys.js';

// The readings of a 密级 field whose key and value are apart (label-keys.ts):
// attributes and JSON members (label-attributes.ts), a table's column
// (label-columns.ts). What they give, `密级：<value>` a line, is read as a
// view of its own one level down (text-handler.ts).

export class LabelPairs {
  #attributes = new LabelAttributes();
  #columns = new LabelColumns();
  /** The last characters of the text so far: a key cut by a chunk's end. */
  #edge = '';

  push(s: string, final: boolean): string {
    // One search a chunk, over the chunk and the edge it joins (the readers' carries were searched before).
    const hint = mayHoldKey(s) || mayHoldKey(this.#edge + s.slice(0, EDGE));
    this.#edge = s.length >= EDGE ? s.slice(-EDGE) : (this.#edge + s).slice(-EDGE); // (a slice of a joined string copies all of it)
    return this.#attributes.push(s, final, hint) + this.#columns.push(s, final, hint);
  }
}

/** Characters of a key that a chunk's end may cut (`Security Classification` is the longest). */
const EDGE = 24;
