import { Gauge, type Registry } from 'prom-client';
import type { GatewayTrust } from './gateway-trust.js';

/** ferry_expiry_seconds{kind,name}: seconds until the gateway's certificate, each trusted CA and the CRL's next update (negative once past). */
export function registerExpiryMetric(registry: Registry, trust: GatewayTrust): void {
  new Gauge({
    name: 'ferry_expiry_seconds',
    help: 'Seconds until each certificate, CA and CRL (next update) the gateway uses expires; negative once past.',
    labelNames: ['kind', 'name'],
    registers: [registry],
    collect() {
      this.reset();
      const now = Date.now();
      for (const e of trust.expiries()) this.set({ kind: e.kind, name: e.name }, Math.floor((e.notAfter.getTime() - now) / 1000));
    },
  });
}
