import net from 'node:net';

// Is clamd up? clamd(8): "zPING\0" is answered "PONG\0". Used by the health
// check; a scan never relies on it (an unreachable clamd during a scan is an
// av-unavailable finding all the same).

export function pingClamd(target: { host?: string; port?: number; socket?: string }, timeoutMs = 2000): Promise<{ up: true } | { up: false; reason: string }> {
  return new Promise((resolve) => {
    const sock = target.socket ? net.connect({ path: target.socket }) : net.connect({ host: target.host ?? '127.0.0.1', port: target.port ?? 3310 });
    let reply = '';
    let done = false;
    const finish = (r: { up: true } | { up: false; reason: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ up: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    sock.on('error', (e: NodeJS.ErrnoException) => finish({ up: false, reason: e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? 'nothing listens there' : e.code ?? e.message }));
    sock.on('data', (d: Buffer) => {
      reply += d.toString('latin1');
      if (reply.length > 64) finish({ up: false, reason: 'an unexpected answer' });
      else if (reply.includes('\0')) finish(reply.startsWith('PONG') ? { up: true } : { up: false, reason: 'an unexpected answer' });
    });
    sock.on('close', () => finish({ up: false, reason: 'it closed the connection' }));
    sock.write('zPING\0');
  });
}
