// What the client tells its user when something did not work. Three kinds,
// because the command line exits differently for each (see commands.ts):
//   GatewayRefusal  — the gateway answered and said no (exit 1);
//   IntegrityError  — the bytes we got or the receipt we hold do not check out (exit 1);
//   ClientError     — bad usage, unreadable local files, no connection (exit 2).

import type { Finding } from '../protocol/findings.js';

/** A refusal as the gateway sent it: RFC 9457 problem details with Ferry's members. */
export class GatewayRefusal extends Error {
  readonly status: number;
  /** A code from protocol/errors.ts; kept as a string because a newer gateway may send codes this client does not know. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly action: string | undefined;
  readonly rule: string | undefined;
  readonly findings: Finding[];
  /** Seconds to wait before trying again, from `retry_after` or the Retry-After header. */
  readonly retryAfter: number | undefined;
  /** The transfer id the gateway gave the refused transfer (policy and content refusals), for `ferry status`. */
  readonly transfer: string | undefined;

  constructor(p: {
    status: number;
    code: string;
    title: string;
    detail?: string | undefined;
    action?: string | undefined;
    rule?: string | undefined;
    findings?: Finding[] | undefined;
    retryAfter?: number | undefined;
    transfer?: string | undefined;
  }) {
    super(p.detail && p.detail !== p.title ? `${p.code}: ${p.detail}` : `${p.code}: ${p.title}`);
    this.name = 'GatewayRefusal';
    this.status = p.status;
    this.code = p.code;
    this.title = p.title;
    this.detail = p.detail ?? p.title;
    this.action = p.action;
    this.rule = p.rule;
    this.findings = p.findings ?? [];
    this.retryAfter = p.retryAfter;
    this.transfer = p.transfer;
  }
}

export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

export class ClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientError';
  }
}

/** Bodies larger than this are not problem details; we stop reading them. */
export const MAX_PROBLEM_BYTES = 256 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function parseRetryAfter(body: unknown, header: string | undefined): number | undefined {
  if (typeof body === 'number' && Number.isFinite(body) && body >= 0) return body;
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  // RFC 9110 §10.2.3 also allows an HTTP date.
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function parseFindings(v: unknown): Finding[] {
  if (!Array.isArray(v)) return [];
  return v.filter((f): f is Finding => typeof f === 'object' && f !== null && typeof (f as { kind?: unknown }).kind === 'string');
}

/**
 * Turn a non-2xx answer into a GatewayRefusal. A body that is not problem
 * details (a proxy's HTML page, an empty body) still becomes a refusal with
 * the HTTP status, so the user always sees a code and a sentence.
 */
export function refusalFromResponse(status: number, text: string, retryAfterHeader?: string): GatewayRefusal {
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (!body) {
    const snippet = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
    return new GatewayRefusal({
      status,
      code: `HTTP_${status}`,
      title: `The gateway answered HTTP ${status} without problem details.`,
      detail: snippet ? `The gateway answered HTTP ${status}: ${snippet}` : undefined,
      retryAfter: parseRetryAfter(undefined, retryAfterHeader),
    });
  }
  const title = str(body.title) ?? `HTTP ${status}`;
  return new GatewayRefusal({
    status: typeof body.status === 'number' ? body.status : status,
    code: str(body.code) ?? `HTTP_${status}`,
    title,
    detail: str(body.detail),
    action: str(body.action),
    rule: str(body.rule),
    findings: parseFindings(body.findings),
    retryAfter: parseRetryAfter(body.retry_after, retryAfterHeader),
    transfer: str(body.transfer),
  });
}
