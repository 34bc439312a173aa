// A tokenizer for Node's X509Certificate.subjectAltName string, e.g.
//   DNS:localhost, IP Address:127.0.0.1, URI:ferry://police/sys1
// Since the fix for CVE-2021-44532 (Node 12.22.9/14.18.3/16.13.2/17.3.1) Node
// quotes a value that holds ',', '"', '\\', '\'' or control characters as a
// JSON-style string — URI:"ferry://a/b, URI:ferry://x/y" is ONE name. Splitting
// the raw string on ", " would read it as two; this tokenizer does not, and it
// returns null on anything it does not understand (fail closed).

export interface AltName {
  type: string;
  value: string;
}

const TYPE_RE = /[A-Za-z][A-Za-z ]*/y;

function readQuoted(s: string, start: number): { value: string; end: number } | null {
  // s[start] === '"'
  let out = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) return null;
      if (n === 'u') {
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      if (n === 'x') {
        const hex = s.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        continue;
      }
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      const v = simple[n];
      if (v === undefined) return null;
      out += v;
      i += 2;
      continue;
    }
    out += c;
    i += 1;
  }
  return null; // unterminated
}

/** The names of a subjectAltName string, in order; null when it cannot be read unambiguously. */
export function parseSubjectAltName(s: string | undefined): AltName[] | null {
  if (s === undefined || s === '') return [];
  const names: AltName[] = [];
  let i = 0;
  for (;;) {
    TYPE_RE.lastIndex = i;
    const m = TYPE_RE.exec(s);
    if (!m || s[i + m[0].length] !== ':') return null;
    const type = m[0];
    i += m[0].length + 1;
    let value: string;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      if (!q) return null;
      value = q.value;
      i = q.end;
    } else {
      // Unquoted values never contain ',' (Node would have quoted them).
      const comma = s.indexOf(',', i);
      const end = comma === -1 ? s.length : comma;
      value = s.slice(i, end);
      i = end;
    }
    names.push({ type, value });
    if (i === s.length) return names;
    if (s.startsWith(', ', i)) {
      i += 2;
      continue;
    }
    return null;
  }
}
