// Messages an operator can act on: a configuration error names its key once, in
// words; a path that is not an audit log says so; a certificate and key that do
// not belong together are a local problem, said before anything is sent.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { resolveConnectionOptions } from '../client/connection.js';
import { ClientError } from '../client/refusal.js';
import { ConfigError, parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { AuditDbError, openAuditDb } from '../gateway/audit/sqlite/open-audit-db.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki } from './helpers/pki.js';

const work = await mkdtemp(join(tmpdir(), 'ferry-messages-'));
t.teardown(() => rm(work, { recursive: true, force: true }));

const BASE = `name: gw1
data_dir: ${join(work, 'data')}
tls: { ca: a.crt, cert: b.crt, key: c.key }
networks:
  police: { listen: "127.0.0.1:0" }
`;

function configProblems(extra: string): string[] {
  try {
    parseGatewayConfig(BASE + extra + '\n', join(work, 'gateway.yaml'));
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
}

t.test('a wrong value is one line that names its key and says what is expected', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['delivery: { retry_initial: soon }', 'delivery.retry_initial', /must be a duration: a number of milliseconds, or one such as 500ms, 30s/],
    ['limits: { min_free_disk: lots }', 'limits.min_free_disk', /must be a size: a number of bytes, or one such as 512KiB/],
    ['admin: { listen: "localhost" }', 'admin.listen', /must be an address and port such as "127\.0\.0\.1:8443"/],
    ['limits: { max_body: 10MB }', 'limits.max_body', /must be a size for each label, such as \{ public: /],
  ];
  for (const [yaml, key, expected] of cases) {
    const lines = configProblems(yaml);
    t.equal(lines.length, 1, `${key}: one line, not one per schema branch`);
    t.match(lines[0], `gateway.yaml:6:`, `${key}: with the line it is on`);
    t.match(lines[0], expected, `${key}: what is expected, in words`);
    t.equal(lines[0]!.split(`'${key}'`).length - 1, 1, `${key}: named once`);
    t.notMatch(lines[0], /anyOf|\^|\\d|must be integer|must match a schema/, `${key}: no schema internals`);
  }
  const value = configProblems('delivery: { retry_initial: soon }')[0]!;
  t.match(value, '(not "soon")', 'and what was written instead');
});

t.test('a path that is not an audit log says what it is and where the log is', async (t) => {
  const text = join(work, 'records.csv');
  await writeFile(text, 'seq,event\n1,started\n');
  const other = join(work, 'other.db');
  new Database(other).exec('CREATE TABLE notes (x TEXT)');
  const queue = join(work, 'queue.db');
  new Database(queue).exec('CREATE TABLE transfers (id TEXT)');
  const dir = join(work, 'data');
  await mkdir(dir, { recursive: true });
  const cases: Array<[string, RegExp]> = [
    [text, /records\.csv is not an audit database \(it is not an SQLite file at all\)/],
    [other, /other\.db is an SQLite database but not an audit log: it holds no audit records table/],
    [queue, /queue\.db is an SQLite database but not an audit log: it is the gateway's queue database/],
    [dir, /data is a directory, not an audit database/],
    [join(work, 'nope.db'), /nope\.db: there is no such file/],
  ];
  for (const [path, expected] of cases) {
    const err = (() => {
      try {
        openAuditDb(path).close();
      } catch (e) {
        return e;
      }
      return null;
    })();
    t.ok(err instanceof AuditDbError, `${path}: refused`);
    t.match((err as Error).message, expected);
    t.match((err as Error).message, "a gateway's audit log is audit.db in its data directory");
  }
  const cli = await runFerry(['log', 'query', '--db', text], { env: { LANG: 'C', LC_ALL: '', LC_MESSAGES: '' } });
  t.equal(cli.code, 2, 'ferry log query exits 2');
  t.match(cli.stderr, 'is not an audit database');
  t.notMatch(cli.stderr, 'file is not a database', "not SQLite's words");
});

t.test("a certificate and key that do not match are a local problem, found before connecting", async (t) => {
  const pki = await makePki();
  const a = pki.system('ferry://police/sys1');
  const b = pki.system('ferry://social/hr');
  const base = { FERRY_GATEWAY: 'https://127.0.0.1:1', FERRY_CA: pki.caCertPath };
  const failure = async (env: Record<string, string>): Promise<string> => {
    try {
      await resolveConnectionOptions({}, env);
    } catch (err) {
      t.ok(err instanceof ClientError, 'a ClientError (exit 2), not a refusal');
      return (err as Error).message;
    }
    return 'resolved';
  };
  t.match(await failure({ ...base, FERRY_CERT: a.certPath, FERRY_KEY: b.keyPath }),
    /the certificate .* and the key .* do not belong together \(a local problem: nothing was sent\)/);
  t.match(await failure({ ...base, FERRY_CERT: a.keyPath, FERRY_KEY: a.keyPath }), /is not a PEM certificate; pass the certificate issued to your system/);
  t.match(await failure({ ...base, FERRY_CERT: a.certPath, FERRY_KEY: a.certPath }), /is not a PEM private key/);
  const encrypted = join(work, 'encrypted.key');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(encrypted, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }));
  t.match(await failure({ ...base, FERRY_CERT: a.certPath, FERRY_KEY: encrypted }), /is encrypted: set FERRY_KEY_PASSPHRASE/);
  t.match(await failure({ ...base, FERRY_CERT: a.certPath, FERRY_KEY: encrypted, FERRY_KEY_PASSPHRASE: 'wrong' }), /does not decrypt the key/);
  t.equal(await failure({ ...base, FERRY_CERT: a.certPath, FERRY_KEY: a.keyPath }), 'resolved', 'a matching pair passes');
});
