import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { negotiate, type Locale } from '../../i18n/locale.js';
import { localizedProblem } from '../../i18n/refusal.js';
import { FerryError } from '../../protocol/errors.js';
import { maskText } from '../log/mask.js';
import { REFUSAL_MEMBER, refusalSignature } from '../routing/signed-refusal.js';

// Every refusal leaves as RFC 9457 problem details with a stable code. Details
// are often built from what the sender sent (a destination, a label, a path):
// they are masked like a log line, so that an answer never repeats personal data.
// The words are in the language the request asked for (Accept-Language); an API
// client that names none gets English. The code is the same in every language.

/** The language of the answers to a request. */
export function answerLocale(headers: IncomingHttpHeaders | undefined): Locale {
  return negotiate(headers?.['accept-language']);
}

/** The problem details of a refusal in `locale`, its sentence masked. */
export function maskedProblem(err: FerryError, locale: Locale = 'en', instance?: string): Record<string, unknown> {
  const p = localizedProblem(err, locale, instance);
  if (typeof p.detail === 'string') p.detail = maskText(p.detail);
  return p;
}

export function sendProblem(res: ServerResponse, err: FerryError, opts: { instance?: string; close?: boolean } = {}): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const locale = answerLocale(res.req?.headers);
  // To the gateway before, on a relay or a withdrawal: the refusal signed (routing/signed-refusal.ts).
  const signed = refusalSignature(res, err);
  const body = JSON.stringify({ ...maskedProblem(err, locale, opts.instance), ...(signed ? { [REFUSAL_MEMBER]: signed } : {}) });
  const headers: Record<string, string | number> = {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'content-language': locale,
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
export function rawProblem(err: FerryError, locale: Locale = 'en'): string {
  const body = JSON.stringify(maskedProblem(err, locale));
  return `HTTP/1.1 ${err.status} ${err.code}\r\ncontent-type: application/problem+json; charset=utf-8\r\ncontent-language: ${locale}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
