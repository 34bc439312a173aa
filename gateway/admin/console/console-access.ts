// Who may see and do what in the console (三员分立: GB/T 39477 6.2). The
// auditor reads everything and changes nothing; the sysadmin runs the gateway
// and cannot read the administrators' own actions; the secadmin owns the
// policy and cannot export evidence. A change needs a same-origin request
// and a token bound to the administrator's certificate identity: no cookie
// carries authority, so a cross-site form cannot act for anyone.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AdminRole } from '../../config/gateway-config.js';

export const PAGES = ['overview', 'transfers', 'audit', 'policy', 'system'] as const;
export type Page = (typeof PAGES)[number];

export const ACTIONS = ['view-transfers', 'verify', 'export', 'view-admin-actions', 'replay', 'deploy', 'reload', 'retry', 'cancel'] as const;
export type ConsoleAction = (typeof ACTIONS)[number];

const PAGE_ROLES: Record<Page, readonly AdminRole[]> = {
  overview: ['sysadmin', 'secadmin', 'auditor'],
  transfers: ['sysadmin', 'auditor'],
  audit: ['auditor'],
  policy: ['sysadmin', 'secadmin', 'auditor'],
  system: ['sysadmin'],
};

const ACTION_ROLES: Record<ConsoleAction, readonly AdminRole[]> = {
  'view-transfers': ['sysadmin', 'auditor'],
  verify: ['auditor'],
  export: ['auditor'],
  'view-admin-actions': ['auditor'],
  replay: ['secadmin'],
  deploy: ['secadmin'],
  reload: ['secadmin', 'sysadmin'],
  retry: ['sysadmin'],
  cancel: ['sysadmin'],
};

export function mayOpen(role: AdminRole, page: Page): boolean {
  return PAGE_ROLES[page].includes(role);
}

export function mayDo(role: AdminRole, action: ConsoleAction): boolean {
  return ACTION_ROLES[action].includes(role);
}

export function pagesFor(role: AdminRole): Page[] {
  return PAGES.filter((p) => mayOpen(role, p));
}

/** A per-process key: tokens die with the process, which is what a restart should do. */
export class CsrfTokens {
  #key = randomBytes(32);

  /** The token for this administrator; the same on every page, so several tabs work. */
  tokenFor(uri: string): string {
    return createHmac('sha256', this.#key).update(uri).digest('base64url');
  }

  check(uri: string, token: string | undefined): boolean {
    if (!token) return false;
    const want = Buffer.from(this.tokenFor(uri));
    const got = Buffer.from(token);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/**
 * A change must come from a page of this console: Origin names this very
 * host (https), and Sec-Fetch-Site, when the browser sends it, says same-origin.
 * A request with neither header (a script, curl) is refused too: changes go
 * through the console or the admin API's own routes.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (!origin || !req.headers.host) return false;
  return origin === `https://${req.headers.host}`;
}
