import { decodeHTML } from 'entities';
import { attrs } from '../markup/markup-reading.js';
import { isLabelKey, labelLine } from '../marks/label-keys.js';

// The 密级 field written as a key in one place and its value in another
// (red team, 1 Dec b, N22): a key that is an attribute's value, whose value
// is the element's other attributes or its content —
//   Word's custom properties  <property … name="密级"><vt:lpwstr>机密</vt:lpwstr></property>
//   HTML                      <meta content="机密" name="密级">, <input name="密级" value="机密">
//   any XML                   <entry key="密级">机密</entry>, <Field Name="密级" Value="机密"/>
// — or a JSON object that names its field and holds its value apart
// (`{"name":"密级","value":"机密"}`). Each value is given as `密级：<value>`
// (label-keys.ts) for the scanner to judge as the label's: a <select> that
// lists the levels reads `密级：/绝密/ /机密/ …`, a list, no marking.
// Text with no key costs one native search a chunk.

/** How far from the key its tag or object may start or end, and its element's content run. */
const SPAN = 1024;
const CARRY = 2 * SPAN;
const VOID = new Set(['meta', 'input', 'link', 'img', 'br', 'hr', 'param', 'source', 'col', 'area', 'base', 'embed', 'track', 'wbr']);
/** A quoted value after '=' (an attribute) or ':' (a JSON member) that may be a key. */
const KEY_VALUE = /([=:])\s*(["'])([^"'<>\\\n]{0,16}(?:[密宻宓][\s\u3000]*[级級]|[Cc][Ll][Aa][Ss][Ss][Ii][Ff][Ii][Cc][Aa][Tt][Ii][Oo][Nn])[^"'<>\\\n]{0,48})\2/g;
const TAGS = /<[^<>]*>/g;
/** A JSON member's string value (not an array's: an enum lists choices). */
const JSON_STRING = /:\s*"((?:[^"\\]|\\.){0,512})"/g;

export class LabelAttributes {
  #carry = '';
  /** Characters of the carry already read (a key in them was given). */
  #done = 0;

  /** The `密级：<value>` lines of what is complete of carry + s (all of it when final). */
  /** `hint`: carry + s may hold a key (label-pairs.ts searched it). */
  push(s: string, final: boolean, hint: boolean): string {
    if (!hint) {
      // The tail is kept, for a tag cut by the chunk's end that holds a key in the next.
      this.#carry = s.length >= CARRY ? s.slice(-CARRY) : (this.#carry + s).slice(-CARRY);
      this.#done = 0;
      return '';
    }
    const all = this.#carry + s;
    const from = this.#done;
    this.#carry = '';
    this.#done = 0;
    const out: string[] = [];
    let read = from;
    KEY_VALUE.lastIndex = from;
    for (let m = KEY_VALUE.exec(all); m; m = KEY_VALUE.exec(all)) {
      if (!isLabelKey(m[3]!)) continue;
      const r = m[1] === '=' ? this.#element(all, m.index, m[0].length, m[3]!, final) : this.#object(all, m.index, m[3]!, final);
      if (r === null) {
        // Its tag, object or content goes on in the next chunk: read again with it.
        this.#keep(all, Math.max(0, Math.min(m.index - SPAN, all.length - CARRY)), m.index);
        return out.join('');
      }
      read = m.index + m[0].length;
      for (const v of r) out.push(labelLine(v));
    }
    if (!final) this.#keep(all, Math.max(0, all.length - CARRY), read);
    return out.join('');
  }

  /** Keeps all[from…] for the next chunk; a key before `read` was given already. */
  #keep(all: string, from: number, read: number): void {
    this.#carry = all.slice(from);
    this.#done = Math.max(0, read - from);
  }

  /** The key is an attribute's value at `at`: its element's other attributes and its content; null when cut. */
  #element(all: string, at: number, len: number, key: string, final: boolean): string[] | null {
    const lt = all.lastIndexOf('<', at);
    const gtBefore = all.lastIndexOf('>', at);
    if (lt < 0 || gtBefore > lt || at - lt > SPAN) return [];
    const gt = all.indexOf('>', at + len);
    if (gt < 0) return final || all.length - lt > CARRY ? [] : null;
    const tag = /^<([A-Za-z_][\w:.-]*)\s([^]*?)\/?>$/.exec(all.slice(lt, gt + 1));
    if (!tag) return [];
    const name = tag[1]!;
    const values = [...attrs(tag[2]!).values()].filter((v) => v.trim() && v !== key);
    if (all[gt - 1] === '/' || VOID.has(name.toLowerCase())) return values;
    const close = all.indexOf(`</${name}`, gt);
    if (close < 0) return final || all.length - gt > SPAN ? values : null;
    if (close - gt > SPAN) return values;
    let content = all.slice(gt + 1, close).replace(TAGS, '/').replace(/\s+/g, ' ');
    if (content.indexOf('&') >= 0) content = decodeHTML(content);
    if (content.replace(/[\s/]+/g, '')) values.push(content);
    return values;
  }

  /** The key is a JSON string member's value at `at`: the object's other string values; null when cut. */
  #object(all: string, at: number, key: string, final: boolean): string[] | null {
    const open = all.lastIndexOf('{', at);
    if (open < 0 || at - open > SPAN) return [];
    const close = all.indexOf('}', at);
    if (close < 0) return final || all.length - at > SPAN ? [] : null;
    if (close - at > SPAN) return [];
    const values: string[] = [];
    const body = all.slice(open, close + 1);
    JSON_STRING.lastIndex = 0;
    for (let m = JSON_STRING.exec(body); m; m = JSON_STRING.exec(body)) if (m[1] !== key && m[1]!.trim()) values.push(m[1]!);
    return values;
  }
}
