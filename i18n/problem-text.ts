// A problem in a configuration, policy, test-suite or topology file, in the
// reader's language. English is the message as the checks wrote it, byte for
// byte; another language says the problem's key and parameters from its
// catalogue. file:line:col and the severity word stay as they are.
import type { ProblemParams, SourceProblem } from '../protocol/yaml-schema.js';
import { messages, translator } from './catalogue.js';
import type { Locale } from './locale.js';

/** A problem's sentence from its key, in `locale`; `bare` leaves out the value's name (one alternative of several). */
export function problemSentence(key: string, params: ProblemParams, locale: Locale, bare = false): string {
  const t = translator(locale, 'problems');
  const text = messages(locale).problems;
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!Array.isArray(v)) values[k] = v;
    // A list of names (quoted by the check), or the problems within this one.
    else values[k] = v.map((p) => (typeof p === 'string' ? p : problemSentence(p.key, p.params, locale, !p.named))).join(v.every((p) => typeof p === 'string') ? text.listOr : text.or);
  }
  const path = typeof params.path === 'string' ? params.path : undefined;
  values.where = bare ? '' : path ? `'${path}'` : text.document;
  // A schema's own description of a value, as the catalogue words it.
  if (typeof params.expected === 'string') values.expected = text.descriptions[params.expected] ?? params.expected;
  // Several forms a value may take: its name once, then each alternative.
  const s = key === 'schema.alternatives' ? `${values.where} ${values.parts}` : t(key, values);
  return bare ? s.trimStart() : s;
}

/** What the problem says, in `locale`. */
export function problemMessage(p: SourceProblem, locale: Locale): string {
  if (locale === 'en' || !p.key) return p.message;
  return problemSentence(p.key, p.params ?? {}, locale);
}

export interface Said { message: string; key: string; params: ProblemParams }

/** A problem's English sentence and what other languages need to say it: for the checks made after the schema. */
export function said(key: string, params: ProblemParams = {}): Said {
  return { message: problemSentence(key, params, 'en'), key, params };
}

/** `file:line:col: severity: sentence`, the sentence in `locale`. */
export function formatProblemIn(p: SourceProblem, locale: Locale): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${problemMessage(p, locale)}`;
}
