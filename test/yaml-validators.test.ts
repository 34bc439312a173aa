// The validators `npm run build` compiles from the YAML schemas
// (tools/build-validators.ts) are what the gateway and the CLI load, and they
// must judge every document exactly as ajv compiling the schema at run time
// does: the same verdict and the same errors, which become the operator's
// file:line:col sentences.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';
import { compileValidator, loadYaml, validatorKey } from '../protocol/yaml-schema.js';
import { SCHEMAS } from '../tools/build-validators.js';

const require = createRequire(import.meta.url);
const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const yamlOf = (p: string) => parse(readFileSync(root(p), 'utf8')) as Record<string, unknown>;

const GATEWAY = {
  name: 'gw1',
  data_dir: './data',
  tls: { ca: './ca.crt', cert: './gw1.crt', key: './gw1.key' },
  networks: { police: { listen: '127.0.0.1:0' }, extranet: { listen: '127.0.0.1:0' } },
  policy: './policy.yaml',
  destinations: { 'extranet/archive': { delivery: 'pull' } },
  limits: { max_body: { public: '64GiB' }, idle_timeout: '30s' },
};

const SAMPLES: Record<string, Array<Record<string, unknown>>> = {
  'gateway config': [GATEWAY],
  policy: [yamlOf('policies/examples/default.yaml'), yamlOf('policies/examples/relay-gateway.yaml'), yamlOf('policies/examples/office-hours.yaml')],
  'policy test suite': [yamlOf('policies/examples/default.test.yaml'), yamlOf('policies/examples/office-hours.test.yaml')],
  topology: [yamlOf('simulator/topologies/province.yaml'), yamlOf('simulator/topologies/two-networks.yaml')],
};

const ODD_VALUES: unknown[] = [42, -1, 'x', '', [], {}, null, true, [1, 'a'], { unknown_field: 1 }];

/** The document, and many broken copies of it: a field removed, added, or given each odd value, one and two levels down. */
function variants(doc: Record<string, unknown>): unknown[] {
  const out: unknown[] = [doc, { ...doc, unknown_field: 1 }, [], 'text', null];
  for (const [k, v] of Object.entries(doc)) {
    const { [k]: _removed, ...without } = doc;
    out.push(without);
    for (const odd of ODD_VALUES) out.push({ ...doc, [k]: odd });
    const inner = Array.isArray(v) ? v[0] : v;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const [ik] of Object.entries(inner as Record<string, unknown>)) {
        for (const odd of ODD_VALUES.slice(0, 5)) {
          const changed = { ...(inner as Record<string, unknown>), [ik]: odd };
          out.push({ ...doc, [k]: Array.isArray(v) ? [changed, ...v.slice(1)] : changed });
        }
      }
    }
  }
  return out;
}

for (const [name, schema] of Object.entries(SCHEMAS)) {
  t.test(`${name}: the built validator judges as ajv does`, async (t) => {
    const file = root(`dist/protocol/validators/${validatorKey(schema)}.cjs`);
    t.ok(existsSync(file), `npm run build wrote ${file}`);
    const built = require(file) as ReturnType<typeof compileValidator>;
    const runtime = compileValidator(schema);
    const samples = SAMPLES[name]!;
    t.ok(samples.length > 0);
    let valid = 0;
    let checked = 0;
    for (const sample of samples) {
      t.ok(built(sample), `a sample as written is valid: ${JSON.stringify(built.errors ?? []).slice(0, 300)}`);
      for (const doc of variants(sample)) {
        const a = built(doc);
        const b = runtime(doc);
        checked++;
        if (a) valid++;
        if (a !== b || JSON.stringify(built.errors) !== JSON.stringify(runtime.errors)) {
          t.fail(`they disagree on ${JSON.stringify(doc).slice(0, 200)}`, { built: built.errors, runtime: runtime.errors });
          return;
        }
      }
    }
    t.ok(checked - valid > checked / 2, `most variants are refused (${checked - valid} of ${checked}), so errors were compared`);
  });
}

t.test('loadYaml uses the built validator, and a schema changed since the build is compiled afresh', async (t) => {
  const topology = SCHEMAS.topology!;
  const file = root(`dist/protocol/validators/${validatorKey(topology)}.cjs`);
  delete require.cache[file];
  const loaded = loadYaml(readFileSync(root('simulator/topologies/two-networks.yaml'), 'utf8'), 'two-networks.yaml', topology);
  t.same(loaded.problems, []);
  t.ok(require.cache[file], 'the topology was validated by the module npm run build wrote');

  const changed = { ...(SCHEMAS['policy test suite'] as Record<string, unknown>), description: 'not the built one' };
  t.notOk(existsSync(root(`dist/protocol/validators/${validatorKey(changed)}.cjs`)), 'no validator is named after the changed schema');
  const r = loadYaml('policy: p.yaml\ncases: 3\n', 'suite.yaml', changed);
  t.equal(r.problems.length, 1);
  t.match(r.problems[0]!.message, /'cases' must be array/);
  t.match(r.problems[0], { line: 2, column: 8 });
});
