// The destination both relays deliver to: an mTLS HTTPS endpoint (extranet/archive)
// that hashes each body and discards it, and reports each arrival on stdout as
// a JSON line { id, bytes, sha256, at }.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [certPath, keyPath, caPath] = process.argv.slice(2) as [string, string, string];
const server = createServer({ cert: readFileSync(certPath), key: readFileSync(keyPath), ca: readFileSync(caPath), requestCert: true, rejectUnauthorized: true }, (req, res) => {
  const h = createHash('sha256');
  let bytes = 0;
  req.on('data', (c: Buffer) => {
    h.update(c);
    bytes += c.length;
  });
  req.on('end', () => {
    res.writeHead(200).end();
    process.stdout.write(`${JSON.stringify({ id: req.headers['ferry-transfer-id'], bytes, sha256: h.digest('hex'), at: Date.now() })}\n`);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
