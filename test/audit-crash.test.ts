// kill -9 during heavy appends: a child process appends with many writers in
// flight and prints each acknowledged seq and hash; after SIGKILL the log must
// verify, hold every acknowledged record unchanged, and take appends again.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { encodeVkey, parseVkey } from '../gateway/audit/signed-note.js';
import { verifyLogFile } from '../gateway/audit/verify.js';

const ORIGIN = 'ferry.gateway/gw-crash';
const AUDIT_LOG = new URL('../gateway/audit/audit-log.js', import.meta.url).href;

// The child: 64 appenders in flight at all times, checkpoints every 500 records.
const CHILD = `
import { createPrivateKey } from 'node:crypto';
import { openAuditLog } from ${JSON.stringify(AUDIT_LOG)};
const privateKey = createPrivateKey(process.env.KEY);
const log = openAuditLog(process.env.DB, { origin: ${JSON.stringify(ORIGIN)}, signer: { keyName: ${JSON.stringify(ORIGIN)}, privateKey }, checkpointEvery: 500, logger: { warn() {}, error() {} } });
let i = 0;
function one() {
  const k = i++;
  log.append({ event: 'received', transferId: 't' + k, source: 'police/a', destination: 'extranet/b', size: k, details: { k, pad: 'x'.repeat(k % 200) } })
    .then((r) => { process.stdout.write(r.seq + ' ' + r.hash + '\\n'); one(); });
}
for (let w = 0; w < 64; w++) one();
`;

async function crashRun(path: string, key: string, acksBeforeKill: number): Promise<{ acked: Map<number, string>; signal: string | null }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { env: { ...process.env, DB: path, KEY: key }, stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<number, string>();
  let buf = '';
  let killed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const [seq, hash] = l.split(' ');
      acked.set(Number(seq), hash!);
    }
    if (!killed && acked.size >= acksBeforeKill) {
      killed = true;
      child.kill('SIGKILL');
    }
  });
  const closed = new Promise((r) => child.stdout.once('close', r));
  const signal = await new Promise<string | null>((r) => child.on('exit', (_c, s) => r(s)));
  // lines already in the pipe when the child died
  await closed;
  for (const l of buf.split('\n').filter(Boolean)) {
    const [seq, hash] = l.split(' ');
    acked.set(Number(seq), hash!);
  }
  return { acked, signal };
}

t.test('every acknowledged append survives kill -9 and the log verifies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-audit-crash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'audit.db');
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const verifiers = [parseVkey(encodeVkey(ORIGIN, privateKey))];

  for (const [round, acks] of [[1, 4000], [2, 2500]] as const) {
    let before = 0;
    if (round > 1) {
      const db = new Database(path, { readonly: true });
      before = db.prepare('SELECT max(seq) FROM records').pluck().get() as number;
      db.close();
    }
    const { acked, signal } = await crashRun(path, pem, acks);
    t.equal(signal, 'SIGKILL', `round ${round}: the child was killed`);
    t.ok(acked.size >= acks, `round ${round}: ${acked.size} appends acknowledged before the kill`);

    const report = await verifyLogFile(path, { verifiers });
    t.ok(report.ok, `round ${round}: the log verifies after kill -9 (${JSON.stringify(report.failure)})`);
    const db = new Database(path, { readonly: true });
    const get = db.prepare('SELECT hash FROM records WHERE seq = ?').pluck();
    let lost = 0;
    for (const [seq, hash] of acked) if (get.get(seq) !== hash) lost++;
    t.equal(lost, 0, `round ${round}: every acknowledged record is present with its hash`);
    t.ok(report.records >= before + acked.size, `round ${round}: ${report.records} records on disk`);
    db.close();
  }

  // The writer reopens the crashed log and carries on.
  const log = openAuditLog(path, { origin: ORIGIN, signer: { keyName: ORIGIN, privateKey }, logger: { warn() {}, error() {} } });
  const next = await log.append({ event: 'started' });
  await log.close();
  const final = await verifyLogFile(path, { verifiers });
  t.ok(final.ok, `the reopened log verifies (${JSON.stringify(final.failure)})`);
  t.equal(final.records, next.seq, 'the append after reopening is the last record');
});
