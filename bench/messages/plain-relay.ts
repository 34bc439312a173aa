// The baseline for bench:messages: a plain `ws` relay over the same mutual TLS,
// with none of Ferry's work (no policy, inspection, encryption, audit, sequence
// or acknowledgement bookkeeping). Publishers connect to /pub, one subscriber
// to /sub. Each envelope is written to a SQLite table (WAL, synchronous=FULL,
// one transaction per message) before it is answered and forwarded, so both
// sides pay for durability.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WebSocketServer, type WebSocket } from 'ws';

const [certPath, keyPath, caPath, dir] = process.argv.slice(2) as [string, string, string, string];
const tls = { cert: readFileSync(certPath), key: readFileSync(keyPath), ca: readFileSync(caPath) };
const db = new Database(join(dir, 'relay.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO messages (body) VALUES (?) RETURNING id').pluck();

const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true });
const wss = new WebSocketServer({ server, perMessageDeflate: false });
let subscriber: WebSocket | null = null;
wss.on('connection', (ws, req) => {
  if (req.url === '/sub') {
    subscriber = ws;
    return;
  }
  ws.on('message', (data) => {
    const text = data.toString();
    const env = JSON.parse(text) as { ref?: string; body: string };
    const id = insert.get(text) as number;
    ws.send(JSON.stringify({ ref: env.ref, status: 202, id }));
    subscriber?.send(JSON.stringify({ type: 'message', seq: id, body: env.body }));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
