// Regression: a `stress` run wrote its report and then never exited, one core
// busy. A link proxy had reset (resetAndDestroy) a socket whose end() was
// under way: libuv refuses that (EINVAL), Node 20 leaves the handle "closing"
// forever, and the process spins at exit in CleanupHandles. resetSocket()
// destroys such a socket instead. The child must exit by itself.
import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RESET = fileURLToPath(new URL('../simulator/reset-socket.js', import.meta.url));

// With `c.resetAndDestroy()` in place of resetSocket(c) this child hangs (checked on Node 20.20).
const script = (how: 'resetSocket' | 'raw') => `
import net from 'node:net';
import { resetSocket } from ${JSON.stringify(RESET)};
const peers = [];
const srv = net.createServer((s) => { peers.push(s); s.resume(); s.on('error', () => {}); });
srv.listen(0, '127.0.0.1', () => {
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    c.on('error', () => {});
    c.end();
    // Right after end(): the shutdown is queued, not done.
    process.nextTick(() => {
      ${how === 'raw' ? 'c.resetAndDestroy();' : 'resetSocket(c);'}
      srv.close();
      for (const s of peers) s.destroy();
    });
  });
});
`;

function exits(how: 'resetSocket' | 'raw'): Promise<number | null | 'still running'> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script(how)], { stdio: 'ignore' });
  return new Promise((resolve) => {
    // Bounded: a child that has not exited after 20 s is hung (it needs well under a second).
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('still running'); }, 20_000);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
  });
}

t.test('a socket being shut down is destroyed, not reset: the process exits', async (t) => {
  t.equal(await exits('resetSocket'), 0);
});
