import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:https';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from './audit/audit-log.js';
import { writeVkeyFile } from './audit/signed-note.js';
import { SegmentKeeper } from './audit/segment-keeper.js';
import { SEGMENTS_DIR } from './audit/segments.js';
import { createAdminServer } from './admin/admin-server.js';
import { createAdminApi } from './admin/admin-api.js';
import { reloadGateway, type ReloadAsker, type ReloadReport } from './admin/reload.js';
import { createHealth, type Health, type HealthReport } from './admin/health-checks.js';
import { GatewayMetrics } from './admin/metrics.js';
import { adminHostAllowed } from './config/admin-exposure.js';
import { PolicyControl } from './admin/policy-deploy.js';
import { recordPolicyRejected } from './admin/policy-rejected.js';
import type { GatewayConfig } from './config/gateway-config.js';
import type { GatewayContext } from './context.js';
import { Scheduler } from './delivery/scheduler.js';
import { SpoolScrub } from './delivery/spool-scrub.js';
import { createDataListener, listen } from './ingress/listener.js';
import { inspectionStartFailure, warmInspection, type InspectOptions } from './inspect/index.js';
import { loadOrCreateGatewayKeys } from './keys/gateway-keys.js';
import { KeyRotator } from './keys/live-rotation.js';
import { finishStagedRotation } from './keys/staged-keys.js';
import { createLogger, type Logger } from './log/logger.js';
import { noPolicy } from '../policies/no-policy.js';
import { SqliteTransferStore } from './store/sqlite/sqlite-transfer-store.js';
import { FileSpoolStore } from './store/files/file-spool-store.js';
import { Admission } from './pipeline/admission.js';
import { Readiness } from './admin/readiness.js';
import { nodeScope, recover } from './recovery.js';
import { RouteTable } from './routing/route-table.js';
import { loadSodium } from './spool/sodium.js';
import { SealThread } from './spool/seal-thread.js';
import { GatewayTrust } from './trust/gateway-trust.js';
import { registerExpiryMetric } from './trust/expiry-metric.js';
import { MessageSeal } from './spool/message-seal.js';
import { SubscriptionHub } from './ingress/channels/subscription-hub.js';
import { PolicyLoadError, watchPolicy, type PolicyHolder } from '../policies/policy-holder.js';
import { restoreRateCounts } from './startup/rate-counts.js';
import { PeerKeyRing } from './routing/peer-key-ring.js';
import { ownKeyHistory } from './routing/key-history.js';
import { prepareOnWorker } from '../policies/prepare-on-worker.js';
import { lockDataDir } from './startup/data-dir-lock.js';
import { preflight } from './startup/preflight.js';
import { StartupError } from './startup/startup-error.js';
import type { PolicyEngine } from '../policies/types.js';
import { gatewayId } from '../protocol/ferry-id.js';

// One running gateway: the parts of the one path, wired together, started in
// an order that makes a restart after a crash safe (recover before listening),
// and stopped in the reverse order.

export const VERSION = '0.1.0';

export interface RunningGateway {
  readonly name: string;
  readonly identity: string;
  /** Data port of each network side. */
  readonly ports: Record<string, number>;
  readonly adminPort: number;
  /** The administrators' HTTPS API (mutual TLS, ferry://admin/<name>). */
  readonly adminApiPort: number;
  readonly dataDir: string;
  readonly context: GatewayContext;
  health(): Promise<HealthReport>;
  /** Reads the TLS files and the CRL again (SIGHUP); a bad file is logged and the last good one stays. */
  reloadTrust(): Promise<void>;
  /** What SIGHUP does: reload policy, keywords, destinations, routes, TLS files. */
  reload(by: string, asker?: ReloadAsker): Promise<ReloadReport>;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Refuse to start without a policy file (the CLI does; tests may start a default-deny gateway). */
  requirePolicy?: boolean;
}

