// HTML from template literals: every interpolated value is escaped unless it
// is itself an Html (built by this tag or by raw()). Pages are plain functions
// returning Html; there is no other way to put text into a page.
import { escapeUTF8 } from 'entities';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  // & < > " ' all escaped: a value is safe in text and in a quoted attribute alike.
  return escapeUTF8(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup the caller vouches for (a constant, or html built elsewhere). */
export function raw(text: string): Html {
  return new Html(text);
}

export type { Part };
