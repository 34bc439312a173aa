// The baseline: what a plain Node HTTPS relay does for the same job with none
// of Ferry's work (no policy, inspection, encryption, audit, queue database).
// It stores and forwards like the gateway: each PUT is hashed and written to a
// file that is fsynced before the 202, then sent on to the sink over mTLS.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';

const [certPath, keyPath, caPath, dir, sinkUrl] = process.argv.slice(2) as [string, string, string, string, string];
const tls = { cert: readFileSync(certPath), key: readFileSync(keyPath), ca: readFileSync(caPath) };
const agent = new Agent({ connect: { ...tls, rejectUnauthorized: true, checkServerIdentity: () => undefined } });

const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true, requestTimeout: 0 }, async (req, res) => {
  const id = randomUUID();
  const path = join(dir, id);
  const hash = createHash('sha256');
  let size = 0;
  const file = createWriteStream(path);
  req.on('data', (c: Buffer) => {
    hash.update(c);
    size += c.length;
  });
  await pipeline(req, file);
  const fh = await open(path, 'r+');
  await fh.sync();
  await fh.close();
  const sha256 = hash.digest('hex');
  res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id, sha256, size }));
  const out = await request(sinkUrl, { method: 'PUT', dispatcher: agent, body: createReadStream(path), headers: { 'content-length': String(size), 'ferry-transfer-id': id } });
  await out.body.dump();
  await rm(path, { force: true });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
