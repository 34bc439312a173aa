import type { KeyObject } from 'node:crypto';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { openJson, sealJson } from './signed-json.js';

// What a gateway sends the next one to withdraw a transfer it relayed there
// (it expired here, or an administrator cancelled it): one header, signed like
// the relay envelope with this gateway's key, under its own context so that it
// can never pass for an envelope or a report. docs/routing.md, "Withdrawal".

export const WITHDRAWAL_HEADER = 'ferry-withdrawal';
export const WITHDRAWAL_CONTEXT = 'ferry-withdrawal/v1\n';
const MAX_WITHDRAWAL_CHARS = 4 * 1024;
/** The reason is for people: long enough for any reason Ferry writes, no longer. */
export const MAX_WITHDRAWAL_REASON = 1000;

export interface WithdrawalNote {
  v: 1;
  transfer: string;
  /** ferry://gateway/<signer> */
  gateway: string;
  /** how the transfer ends at the signer once withdrawn: expired there, or cancelled (failed) */
  final: 'expired' | 'failed';
  reason: string;
  time: string;
}

export function sealWithdrawal(w: WithdrawalNote, key: KeyObject): string {
  return sealJson(WITHDRAWAL_CONTEXT, { ...w, reason: w.reason.slice(0, MAX_WITHDRAWAL_REASON) }, key);
}

/** The withdrawal if `header` is well-formed and signed with one of `keys`; FERRY_WITHDRAWAL_INVALID otherwise. */
export function openWithdrawal(header: string | string[] | undefined, keys: KeyObject[]): WithdrawalNote {
  const bad = (why: string) => new FerryError('FERRY_WITHDRAWAL_INVALID', `The signed withdrawal ${why}.`);
  if (header === undefined) throw bad(`is missing (header ${WITHDRAWAL_HEADER})`);
  const o = openJson(WITHDRAWAL_CONTEXT, header, keys, MAX_WITHDRAWAL_CHARS);
  if (!o.ok) throw bad(o.why);
  const w = o.value as WithdrawalNote;
  const ok = w && typeof w === 'object' && w.v === 1 && typeof w.transfer === 'string' && UUID_RE.test(w.transfer) && typeof w.gateway === 'string'
    && (w.final === 'expired' || w.final === 'failed') && typeof w.reason === 'string' && w.reason.length <= MAX_WITHDRAWAL_REASON && typeof w.time === 'string';
  if (!ok) throw bad('lacks a field or has one of the wrong form');
  return w;
}
