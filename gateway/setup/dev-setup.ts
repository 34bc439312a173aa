import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDevPki } from '../../certs/dev-pki.js';
import { issueAdministrators, type AdminCredentials } from './admin-certs.js';

// A ready-to-run two-network setup for a newcomer (and for the demo): a dev
// PKI, a commented gateway.yaml between `police` and `extranet`, the example
// policy, and certificates for one sending and two receiving systems.

export const EXAMPLE_POLICY = fileURLToPath(new URL('../../../policies/examples/default.yaml', import.meta.url));

export interface DevSetup {
  dir: string;
  config: string;
  policy: string;
  pki: string;
  ca: string;
  gateway: { cert: string; key: string };
  sender: { id: string; cert: string; key: string };
  /** receives by push: runs an HTTPS endpoint the gateway delivers to */
  pushReceiver: { id: string; cert: string; key: string };
  /** receives by pull: `ferry receive` */
  pullReceiver: { id: string; cert: string; key: string };
  ports: { police: number; extranet: number; admin: number; receiver: number; adminApi: number };
  /** One administrator per role, for the console and `ferry admin`. */
  administrators: AdminCredentials[];
  name: string;
  extraConfig: string;
}

export interface DevSetupOptions {
  /** First of five consecutive ports (police, extranet, admin, push receiver, admin API and console); 0 = ephemeral (tests, demo). */
  portBase?: number;
  gatewayName?: string;
  /** Extra gateway.yaml lines appended verbatim (e.g. an inspect: section). */
  extraConfig?: string;
}

export async function createDevSetup(dir: string, opts: DevSetupOptions = {}): Promise<DevSetup> {
  const pki = join(dir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = opts.gatewayName ?? 'gw1';
  const dev = await buildDevPki(pki, {
    caName: 'Ferry dev CA',
    gateways: [name],
    networks: { police: ['records'], extranet: [{ name: 'archive', server: true }, 'portal'] },
  });
  // Beside the keys, so that `git add .` in a dev setup never commits a private key or the data directory.
  await writeFile(join(dir, '.gitignore'), '# written by ferry init: private keys and gateway data stay out of version control\npki/*.key\npki/**/*.key\ndata/\n', { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const gw = dev.gateways.get(name)!;
  const system = (id: string) => ({ id, cert: dev.systems.get(id)!.certPath, key: dev.systems.get(id)!.keyPath });
  const base = opts.portBase ?? 0;
  const port = (i: number) => (base === 0 ? 0 : base + i);
  const ports = { police: port(0), extranet: port(1), admin: port(2), receiver: base === 0 ? 0 : base + 3, adminApi: port(4) };
  const administrators = await issueAdministrators(pki);
  const policy = join(dir, 'policy.yaml');
  await copyFile(EXAMPLE_POLICY, policy);
  const config = join(dir, 'gateway.yaml');
  const setup: DevSetup = {
    dir, config, policy, pki, ca: join(pki, 'ca.crt'),
    gateway: { cert: gw.certPath, key: gw.keyPath },
    sender: system('police/records'),
    pushReceiver: system('extranet/archive'),
    pullReceiver: system('extranet/portal'),
    ports, administrators, name, extraConfig: opts.extraConfig ?? '',
  };
  await writeDevConfig(setup);
  return setup;
}

/** (Re)write gateway.yaml, e.g. once the push receiver's real port is known. */
export async function writeDevConfig(setup: DevSetup): Promise<void> {
  await writeFile(setup.config, gatewayYaml(setup.name, setup.ports, setup.extraConfig), { mode: 0o600 });
}

/** The commented gateway.yaml `ferry init` writes; test/config-defaults.test.ts holds the defaults it states to gateway/config/defaults.ts. */
export function gatewayYaml(name: string, ports: DevSetup['ports'], extra: string): string {
  return `# Ferry gateway configuration (written by \`ferry init\`).
# Paths are relative to this file. Reference: README.md, "Gateway configuration".

# The gateway's name; its certificate must carry ferry://gateway/${name}.
name: ${name}

# Spool (encrypted), durable queue, audit log and keys live here (created 0700).
data_dir: ./data

# Mutual TLS on every data port: the CA that issued every system's certificate,
# and the gateway's own certificate (TLS server towards senders, TLS client
# towards push destinations).
tls:
  ca: ./pki/ca.crt
  cert: ./pki/${name}.crt
  key: ./pki/${name}.key

# One HTTPS listener per network this gateway borders. A system may only use
# the listener of its own network (the one its certificate names).
networks:
  police:
    listen: 127.0.0.1:${ports.police}
  extranet:
    listen: 127.0.0.1:${ports.extranet}

# Health (/healthz) and Prometheus metrics (/metrics), apart from the data ports;
# the administrators' API and web console (https://127.0.0.1:${ports.adminApi}/console/)
# on a listener of their own, mutual TLS with ferry://admin/<name> certificates.
# Each administrator holds one role: sysadmin, secadmin or auditor (三员分立).
admin:
  listen: 127.0.0.1:${ports.admin}
  api_listen: 127.0.0.1:${ports.adminApi}
  time_zone: Asia/Shanghai
  administrators:
    sysadmin: sysadmin
    secadmin: secadmin
    auditor: auditor

# The transfer policy (reloaded on change or SIGHUP). Without one, everything is denied.
policy: ./policy.yaml

# Where each destination system gets its transfers: pushed to its HTTPS
# endpoint (its certificate must name it), or held for it to pull.
destinations:
  extranet/archive:
    delivery: push
    url: https://127.0.0.1:${ports.receiver}/ferry/inbox
  extranet/portal:
    delivery: pull

# Limits, with their defaults:
limits:
  max_header_bytes: 16384
  max_body: { public: 64GiB, internal: 64GiB, sensitive: 16GiB }
  max_uploads_per_principal: 8
  headers_timeout: 10s     # slow-loris guard
  idle_timeout: 30s        # an upload that stalls this long is dropped
  min_free_disk: 1GiB      # refuse uploads (503) below this
  max_headers: 64          # header fields read; more is refused (431)
  max_connections: 512     # per listener; when full, the oldest silent one is cut
  max_connections_per_address: 64
  max_pending_handshakes: 128
  handshake_timeout: 10s   # see docs/limits.md

# Push delivery: retries back off exponentially with jitter until expiry.
delivery:
  concurrency: 4
  retry_initial: 1s
  retry_max: 5m
  expire_after: 7d

# Signed audit checkpoints (C2SP tlog-checkpoint) every N records or T seconds.
audit:
  checkpoint_every: 1000
  checkpoint_interval: 10s

# Content inspection. Uncomment to scan with a local clamd; without it no
# antivirus finding is reported.
# inspect:
#   clamd: { host: 127.0.0.1, port: 3310, timeout: 60s }
#   keywords: [内部资料, 专案]
${extra}`;
}