/** listen(), with the reasons an operator meets turned into a sentence. */
async function listenOn(server: Parameters<typeof listen>[0], what: string, host: string, port: number): Promise<number> {
  try {
    return await listen(server, host, port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the address is already in use by another process'
      : code === 'EACCES' ? 'this user may not listen on that port'
        : code === 'EADDRNOTAVAIL' ? 'no interface of this machine has that address'
          : (err as Error).message;
    throw new StartupError(`${what}: cannot listen on ${host}:${port}: ${why}.`, 1, { cause: err });
  }
}

export async function startGateway(config: GatewayConfig, opts: StartOptions = {}): Promise<RunningGateway> {
  const log = opts.log ?? createLogger({ name: `ferry-gateway-${config.name}` });
  // Everything a start reads from the configuration is checked before the data directory is touched.
  const pre = await preflight(config, { requirePolicy: opts.requirePolicy === true });
  if (pre.problems.length) throw new StartupError(`${config.file}: the gateway cannot start:\n  ${pre.problems.join('\n  ')}`, 2);
  for (const w of pre.warnings) log.warn(w);
  // What was taken so far, released in reverse order if the start fails.
  const taken: Array<() => unknown> = [];
  try {
    return await startWith(config, log, taken);
  } catch (err) {
    for (const release of taken.reverse()) {
      try {
        await release();
      } catch (e) {
        log.warn({ err: e }, 'could not release a resource after a failed start');
      }
    }
    if (err instanceof StartupError || err instanceof PolicyLoadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? `permission denied (${(err as NodeJS.ErrnoException).path ?? config.dataDir})` : (err as Error).message;
    throw new StartupError(`the gateway could not start: ${message}.`, 1, { cause: err });
  }
}

async function startWith(config: GatewayConfig, log: Logger, taken: Array<() => unknown>): Promise<RunningGateway> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(config.dataDir);
  taken.push(() => lock.release());
  const spoolDir = join(config.dataDir, 'spool');
  await mkdir(spoolDir, { recursive: true, mode: 0o700 });
  const identity = gatewayId(config.name);
  // Before anything is opened: a key file others can read, a bad CRL or a key
  // that is not the certificate's stops the start with a sentence.
  const trust = new GatewayTrust({ tls: config.tls, crls: config.tls.crls, crlStale: config.tls.crlStale, expiryWarningMs: config.tls.expiryWarningMs, log });
  await trust.load();
  const keyName = `ferry.gateway/${config.name}`;
  // A key rotation a crash cut short is finished or undone before the keys are read (keys/staged-keys.ts).
  const staged = await finishStagedRotation(join(config.dataDir, 'keys'), join(config.dataDir, 'audit.db'), keyName);
  if (staged) log.warn({ staged }, `a key rotation interrupted by a stop was ${staged === 'promoted' ? 'completed (the audit log records it)' : 'dropped (the audit log does not record it)'}`);
  const keys = await loadOrCreateGatewayKeys(join(config.dataDir, 'keys'), config.name);
  const sodium = await loadSodium();
  // spool.seal_thread: large uploads hashed, encrypted and written on a thread of their own.
  const seal = config.spool.sealThread
    ? new SealThread(sodium.name, (reason) => log.error({ reason }, 'the spool\'s seal thread stopped: uploads in flight failed, the gateway is not ready until it is back'))
    : null;
  taken.push(() => seal?.stop());
  const queue = new SqliteTransferStore(join(config.dataDir, 'queue.db'));
  taken.push(() => queue.close());
  writeVkeyFile(join(config.dataDir, 'keys', 'audit.vkey'), keyName, keys.signingPublicKey);
  const audit: AuditLog = openAuditLog(join(config.dataDir, 'audit.db'), {
    origin: keyName,
    signer: { keyName, privateKey: keys.signingKey },
    checkpointEvery: config.audit.checkpointEvery,
    checkpointIntervalMs: config.audit.checkpointIntervalMs,
    ...(config.audit.exportCheckpointsTo ? { exportCheckpointsTo: config.audit.exportCheckpointsTo } : {}),
    ...(config.audit.witnessUrl ? { witnessUrl: config.audit.witnessUrl } : {}),
    logger: log,
  });
  taken.push(() => audit.close());

  const metrics = new GatewayMetrics({ queueRows: () => queue.countsByState(), lastCheckpointAt: () => audit.lastCheckpointAt });
  let holder: PolicyHolder | null = null;
  let policyControl: PolicyControl | null = null;
  /** Why the last policy file written was rejected, while the previous policy is kept. */
  let policyRejected: string | null = null;
  /** The hash of the policy file last rejected and recorded (a watcher's repeated event for the same bytes is not recorded again). */
  let rejectedFile: string | null = null;
  if (config.policyFile) {
    holder = await watchPolicy(config.policyFile, {
      sighup: false, // the gateway's own SIGHUP handler reloads everything, the policy included
      prepare: prepareOnWorker, // a changed file is checked on a thread of its own, not on the data ports' event loop
      onValid: () => {
        policyRejected = null;
        rejectedFile = null;
        metrics.policyRejected.set(0);
      },
      onChange: (hash) => {
        log.info({ policy: config.policyFile, hash }, 'policy reloaded');
        const by = policyControl?.deployer ?? null;
        audit.append({ event: 'policy-loaded', principal: by, policyHash: hash, details: { file: config.policyFile, reason: by ? 'deployed from the console' : 'reload', ...(by ? { by } : {}) } })
          .catch((err: unknown) => log.error({ err }, 'could not record the policy reload in the audit log'));
      },
      onError: (problems) => {
        const errors = problems.filter((p) => p.severity === 'error');
        policyRejected = errors.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('; ') || 'it has errors';
        metrics.policyRejected.set(1);
        log.error({ policy: config.policyFile, problems }, 'the new policy has errors; the previous one stays in force');
        // Evidence too, as an accepted change is: the file, the hash of what was written, the problems (once for the same bytes).
        void recordPolicyRejected(audit, config.policyFile!, holder?.current.hash ?? null, errors, rejectedFile)
          .then((hash) => { rejectedFile = hash ?? rejectedFile; })
          .catch((err: unknown) => log.error({ err }, 'could not record the rejected policy in the audit log'));
      },
    });
    const h = holder;
    policyControl = new PolicyControl(h);
    taken.push(() => h.close());
  } else {
    log.error('no policy is configured: every transfer is denied (default deny) and the gateway reports not ready');
  }
  const policy: { readonly current: PolicyEngine } = holder ?? { current: noPolicy };

  const inspect: InspectOptions = {
    keywords: config.inspect.keywords,
    clamd: config.inspect.clamd
      ? { ...config.inspect.clamd, timeoutMs: config.inspect.clamd.timeoutMs }
      : null,
    limits: config.inspect.archiveLimits,
    budget: config.inspect.budget,
  };
  let forwarder: Scheduler | null = null;
  registerExpiryMetric(metrics.registry, trust);
  const keyHistory = ownKeyHistory(audit);
  const routes = new RouteTable(config.networks.map((n) => n.name), config.destinations, config.routing);
  let stopping = false;
  let healthChecks: Health | undefined;
  const ctx: GatewayContext = {
    config, identity, log, keys, trust, sodium, queue, audit, auditReader: audit, policy, inspect, metrics, routes,
    // The keys read at each call: a live rotation replaces ctx.keys.
    spool: new FileSpoolStore(spoolDir, sodium, () => ctx.keys, seal),
    messageSeal: new MessageSeal(sodium, keys, queue.messages),
    subscriptions: new SubscriptionHub(),
    peerKeys: new PeerKeyRing(join(config.dataDir, 'keys', 'peer-keys.json'), audit, log),
    keyHistory: () => keyHistory(ctx.keys.signingKey),
    outcomesRecorded: new Map(),
    admission: new Admission(() => ctx.config.limits.maxUploadsPerPrincipal),
    readiness: new Readiness({
      spoolFree: () => ctx.spool.freeBytes(),
      minFreeDisk: config.limits.minFreeDisk,
      auditFailure: () => (audit.stopped ? audit.failure : null),
      queueFailure: () => queue.failure,
      sealFailure: () => seal?.failure ?? null,
    }),
    wakeForwarder: () => forwarder?.wake(),
    askDownstream: (id) => forwarder?.askNow(id) ?? Promise.resolve(),
  };

  // Threads and modules loaded before the ports open, not on the first transfers' time.
  warmInspection();
  // A thread that cannot start is not fatal here: the gateway reports not ready, and it is tried again.
  await seal?.start().catch((err: unknown) => log.error({ err }, 'the spool\'s seal thread could not start'));
  // This gateway is one node over its own stores; a shared backend would hand in each node's part.
  const recovered = await recover(nodeScope(ctx), ctx.outcomesRecorded);
  if (recovered.requeued || recovered.failed || recovered.orphans || recovered.delivered || recovered.ended) log.warn(recovered, 'recovered after an unclean stop');
  if (recovered.migrated) log.info({ moved: recovered.migrated }, 'spool files moved into the fan-out directories');
  // Before the ports open: limits count what was accepted before this start too.
  const counted = restoreRateCounts(audit, policy.current, Date.now());
  if (counted) log.info({ transfers: counted }, 'rate and volume limits counted again from the audit log (the last day)');
  await audit.appendMany([
    { event: 'started', principal: identity, policyHash: policy.current.hash, details: { version: VERSION, sodium: sodium.name, recovered, networks: config.networks.map((n) => n.name) } },
    { event: 'policy-loaded', policyHash: policy.current.hash, details: { file: config.policyFile, reason: config.policyFile ? 'start' : 'no policy configured: default deny' } },
  ]);
  // From here a failed start leaves a record saying so (before the log closes).
  taken.push(() => audit.append({ event: 'stopped', principal: identity, details: { reason: 'the start failed' } }));

  forwarder = new Scheduler(ctx, routes);
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  // Stop listening, let idle keep-alive connections go, and give uploads in
  // flight a moment before cutting them (an upload cut off leaves nothing behind).
  const closeAll = async () => Promise.allSettled(servers.map((s) => new Promise((r) => {
    if (!s.listening) return r(undefined);
    const force = setTimeout(() => s.closeAllConnections(), 2000);
    s.close(() => {
      clearTimeout(force);
      r(undefined);
    });
    s.closeIdleConnections();
  })));
  taken.push(closeAll);
  for (const n of config.networks) {
    const server = createDataListener(ctx, n.name);
    servers.push(server);
    ports[n.name] = await listenOn(server, `network ${n.name}`, n.listen.host, n.listen.port);
  }
  healthChecks = createHealth({
    config, metrics,
    readiness: ctx.readiness,
    queueCheck: () => queue.check(),
    auditFailure: () => audit.failure,
    policy: () => policy.current,
    policyRejected: () => policyRejected,
    forwarding: () => forwarder?.active ?? 0,
    uploads: () => ctx.admission.inProgress,
    trust: () => trust.health(),
    inspection: inspectionStartFailure,
  });
  const health = () => healthChecks.report();
  const admin = createAdminServer(metrics, health, adminHostAllowed(config, () => (admin.address() as { port: number } | null)?.port ?? 0));
  taken.push(() => new Promise((r) => (admin.listening ? admin.close(() => r(undefined)) : r(undefined))));
  const adminPort = await listenOn(admin, 'admin', config.admin!.listen.host, config.admin!.listen.port);
  const liveTls = { ...trust.tls.current };
  const reload = (by: string, asker?: ReloadAsker) => reloadGateway({ ctx, holder, servers: () => [...servers, adminApi], tls: liveTls }, by, asker);
  const rotator = new KeyRotator({
    dataDir: config.dataDir, audit, log, current: () => ctx.keys,
    install: (k) => {
      ctx.keys = k;
      ctx.messageSeal.useKeys(k);
    },
  });
  const adminApi = createAdminApi(ctx, trust.tls.current, {
    reload, health, policy: () => policyControl,
    rotateKeys: (by, role) => rotator.rotate(by, role),
    ports: () => ({ networks: ports, admin: adminPort, api: (adminApi.address() as { port: number } | null)?.port ?? 0 }),
  });
  trust.tls.attach(adminApi, { minVersion: 'TLSv1.2' });
  taken.push(() => new Promise((r) => (adminApi.listening ? adminApi.close(() => r(undefined)) : r(undefined))));
  const adminApiPort = await listenOn(adminApi, 'admin.api_listen', config.admin!.apiListen.host, config.admin!.apiListen.port);
  const onHup = () => void reload('signal:SIGHUP').catch((err: unknown) => log.error({ err }, 'reload failed'));
  process.on('SIGHUP', onHup);
  // The disk is watched by the readiness itself, so uploads are refused before it fills;
  // with clamd configured, the health report also runs now and then to keep ferry_clamd_up fresh.
  ctx.readiness.start();
  const clamdTimer = config.inspect.clamd ? setInterval(() => void health(), 5000) : null;
  clamdTimer?.unref();
  await health();
  forwarder.start();
  const scrub = new SpoolScrub(ctx);
  scrub.start();
  const segments = new SegmentKeeper(audit, join(config.dataDir, SEGMENTS_DIR), { sealEveryMs: config.audit.sealEveryMs, retentionDays: config.audit.retentionDays, logger: log });
  segments.start();
  trust.watch();
  log.info({ gateway: identity, ports, adminPort, sodium: sodium.name, policy: policy.current.hash }, 'gateway started');

  return {
    name: config.name, identity, ports, adminPort, adminApiPort, dataDir: config.dataDir, context: ctx, health, reload,
    reloadTrust: () => trust.reload(),
    async stop() {
      if (stopping) return;
      stopping = true;
      ctx.readiness.stop();
      if (clamdTimer) clearInterval(clamdTimer);
      trust.close();
      ctx.subscriptions.closeAll();
      await closeAll();
      process.off('SIGHUP', onHup);
      await new Promise((r) => admin.close(() => r(undefined)));
      adminApi.closeAllConnections();
      await new Promise((r) => adminApi.close(() => r(undefined)));
      await forwarder!.stop();
      await scrub.stop();
      await segments.stop();
      await seal?.stop();
      holder?.close();
      await audit.append({ event: 'stopped', principal: identity, details: { reason: 'stop requested' } }).catch((err: unknown) => log.error({ err }, 'could not record the stop in the audit log'));
      await audit.close();
      await queue.close();
      lock.release();
      log.info({ gateway: identity }, 'gateway stopped');
    },
  };
}
