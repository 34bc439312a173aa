// The baseline of bench:connections: a plain Node https server with the same
// certificates, mutual TLS asked for, and no limit of its own. Prints {"port"}.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [cert, key, ca] = process.argv.slice(2);
const server = createServer({ cert: readFileSync(cert!), key: readFileSync(key!), ca: readFileSync(ca!), requestCert: true, rejectUnauthorized: false, headersTimeout: 120_000, requestTimeout: 0 }, (_req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
process.on('SIGTERM', () => process.exit(0));
