import { createServer, type Server } from 'node:http';
import { FerryError } from '../../protocol/errors.js';
import { sendProblem } from '../ingress/problem.js';
import type { HealthReport } from './health-checks.js';
import { hasManyHosts } from '../config/admin-exposure.js';
import type { GatewayMetrics } from './metrics.js';

// The admin plane: health and metrics, on a listener of its own, apart from
// the data ports (loopback by default). It carries no transfer data and takes
// no commands.

export type { HealthReport };

export function createAdminServer(metrics: GatewayMetrics, health: () => Promise<HealthReport>, hostAllowed: (host: string | undefined) => boolean = () => true): Server {
  return createServer(async (req, res) => {
    try {
      // A Host this listener does not answer to (DNS rebinding; a request meant elsewhere): 421, RFC 9110 §15.5.20.
      if (hasManyHosts(req.rawHeaders)) {
        sendProblem(res, new FerryError('FERRY_MALFORMED_REQUEST', 'The request has more than one Host header.'), { close: true });
        return;
      }
      if (!hostAllowed(req.headers.host)) {
        sendProblem(res, new FerryError('FERRY_MISDIRECTED_REQUEST'), { close: true });
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405, { allow: 'GET' }).end();
        return;
      }
      if (req.url === '/healthz') {
        const h = await health();
        const status = !h.ready ? 'not-ready' : h.degraded.length ? 'degraded' : 'ready';
        const body = JSON.stringify({ status, reasons: h.reasons, degraded: h.degraded, checks: h.checks });
        res.writeHead(h.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
        return;
      }
      if (req.url === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`error: ${(err as Error).message}\n`);
    }
  });
}
