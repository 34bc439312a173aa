import type { ServerResponse } from 'node:http';
import { FerryError } from '../../protocol/errors.js';
import { maskText } from '../log/mask.js';

// Every refusal leaves as RFC 9457 problem details with a stable code. Details
// are often built from what the sender sent (a destination, a label, a path):
// they are masked like a log line, so that an answer never repeats personal data.

/** The problem details of a refusal, its sentence masked. */
export function maskedProblem(err: FerryError, instance?: string): Record<string, unknown> {
  const p = err.toProblem(instance);
  if (typeof p.detail === 'string') p.detail = maskText(p.detail);
  return p;
}

export function sendProblem(res: ServerResponse, err: FerryError, opts: { instance?: string; close?: boolean } = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(maskedProblem(err, opts.instance));
  const headers: Record<string, string | number> = {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  };
  if (typeof err.extra.retry_after === 'number') headers['retry-after'] = Math.max(1, Math.ceil(err.extra.retry_after));
  // A refusal before the body was read closes the connection: the unread body
  // must not be parsed as the next request, and we will not read it.
  if (opts.close) headers.connection = 'close';
  res.writeHead(err.status, headers);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** A raw HTTP answer for a socket the HTTP server could not parse (clientError). */
export function rawProblem(err: FerryError): string {
  const body = JSON.stringify(maskedProblem(err));
  return `HTTP/1.1 ${err.status} ${err.code}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
