import type { GatewayConfig } from '../config/gateway-config.js';
import type { GatewayMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';
import { pingClamd } from './clamd-probe.js';

// What /healthz answers. Not ready (503): the gateway must not be sent
// transfers (queue or audit log unusable, disk nearly full, clamd configured
// but unreachable, no policy, stopping). Degraded (200): it works, but an
// operator must look (the last policy file written was rejected and the
// previous one is still in force).

export interface HealthReport {
  ready: boolean;
  reasons: string[];
  /** Problems that do not stop transfers. */
  degraded: string[];
  checks: Record<string, unknown>;
}

export interface HealthSources {
  config: GatewayConfig;
  /** The readiness the pipeline reads too: the disk check is its. */
  readiness: Readiness;
  metrics: GatewayMetrics;
  queueCheck(): Promise<void>;
  auditFailure(): string | null;
  policy(): { hash: string };
  /** Why the last policy file was rejected, or null. */
  policyRejected(): string | null;
  forwarding(): number;
  uploads(): number;
  /** Certificates, CA bundle and CRL (gateway/trust/): what expired or is stale, what expires soon, what on disk was not taken. */
  trust?(): { reasons: string[]; warnings: string[]; checks: Record<string, unknown> };
  /** Why the inspection workers cannot start, or null. */
  inspection?(): string | null;
}

export interface Health {
  report(): Promise<HealthReport>;
}

export function createHealth(s: HealthSources): Health {
  return {
    async report() {
      const reasons: string[] = [];
      const degraded: string[] = [];
      const checks: Record<string, unknown> = {};
      try {
        await s.queueCheck();
        checks.queue = 'ok';
      } catch (e) {
        reasons.push(`the queue database fails: ${(e as Error).message}`);
      }
      const audit = s.auditFailure();
      checks.audit = audit ?? 'ok';
      if (audit) reasons.push(audit);
      const disk = await s.readiness.checkDisk();
      if (disk.error === null) {
        checks.spool_free_bytes = disk.free;
        if (disk.low) reasons.push(`the spool disk has ${disk.free} bytes free, below the ${s.config.limits.minFreeDisk} configured`);
      } else {
        reasons.push(`the spool directory cannot be read: ${disk.error}`);
      }
      const inspection = s.inspection?.() ?? null;
      checks.inspection = inspection ? 'failing' : 'ok';
      if (inspection) reasons.push(`the inspection workers cannot start, so every transfer would be refused uninspected: ${inspection}`);
      const rejected = s.policyRejected();
      checks.policy = s.config.policyFile
        ? { file: s.config.policyFile, hash: s.policy().hash, ...(rejected ? { last_reload: 'rejected' } : {}) }
        : 'none: every transfer is denied';
      if (!s.config.policyFile) reasons.push('no policy is configured: every transfer is denied');
      if (rejected) degraded.push(`the policy file was changed but rejected, so the previous policy stays in force: ${rejected}`);
      const clamd = s.config.inspect.clamd;
      if (clamd) {
        const ping = await pingClamd(clamd, Math.min(2000, clamd.timeoutMs));
        s.metrics.clamdUp.set(ping.up ? 1 : 0);
        const where = clamd.socket ?? `${clamd.host}:${clamd.port}`;
        checks.antivirus = ping.up ? { clamd: where, status: 'up' } : { clamd: where, status: 'down', reason: ping.reason };
        if (!ping.up) reasons.push(`clamd is configured (${where}) but does not answer: ${ping.reason}; content would be refused as av-unavailable`);
      } else {
        checks.antivirus = 'not configured';
      }
      checks.forwarding = s.forwarding();
      checks.uploads = s.uploads();
      const trust = s.trust?.();
      if (trust) {
        reasons.push(...trust.reasons);
        degraded.push(...trust.warnings);
        Object.assign(checks, trust.checks);
      }
      if (s.readiness.stopping) reasons.push('the gateway is stopping');
      return { ready: reasons.length === 0, reasons, degraded, checks };
    },
  };
}
