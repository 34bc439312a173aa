import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseVkey } from '../audit/signed-note.js';
import { verifyLogFile } from '../audit/verify.js';
import { Connection } from '../../client/connection.js';
import { receiveAll } from '../../client/receive.js';
import { GatewayRefusal } from '../../client/refusal.js';
import { sendFile } from '../../client/send.js';
import { loadGatewayConfig } from '../config/gateway-config.js';
import { startGateway } from '../gateway.js';
import { createLogger } from '../log/logger.js';
import { createDevSetup, writeDevConfig } from '../setup/dev-setup.js';
import { sampleFiles } from './sample-files.js';

// `ferry demo` (npm start): a dev PKI and a gateway between the police network
// and the extranet, made in a temporary directory; a push receiver for
// extranet/archive; sample files sent as police/records, some delivered, some
// refused with the rule and the finding; a pull as extranet/portal; and the
// audit log verified against the gateway's key. Everything real: TLS, SQLite,
// the spool, the policy; nothing mocked.

export async function runDemo(o: { keep: boolean; out: NodeJS.WritableStream }): Promise<number> {
  const say = (s = '') => o.out.write(`${s}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-demo-'));
  try {
    say(`Ferry demo in ${dir}`);
    say('1. A dev PKI: a CA, gateway gw1, sender police/records, receivers extranet/archive (push) and extranet/portal (pull).');
    const setup = await createDevSetup(dir);

    // extranet/archive's own HTTPS endpoint: proves who it is with its certificate, accepts pushes.
    const pushed: Array<{ id: string; name: string; sha256: string }> = [];
    const receiver = createServer({ cert: await readFile(setup.pushReceiver.cert), key: await readFile(setup.pushReceiver.key), ca: await readFile(setup.ca), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const h = createHash('sha256');
      req.on('data', (c: Buffer) => h.update(c));
      req.on('end', () => {
        pushed.push({ id: String(req.headers['ferry-transfer-id']), name: decodeURIComponent(String(req.headers['ferry-filename'] ?? '')), sha256: h.digest('hex') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    setup.ports.receiver = (receiver.address() as { port: number }).port;
    await writeDevConfig(setup);

    say('2. Gateway gw1 between networks police and extranet, with the example policy (policies/examples/default.yaml).');
    const config = await loadGatewayConfig(setup.config);
    const logFile = join(dir, 'gateway.log');
    const logStream = createWriteStream(logFile);
    const gw = await startGateway(config, { log: createLogger({ destination: logStream }) });
    say(`   listening: police https://127.0.0.1:${gw.ports.police}, extranet https://127.0.0.1:${gw.ports.extranet}, admin http://127.0.0.1:${gw.adminPort}`);
    let exit = 0;
    try {
      const ca = await readFile(setup.ca, 'utf8');
      const sender = new Connection({ gateway: new URL(`https://127.0.0.1:${gw.ports.police}`), certPem: await readFile(setup.sender.cert, 'utf8'), keyPem: await readFile(setup.sender.key, 'utf8'), caPem: ca });
      const puller = new Connection({ gateway: new URL(`https://127.0.0.1:${gw.ports.extranet}`), certPem: await readFile(setup.pullReceiver.cert, 'utf8'), keyPem: await readFile(setup.pullReceiver.key, 'utf8'), caPem: ca });
      const receiptKey = await readFile(join(config.dataDir, 'keys', 'signing.pub'), 'utf8');

      say('3. police/records sends six files:');
      const rows: string[][] = [['file', 'to', 'label', 'answer', 'rule / finding']];
      await mkdir(join(dir, 'outbox'));
      const accepted: string[] = [];
      for (const s of sampleFiles()) {
        const path = join(dir, 'outbox', s.name);
        await writeFile(path, s.body);
        try {
          const r = await sendFile({ connection: sender, file: path, to: s.to, label: s.label, contentType: s.contentType, receiptKeyPem: receiptKey });
          accepted.push(r.id);
          rows.push([s.name, s.to, s.label, `202 accepted${r.signatureVerified ? ', receipt verified' : ''}`, `transfer ${r.id.slice(0, 8)}…`]);
        } catch (err) {
          if (!(err instanceof GatewayRefusal)) throw err;
          const f = err.findings[0];
          const finding = f ? `${f.kind}${f.subkind ? `/${f.subkind}` : ''}${f.sample ? ` ${f.sample}` : ''}` : '';
          rows.push([s.name, s.to, s.label, `${err.status} ${err.code}`, [err.rule ?? '(default deny)', finding].filter(Boolean).join(' · ')]);
        }
      }
      say(table(rows).replace(/^/gm, '   '));

      say('4. Delivery: extranet/archive gets its file pushed; extranet/portal pulls its inbox.');
      const deadline = Date.now() + 15_000;
      while (pushed.length < accepted.length - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      for (const p of pushed) say(`   pushed to extranet/archive: ${p.name} sha256 ${p.sha256.slice(0, 16)}…`);
      const got = await receiveAll(puller, join(dir, 'inbox-portal'), { receiptKeyPem: receiptKey });
      for (const r of got.received) say(`   pulled by extranet/portal: ${r.senderFilename ?? basename(r.path)} → ${r.path.replace(dir, '<demo>')} (${r.size} bytes, hash checked)`);
      if (pushed.length + got.received.length !== accepted.length) {
        say(`   expected ${accepted.length} deliveries, saw ${pushed.length + got.received.length}`);
        exit = 1;
      }
      await sender.close();
      await puller.close();
    } finally {
      await gw.stop();
      logStream.end();
      await new Promise((r) => receiver.close(() => r(undefined)));
    }

    say('5. The audit log, verified with the gateway\'s public key (every record, chain link, Merkle root and signed checkpoint):');
    const vkey = (await readFile(join(config.dataDir, 'keys', 'audit.vkey'), 'utf8')).trim();
    const report = await verifyLogFile(join(config.dataDir, 'audit.db'), { verifiers: [parseVkey(vkey)], workers: 0 });
    if (report.ok) say(`   ok: ${report.records} records, ${report.checkpoints} checkpoints, ${report.signaturesChecked} signatures checked`);
    else {
      say(`   FAILED at record ${report.failure?.seq}: ${report.failure?.check} ${report.failure?.message ?? ''}`);
      exit = 1;
    }
    say();
    say('Try it yourself: `ferry init ./ferry-dev` writes this setup to keep, and prints the commands.');
    if (o.keep) say(`Kept: ${dir} (gateway.yaml, pki/, data/audit.db, gateway.log)`);
    return exit;
  } finally {
    if (!o.keep) await rm(dir, { recursive: true, force: true });
  }
}

function table(rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const cols = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(cols[i]! - width(c))).join('  ').trimEnd()).join('\n');
}
