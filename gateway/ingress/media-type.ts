import { FerryError } from '../../protocol/errors.js';

// The declared content type is stored and handed to the receiver beside the content (pull and
// push `content-type`, a subscription frame's `content_type`): a sender-chosen string that
// crosses. So it is held to what a content type is and no more (issue N2, fourth red team of
// 30 Nov: 15 KiB of `x=…` parameters crossed uninspected): `type/subtype` of RFC 6838's
// restricted names, with only the parameters a receiver reads to display the content, each
// with a value of its own known form. Anything else is refused before the body is read, with
// FERRY_UNSUPPORTED_MEDIA_TYPE. What is kept is written back in one canonical form and is
// inspected as text like the file name (content-inspector.ts), so a marking or an id number
// spelt into a subtype or a boundary is found.

/** RFC 6838 §4.2 restricted-name: a letter or digit, then up to 126 of these. */
const NAME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/** The whole header: the longest registered types with a charset fit well within it. */
export const MAX_CONTENT_TYPE = 255;
/** RFC 2046 §5.1.1 bchars, 1 to 70, not ending in a space. */
const BOUNDARY = /^[0-9a-z'()+_,\-./:=? ]{0,69}[0-9a-z'()+_,\-./:=?]$/i;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/i;

/** The parameters kept, by name: which types they belong to, and the values they take. */
const PARAMETERS: Record<string, { applies: (type: string) => boolean; value: (v: string) => string | null }> = {
  // A label the WHATWG Encoding Standard knows (what a receiver's decoder reads), lower-cased. Not
  // rewritten to the standard's name: iso-8859-1 is windows-1252 to a browser, not to every receiver.
  charset: { applies: () => true, value: (v) => knownCharset(v) },
  // RFC 4180 / RFC 7111: whether the first line of a CSV names its columns.
  header: { applies: (t) => t === 'text/csv', value: (v) => (/^(present|absent)$/i.test(v) ? v.toLowerCase() : null) },
  // RFC 3676: flowed text (what mail clients send).
  format: { applies: (t) => t === 'text/plain', value: (v) => (/^(flowed|fixed)$/i.test(v) ? v.toLowerCase() : null) },
  delsp: { applies: (t) => t === 'text/plain', value: (v) => (/^(yes|no)$/i.test(v) ? v.toLowerCase() : null) },
  // RFC 2046: a multipart body cannot be read without its boundary (case kept: it is matched as written).
  boundary: { applies: (t) => t.startsWith('multipart/'), value: (v) => (BOUNDARY.test(v) ? v : null) },
};

function knownCharset(v: string): string | null {
  if (!TOKEN.test(v) || v.length > 40) return null;
  try {
    new TextDecoder(v);
    return v.toLowerCase();
  } catch {
    return null;
  }
}

const refuse = (why: string): FerryError => new FerryError('FERRY_UNSUPPORTED_MEDIA_TYPE', `The content type ${why}.`);

/**
 * The content type as kept and handed on: `type/subtype` lower-cased, then the parameters kept,
 * in the order sent, as `; name=value` (quoted only when the value needs it). Throws
 * FERRY_UNSUPPORTED_MEDIA_TYPE for anything else.
 */
export function parseMediaType(raw: string): string {
  const s = raw.trim();
  if (s.length > MAX_CONTENT_TYPE) throw refuse(`is ${s.length} characters long; at most ${MAX_CONTENT_TYPE} are taken`);
  // Visible ASCII, space and tab: header bytes past ASCII (UTF-8 read as Latin-1) are no media type.
  if (!/^[\x20-\x7e\t]*$/.test(s)) throw refuse('holds a character outside visible ASCII');
  const parts = splitParameters(s);
  const [type, subtype, more] = parts[0]!.toLowerCase().split('/');
  if (type === undefined || subtype === undefined || more !== undefined || !NAME.test(type) || !NAME.test(subtype)) {
    throw refuse('is not of the form type/subtype (RFC 6838 names: letters, digits and ! # $ & ^ _ . + -)');
  }
  const essence = `${type}/${subtype}`;
  let out = essence;
  const seen = new Set<string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (eq < 0 || !TOKEN.test(name)) throw refuse('has a parameter that is not name=value');
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"')) throw refuse('has a quoted parameter value that is not closed');
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    const rule = PARAMETERS[name];
    // Not named in the refusal: the name is the sender's word too (masked if echoed, but no need).
    if (!rule || !rule.applies(essence)) throw refuse(`has a parameter the gateway does not carry; it carries charset, and header (text/csv), format and delsp (text/plain), boundary (multipart/*)`);
    if (seen.has(name)) throw refuse(`names the parameter ${name} more than once`);
    seen.add(name);
    const kept = rule.value(value);
    if (kept === null) throw refuse(`has a ${name} the gateway does not know`);
    out += `; ${name}=${TOKEN.test(kept) ? kept : `"${kept}"`}`;
  }
  return out;
}

/** The type and its parameters, split on the semicolons outside quoted strings. */
function splitParameters(s: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted && c === '\\' && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (quoted) throw refuse('has a quoted parameter value that is not closed');
  parts.push(cur.trim());
  // A trailing `;` (some clients write `text/plain;`) is no parameter.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
