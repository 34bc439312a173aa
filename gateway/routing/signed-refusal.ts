import type { KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { UUID_RE } from '../../protocol/ids.js';
import { openJson, sealJson } from './signed-json.js';

// A gateway's refusal of what the gateway before it asked (a relay, a withdrawal),
// signed with its key like its reports (hop-report.ts), under a context of its own.
// The gateway before takes a refusal as an outcome (denied with these findings, or
// "not held there") only when it verifies with the key it holds for that peer and
// names the transfer and the peer; any other answer is a failure of the hop
// (FERRY_HOP_UNVERIFIED), never the peer's verdict. docs/routing.md, "Signed refusals".

export const REFUSAL_CONTEXT = 'ferry-refusal/v1\n';
/** The member of the problem details that carries it. */
export const REFUSAL_MEMBER = 'signed_refusal';
/** As a report (hop-report.ts): a refusal's findings are bounded by the inspection's tally, a few KiB as a rule. */
const MAX_REFUSAL_CHARS = 192 * 1024;

export interface RefusalNote {
  v: 1;
  transfer: string;
  /** ferry://gateway/<signer> */
  gateway: string;
  /** ferry://gateway/<asker>: the peer the refusal answered (a note is evidence for the one who asked only) */
  asked_by: string;
  /** the HTTP status and the code answered */
  status: number;
  code: string;
  rule: string | null;
  findings: unknown[];
  /** the refusal's sentence, masked, in English */
  detail: string;
  time: string;
}

export function sealRefusal(n: RefusalNote, key: KeyObject): string {
  return sealJson(REFUSAL_CONTEXT, n, key);
}

export type CheckedRefusal = { ok: true; note: RefusalNote } | { ok: false; why: string };

/** The refusal `sealed` if it is signed by one of `keys` and says it is `gateway`'s, about `transfer`, with `status`. Never throws. */
export function checkRefusal(sealed: unknown, keys: KeyObject[], expect: { transfer: string; gateway: string; status: number; askedBy: string }): CheckedRefusal {
  if (!keys.length) return { ok: false, why: `no key is held for ${expect.gateway}` };
  if (sealed === undefined) return { ok: false, why: 'it is not signed' };
  const o = openJson(REFUSAL_CONTEXT, sealed, keys, MAX_REFUSAL_CHARS);
  if (!o.ok) return { ok: false, why: `its signature ${o.why}` };
  const n = o.value as RefusalNote;
  const ok = n && typeof n === 'object' && n.v === 1 && n.transfer === expect.transfer && n.gateway === expect.gateway && n.status === expect.status && n.asked_by === expect.askedBy
    && typeof n.code === 'string' && (n.rule === null || typeof n.rule === 'string') && Array.isArray(n.findings) && typeof n.detail === 'string' && typeof n.time === 'string';
  if (!ok) return { ok: false, why: 'the signed refusal is about another transfer, gateway or answer, or lacks a field' };
  return { ok: true, note: n };
}

type Signer = (e: { status: number; code: string; message: string; extra: Record<string, unknown> }) => string;
const SIGNER = Symbol('ferry.refusalSigner');

/** Every refusal answered on `res` (ingress/problem.ts) carries the signed note of it, about `transfer`. */
export function signRefusalsOn(res: ServerResponse, transfer: string, gateway: string, askedBy: string, key: KeyObject, mask: (s: string) => string): void {
  if (!UUID_RE.test(transfer)) return;
  const sign: Signer = (e) => sealRefusal({
    v: 1, transfer, gateway, asked_by: askedBy, status: e.status, code: e.code,
    rule: typeof e.extra.rule === 'string' ? e.extra.rule : null,
    findings: Array.isArray(e.extra.findings) ? e.extra.findings : [],
    detail: mask(e.message), time: new Date().toISOString(),
  }, key);
  (res as ServerResponse & { [SIGNER]?: Signer })[SIGNER] = sign;
}

/** The signed note of a refusal answered on `res`, if refusals on it are signed. */
export function refusalSignature(res: ServerResponse, e: Parameters<Signer>[0]): string | undefined {
  return (res as ServerResponse & { [SIGNER]?: Signer })[SIGNER]?.(e);
}
