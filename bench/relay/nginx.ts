// The baseline an operator would stand up instead of Ferry: nginx from Debian
// taking HTTPS PUTs (WebDAV) with client certificates required. It stores each
// body in a file and answers 201; no inspection, no encryption, no fsync, no
// audit, no forwarding. The benchmark writes its own nginx.conf in a temporary
// directory and starts and stops nginx itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

export interface Nginx { port: number; child: ChildProcess; stop(): Promise<void> }

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Starts nginx in the foreground under `dir`, with the same server certificate and CA as the gateway. */
export async function startNginx(dir: string, tls: { cert: string; key: string; ca: string }): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed (apt-get install nginx)');
  const port = await freePort();
  for (const d of ['www/up', 'tmp']) await mkdir(join(dir, d), { recursive: true });
  // Run as root (CI), workers would drop to "nobody" and could not write the 0700 temp tree.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const conf = `${user}daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_protocols TLSv1.3;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    ssl_client_certificate ${tls.ca};
    ssl_verify_client on;
    client_max_body_size 0;
    location /up/ { root ${dir}/www; dav_methods PUT; create_full_put_path on; }
  }
}
`;
  const confPath = join(dir, 'nginx.conf');
  await writeFile(confPath, conf);
  const child = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // Ready when the port answers; nginx prints nothing on success.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr || (await readFile(join(dir, 'error.log'), 'utf8').catch(() => ''))}`);
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) break;
    if (i > 100) throw new Error('nginx did not start listening within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    child,
    stop: () => new Promise<void>((r) => {
      if (child.exitCode !== null) return r();
      child.once('exit', () => r());
      child.kill('SIGQUIT');
    }),
  };
}
