// gateway.yaml's defaults are written once (gateway/config/defaults.ts): the
// README's configuration table and the template `ferry init` writes are held to
// them here, as docs/errors.md is to the error table (errors-doc.test.ts).
// Values are compared as the gateway reads them: 64GiB is 68719476736 bytes, 30s is 30000 ms.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { flatDefaults, GATEWAY_DEFAULTS } from '../gateway/config/defaults.js';
import { gatewayConfigSchema, parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from '../gateway/config/units.js';
import { gatewayYaml } from '../gateway/setup/dev-setup.js';

const defaults = flatDefaults();

interface SchemaNode { properties?: Record<string, SchemaNode>; additionalProperties?: SchemaNode | boolean; anyOf?: Array<{ pattern?: string }>; type?: string }

/** The schema of a dotted key; a `<placeholder>` segment stands for any name the schema allows there. */
function schemaAt(key: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = gatewayConfigSchema as unknown as SchemaNode;
  for (const seg of key.split('.')) {
    if (!node) return undefined;
    if (seg.startsWith('<')) node = typeof node.additionalProperties === 'object' ? node.additionalProperties : Object.values(node.properties ?? {})[0];
    else node = node.properties?.[seg];
  }
  return node;
}

/** A value as the gateway reads it: bytes for a size, milliseconds for a duration. */
function reading(key: string, v: string | number): string | number {
  const s = schemaAt(key);
  if (s?.anyOf?.some((a) => a.pattern === SIZE_PATTERN)) return parseSize(v);
  if (s?.anyOf?.some((a) => a.pattern === DURATION_PATTERN)) return parseDuration(v);
  if (s?.type === 'integer') return Number(v);
  return v;
}

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = README.slice(README.indexOf('\n## Gateway configuration\n'), README.indexOf('\n## ', README.indexOf('\n## Gateway configuration\n') + 1));
/** Each row of the table: its keys (`delivery.concurrency`, `retry_initial` → delivery.retry_initial) and its meaning cell. */
const rows = [...section.matchAll(/^\| (`.+?) \| (.+) \|$/gm)].map((m) => {
  let prefix = '';
  const keys = [...m[1]!.matchAll(/`([^`]+)`/g)].map((k) => {
    const name = k[1]!;
    if (name.includes('.')) {
      prefix = name.slice(0, name.indexOf('.') + 1);
      return name;
    }
    return prefix + name;
  });
  return { keys, meaning: m[2]! };
});
const matches = (readmeKey: string, key: string) => {
  const a = readmeKey.split('.');
  const b = key.split('.');
  return a.length === b.length && a.every((s, i) => s === b[i] || s.startsWith('<'));
};
// A number, with a size or duration unit if it has one; not part of an address (127.0.0.1:0) or a word.
const QUANTITY = /(?<![\w.:/-])(\d+(?:\.\d+)?)(?:\s?(KiB|MiB|GiB|TiB|KB|MB|GB|TB|ms|s|m|h|d))?(?!\w|\.\d)/g;

t.test('the README configuration table names only keys the schema has', async (t) => {
  t.ok(rows.length >= 30, `the table is found (${rows.length} rows)`);
  for (const { keys } of rows) for (const key of keys) t.ok(schemaAt(key), `${key}: a key of gateway.yaml`);
});

t.test('every default is in the README table, as the gateway reads it', async (t) => {
  const stated = new Set<string>();
  for (const { keys, meaning } of rows) {
    const own = [...defaults.keys()].filter((d) => keys.some((k) => matches(k, d)));
    // Numbers are stated in the order the keys are named: "4, 1s, 5m, 7d".
    const quantities = [...meaning.matchAll(QUANTITY)].map((m) => m[0]);
    let i = 0;
    for (const key of keys) {
      for (const d of own.filter((d) => matches(key, d))) {
        const value = defaults.get(d)!;
        stated.add(d);
        if (typeof value === 'boolean') {
          // A switch: the meaning starts with its default ("true: ...").
          t.ok(meaning.trimStart().startsWith(String(value)), `${d}: the README states ${value} first`);
          continue;
        }
        if (reading(d, value) === value && typeof value === 'string') {
          t.ok(meaning.includes(value), `${d}: the README states ${value}`);
          continue;
        }
        const said = quantities[i++];
        t.ok(said !== undefined, `${d}: the README states a value (${value})`);
        if (said !== undefined) t.equal(reading(d, said.replace(/\s/g, '')), reading(d, value), `${d}: the README says ${said}, the default is ${value}`);
      }
    }
  }
  t.same([...defaults.keys()].filter((d) => !stated.has(d)), [], 'no default missing from the README table');
});

t.test('the `ferry init` template states the defaults it shows as they are', async (t) => {
  // The commented-out inspect: block is held to the defaults too.
  const text = gatewayYaml('gw1', { police: 0, extranet: 0, admin: 0, receiver: 0, adminApi: 0 }, '').replace(/^# (?=inspect:|  )/gm, '');
  t.doesNotThrow(() => parseGatewayConfig(text, '/tmp/ferry-init/gateway.yaml'), 'the template, inspect: uncommented, is a valid gateway.yaml');
  const written = flatDefaults(parse(text) as object);
  // Addresses the template chooses for this setup, not defaults it states.
  const chosen = new Set(['admin.listen', 'admin.api_listen']);
  const compared: string[] = [];
  for (const [key, value] of written) {
    if (!defaults.has(key) || chosen.has(key)) continue;
    compared.push(key);
    t.equal(reading(key, value), reading(key, defaults.get(key)!), `${key}: the template says ${value}, the default is ${defaults.get(key)}`);
  }
  for (const key of ['limits.max_body.sensitive', 'limits.handshake_timeout', 'delivery.expire_after', 'audit.checkpoint_interval', 'inspect.clamd.timeout']) {
    t.ok(compared.includes(key), `the template states ${key}`);
  }
});

t.test('a gateway.yaml that writes every default out reads the same as one that leaves them out', async (t) => {
  const minimal = { name: 'gw1', data_dir: './data', tls: { ca: 'ca.crt', cert: 'gw1.crt', key: 'gw1.key' }, networks: { a: { listen: '127.0.0.1:1' }, b: { listen: '127.0.0.1:2' } }, inspect: { clamd: {} } };
  const bare = parseGatewayConfig(stringify(minimal), '/tmp/ferry/gateway.yaml');
  const full = parseGatewayConfig(stringify({ ...GATEWAY_DEFAULTS, ...minimal, inspect: GATEWAY_DEFAULTS.inspect, tls: { ...GATEWAY_DEFAULTS.tls, ...minimal.tls } }), '/tmp/ferry/gateway.yaml');
  t.same(full, bare);
  t.equal(bare.limits.maxBody.public, 64 * 1024 ** 3, 'a size read in bytes');
  t.equal(bare.delivery.keepSettledMs, 30 * 86_400_000, 'a duration read in ms');
});
