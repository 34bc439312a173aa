import { isIP } from 'node:net';
import type { GatewayConfig } from './gateway-config.js';

// The admin plane answers health and metrics and, with the console, commands.
// On loopback only the host itself can reach it; beyond loopback it must know who
// is asking (administrator certificates, admin.administrators), so until that is
// configured a non-loopback admin.listen is refused at start (issue 9, item 6).
// The Host check below guards the loopback case too: a browser on the host, led
// by DNS rebinding to a hostile name that resolves to 127.0.0.1, sends that name.

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return /^::ffff:127\./.test(h);
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** True when administrator certificates are configured (admin.administrators: name → role). */
export function adminAuthenticationConfigured(config: GatewayConfig): boolean {
  return (config.admin?.administrators.size ?? 0) > 0;
}

/** What --check and a start say about where the admin plane listens: warnings, and problems that stop a start. */
export function adminExposure(config: GatewayConfig): { warnings: string[]; problems: string[] } {
  const host = config.admin?.listen.host ?? '127.0.0.1';
  if (isLoopback(host)) return { warnings: [], problems: [] };
  const where = `admin.listen: ${host}:${config.admin?.listen.port ?? 0} is not a loopback address`;
  if (!adminAuthenticationConfigured(config)) {
    return {
      warnings: [`${where}: the admin plane would be reachable from the network.`],
      problems: [`${where}, and no administrator authentication is configured (admin.administrators): the admin plane listens beyond loopback only when it knows who is asking. Listen on 127.0.0.1, or configure administrator certificates.`],
    };
  }
  return { warnings: [`${where}: the admin plane is reachable from the network (administrator certificates are required).`], problems: [] };
}

/**
 * The Host header values an admin listener answers to: its configured names and address, and
 * loopback names on loopback. For admin.listen, or (api) for admin.api_listen: the console and API.
 */
export function adminHostAllowed(config: GatewayConfig, port: () => number, listener: 'listen' | 'api' = 'listen'): (hostHeader: string | undefined) => boolean {
  const host = ((listener === 'api' ? config.admin?.apiListen.host : config.admin?.listen.host) ?? '127.0.0.1').toLowerCase();
  const names = new Set<string>((config.admin?.hosts ?? []).map((n) => n.toLowerCase()));
  if (!WILDCARD.has(host)) names.add(host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host);
  if (isLoopback(host) || WILDCARD.has(host)) for (const n of ['localhost', '127.0.0.1', '[::1]']) names.add(n);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim().toLowerCase());
    if (!m) return false;
    if (m[2] !== undefined && Number(m[2]) !== port()) return false;
    return names.has(m[1]!);
  };
}

/** More than one Host header: which one a check read is not which one a proxy used (RFC 9112 §3.2: 400). */
export function hasManyHosts(rawHeaders: readonly string[]): boolean {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host' && ++n > 1) return true;
  return false;
}
