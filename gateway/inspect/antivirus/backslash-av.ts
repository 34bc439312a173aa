import type { DecodedAv } from './decoded-av.js';

// A string whose only escape is an escaped backslash (`\\`), as JSON.stringify, json.dumps and Python's repr
// write one holding a `\`: no text view is made of it (hasEscapes, text-views.ts: a run of backslashes would
// halve at each level down to the depth limit), so clamd saw only the escaped form. EICAR holds a `\`, so
// EICAR in a JSON string or a Python bytes literal crossed a gateway with clamd (seventh red team, 1 Dec, V5,
// V12). This gives clamd the string as the program reads it, once: the single-character escapes of JSON and
// Python resolved, from the first `\\` of the content on (with the characters just before it, which a
// signature may start with).

const SINGLE = /\\(["'\\/bfnrt])/g;
/** An escaped backslash: two, not a run of them (binary content and ASCII art hold runs). */
const ESCAPED_BACKSLASH = /(?<!\\)\\\\(?!\\)/;
const AS: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** Characters kept from before the first `\\`: more than a signature's length reaches back (EICAR's is 68). */
const LOOK_BACK = 256;

export class BackslashAv {
  readonly #av: DecodedAv;
  #on = false;
  #before = '';
  /** A backslash that ended the last chunk: the first half of an escape, or not, as the next chunk says. */
  #carry = '';

  constructor(av: DecodedAv) {
    this.#av = av;
  }

  async push(s: string, final: boolean): Promise<void> {
    if (!this.#on) {
      // (with the end of the text before: an escape may be cut by the chunk's edge)
      if (!ESCAPED_BACKSLASH.test(this.#before.slice(-3) + s)) {
        this.#before = (this.#before + s).slice(-LOOK_BACK);
        return;
      }
      this.#on = true;
      s = this.#before + s;
      this.#before = '';
    }
    let t = this.#carry + s;
    this.#carry = '';
    if (!final) {
      let k = t.length;
      while (k > 0 && t.charCodeAt(k - 1) === 0x5c) k--;
      if ((t.length - k) % 2 === 1) {
        this.#carry = '\\';
        t = t.slice(0, -1);
      }
    }
    await this.#av.write(Buffer.from(t.replace(SINGLE, (_m, c: string) => AS[c] ?? c)));
    if (final) await this.#av.endPiece();
  }
}
