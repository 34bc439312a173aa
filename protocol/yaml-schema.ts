import type { Ajv as AjvClass, ErrorObject, Options as AjvOptions, ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';

// Load YAML and validate it against a JSON Schema, reporting every problem with
// the file, line and column it comes from. Used for gateway configs, policies and
// topologies alike, so operators get the same kind of message everywhere.

export interface SourceProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  /**
   * What the message says, for a reader of another language: a catalogue key
   * (i18n/en/problems.ts) and its parameters. `message` stays the English text.
   */
  key?: string;
  params?: ProblemParams;
}

/** Parameters of a problem's sentence; `path` ('' for the whole document) names the value. */
export type ProblemParams = Record<string, string | number | string[] | ProblemPart[]>;
/**
 * A problem within a problem: one alternative of a value that may take several
 * forms (said without the value's name), or a whole problem quoted (`named`).
 */
export interface ProblemPart { key: string; params: ProblemParams; named?: boolean }

export function formatProblem(p: SourceProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}

export interface LoadedYaml<T> {
  value: T | undefined;
  problems: SourceProblem[];
  /** Position of a path in the document, for checks made after the schema. */
  at(path: ReadonlyArray<string | number>): { line: number; column: number };
  doc: Document;
}

// verbose: errors carry their schema, so a value's `description` can say what was expected.
export const AJV_OPTIONS: AjvOptions = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true };
const compiled = new WeakMap<object, ValidateFunction>();
const require = createRequire(import.meta.url);
let ajv: AjvClass | undefined;

/**
 * The name of a schema's precompiled validator: its content and the options,
 * so a schema edited since the last build never meets an old validator.
 */
export function validatorKey(schema: object): string {
  return createHash('sha256').update(JSON.stringify({ schema, options: AJV_OPTIONS })).digest('hex').slice(0, 32);
}

/**
 * `npm run build` compiles each schema to code (tools/build-validators.ts):
 * compiling the policy schema at run time took most of a second of every
 * start and every `ferry policy` command. A build without that step (tsc
 * alone) still works: the schema is compiled here, as before.
 */
function precompiled(schema: object): ValidateFunction | undefined {
  const key = validatorKey(schema);
  try {
    return require(`./validators/${key}.cjs`) as ValidateFunction;
  } catch (e) {
    // Only this validator missing falls back; a validator that fails to load is an error.
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(key)) return undefined;
    throw e;
  }
}

/** The schema compiled now, by ajv itself. */
export function compileValidator(schema: object): ValidateFunction {
  ajv ??= new (require('ajv') as { Ajv: typeof AjvClass }).Ajv(AJV_OPTIONS);
  return ajv.compile(schema);
}

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = precompiled(schema) ?? compileValidator(schema);
    compiled.set(schema, v);
  }
  return v;
}

function pathOf(instancePath: string): Array<string | number> {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

type Sentence = { path: Array<string | number>; message: string; key?: string; params?: ProblemParams };

// ajv's own words for the keywords a schema here uses, by key (i18n/en/problems.ts `schema.ajv`).
const AJV_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'anyOf', 'oneOf', 'const', 'uniqueItems', 'propertyNames', 'multipleOf']);

function sentence(e: ErrorObject): Sentence {
  const path = pathOf(e.instancePath);
  const where = path.length ? `'${path.join('.')}'` : 'the document';
  const p = { path: path.join('.') };
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      return { path: [...path, extra], message: `unknown field '${extra}' in ${where}`, key: 'schema.unknownField', params: { ...p, field: extra } };
    }
    case 'required': {
      const field = (e.params as { missingProperty: string }).missingProperty;
      return { path, message: `${where} is missing the required field '${field}'`, key: 'schema.missingField', params: { ...p, field } };
    }
    case 'enum': {
      const values = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
      return { path, message: `${where} must be one of ${values}`, key: 'schema.oneOf', params: { ...p, values } };
    }
    case 'type': {
      const type = (e.params as { type: string }).type;
      return { path, message: `${where} must be ${type}`, key: 'schema.type', params: { ...p, type } };
    }
    case 'pattern': {
      const pattern = (e.params as { pattern: string }).pattern;
      return { path, message: `${where} does not have the expected form (${pattern})`, key: 'schema.form', params: { ...p, pattern } };
    }
    default: {
      const message = `${where} ${e.message ?? 'is invalid'}`;
      if (!AJV_KEYWORDS.has(e.keyword)) return { path, message };
      const params = Object.fromEntries(Object.entries(e.params as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)]));
      return { path, message, key: `schema.ajv.${e.keyword}`, params: { ...params, ...p } };
    }
  }
}

/** A value as the operator wrote it, short. */
function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * One sentence per offending value. A value that may take several forms (a
 * size: 1048576 or "1MiB") fails every branch of its anyOf; the operator
 * reads the one thing expected, as the schema's `description` words it, not
 * each branch's regular expression.
 */
function sentences(errors: ErrorObject[]): Array<Sentence & { keyword: string }> {
  const out: Array<Sentence & { keyword: string }> = [];
  const byValue = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    // About a key of this value (unknown, missing): a sentence each.
    if (e.keyword === 'additionalProperties' || e.keyword === 'required') {
      out.push({ ...sentence(e), keyword: e.keyword });
      continue;
    }
    const same = byValue.get(e.instancePath);
    if (same) same.push(e);
    else byValue.set(e.instancePath, [e]);
  }
  for (const [instancePath, es] of byValue) {
    // Only where the schema words its value: elsewhere each error stays, for callers that
    // tidy the branches themselves (policies/load-policy.ts keeps the branch that fits).
    const described = es.find((e) => typeof (e.parentSchema as { description?: unknown } | undefined)?.description === 'string');
    if (described) {
      const path = pathOf(instancePath);
      const where = path.length ? `'${path.join('.')}'` : 'the document';
      const expected = String((described.parentSchema as { description: string }).description);
      const value = shown(es[0]!.data);
      out.push({ path, message: `${where} must be ${expected} (not ${value})`, key: 'schema.expected', params: { path: path.join('.'), expected, value }, keyword: 'value' });
    } else {
      for (const e of es) out.push({ ...sentence(e), keyword: e.keyword });
    }
  }
  return out;
}

export function loadYaml<T>(text: string, file: string, schema: object): LoadedYaml<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: SourceProblem[] = [];
  const posAt = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const at = (path: ReadonlyArray<string | number>) => {
    // Walk down as far as the path exists; point at the deepest node found.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return posAt(node.range[0]);
    }
    return { line: 1, column: 1 };
  };
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = posAt(e.pos[0]);
    problems.push({ file, ...pos, message: e.message.split('\n')[0] ?? e.message, severity: doc.errors.includes(e as never) ? 'error' : 'warning' });
  }
  if (doc.errors.length) return { value: undefined, problems, at, doc };
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const validate = validatorFor(schema);
  if (!validate(value)) {
    for (const { path, message, keyword, key, params } of sentences(validate.errors ?? [])) {
      // A field with an unknown key points at the key itself.
      let pos = at(path);
      if (keyword === 'additionalProperties') {
        const parent = doc.getIn(path.slice(0, -1), true) as unknown;
        const key = String(path[path.length - 1]);
        const pair = (parent as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | undefined)?.items?.find((p) => p.key?.value === key);
        if (pair?.key?.range) pos = posAt(pair.key.range[0]);
      }
      problems.push({ file, ...pos, message, severity: 'error', ...(key ? { key, params: params ?? {} } : {}) });
    }
    return { value: undefined, problems, at, doc };
  }
  return { value: value as T, problems, at, doc };
}
