// A Python source of long string literals of \uXXXX ranges (ninth red team, F2: pygments' unistring.py, refused
// inspection-limit:decode-depth). Made here as pygments makes it: for each Unicode category, the ranges of its
// code points, escaped. Its escapes decode to every script's digits (`0-9٠-٩۰-۹…`), which read as numbers
// decode to `ZZZ…` and on; the same decodings found down a second route are not read again (text-handler.ts).
// Escapes nested past the depth limit are still refused.
import t from 'tap';
import { PYTHONS, requires } from './helpers/requires.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inspectBytes, kinds } from './inspect-fixtures.js';

/** pygments' own unistring.py where python3 has pygments (the red team's file); null otherwise. */
function pygmentsUnistring(): Buffer | null {
  for (const py of PYTHONS) {
    try {
      return readFileSync(execFileSync(py, ['-c', 'import pygments.unistring as u; print(u.__file__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    } catch {
      // not this python
    }
  }
  return null;
}

const CATS = ['Cc', 'Cf', 'Cn', 'Co', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'Mc', 'Me', 'Mn', 'Nd', 'Nl', 'No', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'Sc', 'Sk', 'Sm', 'So', 'Zl', 'Zp', 'Zs'];
const esc = (c: number): string => (c >= 0x20 && c < 0x7f && !'\\\'-'.includes(String.fromCharCode(c)) ? String.fromCharCode(c) : c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : c < 0x10000 ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`);

function unistring(): string {
  const lines = ['"""', '    Strings of all Unicode characters of a certain category.', '"""', ''];
  for (const cat of CATS) {
    const re = new RegExp(`\\p{${cat}}`, 'u');
    const parts: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c < 0xe000) continue;
      if (!re.test(String.fromCodePoint(c))) continue;
      let e = c;
      while (e + 1 <= 0x10ffff && !(e + 1 >= 0xd800 && e + 1 < 0xe000) && re.test(String.fromCodePoint(e + 1))) e++;
      parts.push(e === c ? esc(c) : e === c + 1 ? esc(c) + esc(e) : `${esc(c)}-${esc(e)}`);
      c = e;
    }
    lines.push(`${cat} = '${parts.join('')}'`, '');
    // Surrogates are no code points of their own: pygments writes their ranges by hand.
    if (cat === 'Co') lines.push("Cs = '\\ud800-\\udbff\\\\\\udc00\\udc01-\\udfff'", '');
  }
  lines.push("cats = ['Cc', 'Cf', 'Ll', 'Lu', 'Nd']", '', 'def combine(*args):', "    return ''.join(globals()[cat] for cat in args)", '');
  return lines.join('\n');
}

t.test('a Python source of escaped Unicode ranges is clean', async (t) => {
  const src = unistring();
  const r = await inspectBytes(src, {}, { filename: 'unistring.py' });
  t.same(kinds(r.findings), [], `unistring.py (${src.length} bytes)`);
  const marked = await inspectBytes(`${src}\n# 绝密★长期\n`, {}, { filename: 'unistring.py' });
  t.same(kinds(marked.findings), ['classified-marking:绝密'], 'a marking in it is found');
  const escaped = await inspectBytes(`${src}\nNOTE = '${[...'机密★1年'].map((ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('')}'\n`, {}, { filename: 'unistring.py' });
  t.same(kinds(escaped.findings), ['classified-marking:机密'], 'a marking written as \\u escapes in it is found');
});

t.test("pygments' own unistring.py is clean", { skip: requires('pygments') }, async (t) => {
  const real = pygmentsUnistring();
  if (!real) return t.fail('pygments.unistring not found');
  t.same(kinds((await inspectBytes(real, {}, { filename: 'unistring.py' })).findings), [], "pygments' unistring.py");
});

t.test('escapes nested past the depth limit are still refused, beside the ranges', async (t) => {
  const nest = (v: string, n: number): string => Array.from({ length: n }).reduce<string>((x) => encodeURIComponent(x), v);
  const r = await inspectBytes(`${unistring()}\nURL = '${nest('https://example.org/a?b=c d', 5)}'\n`, {}, { filename: 'unistring.py' });
  t.ok(kinds(r.findings).includes('inspection-limit:decode-depth'), `a URL escaped five times: ${kinds(r.findings).join(', ')}`);
  const hidden = nest(Buffer.from('机密★10年').toString('base64'), 4);
  const a = await inspectBytes(`${unistring()}\nQ = '${hidden}'\n`, {}, { filename: 'unistring.py' });
  t.ok(kinds(a.findings).some((k) => k === 'inspection-limit:decode-depth' || k.startsWith('classified-marking')), `a marking in base64 escaped four times: ${kinds(a.findings).join(', ')}`);
});
