import { MARKUP_TRIGGER, MarkupReading } from './markup-reading.js';
import type { Member } from '../context/member.js';
import type { FieldDocument } from '../decodings/word-fields.js';

// The markup reading (markup-reading.ts) of one text, started when the text
// shows markup that reading reads differently (a ruby, a hidden run, a
// style, a formula), and inspected as a view of its own. Until then it costs
// one native search for `<` a chunk: CSV, JSON and logs never start it. The
// text just before the trigger (CARRY characters) is read too: a Word run's
// start comes before the w:vanish that hides it.

const CARRY = 4096;
/**
 * What is kept of the text read, for a second reading when a style sheet
 * comes after elements it styles (a browser applies it to them; one pass
 * cannot). Past this, the second reading is not made: the views still read
 * every character in storage order.
 */
const MAX_KEPT = 2 * 1024 * 1024;

export class RenderedView {
  #open: () => Member;
  #reading: MarkupReading | null = null;
  #member: Member | null = null;
  #carry = '';
  /** The last chunk ended inside what may be a tag. */
  #openTag = false;
  #kept: string[] | null = [];
  #keptLength = 0;

  #onLimit: (subkind: string, detail: string) => void;
  #fields: FieldDocument | undefined;

  /** `onLimit` makes a finding of nesting the reading does not follow; `fields`: the docx's this text is a part of (word-fields.ts). */
  constructor(open: () => Member, onLimit: (subkind: string, detail: string) => void, fields?: FieldDocument) {
    this.#open = open;
    this.#onLimit = onLimit;
    this.#fields = fields;
  }

  async push(s: string, final: boolean): Promise<void> {
    if (!this.#reading) {
      // indexOf is a native scan (memchr on one-byte strings); lastIndexOf is not.
      const lt = s.indexOf('<') < 0 ? -1 : s.lastIndexOf('<');
      if (lt < 0 && !this.#openTag) {
        this.#keep(s);
        return;
      }
      const probe = this.#carry + s;
      this.#openTag = lt >= 0 && s.indexOf('>', lt) < 0;
      if (!MARKUP_TRIGGER.test(probe)) {
        this.#keep(s);
        return;
      }
      this.#reading = new MarkupReading(this.#onLimit, undefined, this.#fields);
      this.#carry = '';
      s = probe;
    }
    if (this.#kept) {
      this.#keptLength += s.length;
      if (this.#keptLength <= MAX_KEPT) this.#kept.push(s);
      else this.#kept = null;
    }
    const out = this.#reading.push(s, final);
    if (out) await (this.#member ??= this.#open()).update(Buffer.from(out));
    if (final && this.#reading.late && this.#kept) {
      const again = new MarkupReading(this.#onLimit, this.#reading.sheet, this.#fields).push(this.#kept.join(''), true);
      this.#kept = null;
      if (again) await (this.#member ??= this.#open()).update(Buffer.from(`\n${again}`));
    }
    if (final && this.#member) {
      await this.#member.finish();
      this.#member = null;
    }
  }

  abort(): void {
    this.#member?.abort();
    this.#member = null;
  }

  #keep(s: string): void {
    this.#carry = s.length >= CARRY ? s.slice(-CARRY) : (this.#carry + s).slice(-CARRY);
  }
}
