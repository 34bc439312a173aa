// Another process reading a live gateway's audit.db (a security team's
// `sqlite3 audit.db`, a backup script, a DB browser) must not take the
// gateway's log from under it. The gateway used to open and close the file
// with a descriptor of its own to check its header (its own readers: the
// console, queries); closing it dropped every POSIX lock the process held on
// the file, so the reader took itself for the last connection, checkpointed
// and deleted the WAL the gateway went on appending to: after a kill -9 the
// transfers answered since had no records, and the log verified (red team, 30
// Nov). Real gateway process, real TLS, a second process reading read-write.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { request } from 'undici';
import { makePki } from './helpers/pki.js';
import { requires } from './helpers/requires.js';
import { textBody } from './helpers/text-body.js';
import { clientFor, heldDeliverySetup, putFile, startGatewayProcess, until } from './helpers/gateway-fixture.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

/** The gateway's open descriptors on files named like `name`, as the kernel sees them. */
function descriptorsOn(pid: number, name: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.includes(name)) out.push(target);
    } catch { /* closed meanwhile */ }
  }
  return out;
}

t.test('a read-write reader of the live audit.db in another process leaves the gateway its WAL: after kill -9 every 202 has its records', { skip: requires('sqlite3') }, async (t) => {
  const pki = await makePki();
  // With administrators, as `ferry init` makes a gateway: the console and its workers read the log from the start.
  const { dest, config, dir } = await heldDeliverySetup(t, pki, 'ferry-audit-wal-');
  await writeFile(config, (await readFile(config, 'utf8')).replace(/^admin: \{ listen: "127\.0\.0\.1:0" \}$/m, 'admin: { listen: "127.0.0.1:0", administrators: { al: auditor, sam: sysadmin } }'));
  t.match(await readFile(config, 'utf8'), /administrators: \{ al: auditor/, 'administrators configured');
  let child = await startGatewayProcess(config);
  t.teardown(() => child.kill9());
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const base = () => `https://127.0.0.1:${child.ports.police}`;
  const ids: string[] = [];
  const send = async (i: number) => {
    const body = textBody(300 + i);
    const r = await putFile(sender, base(), body, { 'ferry-to': 'extranet/archive', 'content-length': String(body.length), 'ferry-label': 'public' });
    t.equal(r.status, 202, `upload ${i} answered 202`);
    ids.push(r.json.id as string);
  };
  await send(0);
  // The gateway's own readers (the console opens the log at start; a transfer's view reads its records).
  const v = await request(`${base()}/v1/transfers/${ids[0]}`, { dispatcher: sender });
  await v.body.dump();

  // Another process opens the live log read-write, reads, and closes: the last connection, as it sees it.
  const auditPath = join(dir, 'data', 'audit.db');
  // The sqlite3 command, as a security team would: better-sqlite3 closing in another process did not take the WAL.
  execFileSync('sqlite3', [auditPath, 'SELECT count(*) FROM records'], { encoding: 'utf8' });
  const deleted = descriptorsOn(child.proc.pid!, 'audit.db').filter((f) => f.endsWith('(deleted)'));
  t.same(deleted, [], 'the gateway writes no deleted file');

  for (let i = 1; i <= 3; i++) await send(i);
  await child.kill9();
  child = await startGatewayProcess(config);
  const db = new Database(auditPath, { readonly: true });
  t.teardown(() => db.close());
  for (const id of ids) {
    const events = (db.prepare('SELECT event FROM records WHERE transfer_id = ? ORDER BY seq').all(id) as Array<{ event: string }>).map((r) => r.event);
    t.ok(events.includes('accepted'), `${id}: its accepted record survived (${events.join(' ')})`);
  }
  const out = execFileSync(process.execPath, [FERRY, 'log', 'verify', '--db', auditPath], { encoding: 'utf8' });
  t.match(out, /ok|verified/i, 'the audit log verifies');
  dest.failWith = null;
  await until(() => ids.every((id) => dest.received.some((r) => r.headers['ferry-transfer-id'] === id)), 'each delivered after the restart');
});
