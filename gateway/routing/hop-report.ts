import type { KeyObject } from 'node:crypto';
import { verifyReceipt, type Receipt } from '../../protocol/receipt.js';
import { gatewayId, parseFerryId } from '../../protocol/ferry-id.js';
import type { HopView } from './hop-view.js';
import { openJson, sealJson } from './signed-json.js';

// What a gateway tells the gateway before it about a transfer (asked for its
// outcome, or answering a withdrawal), signed with its key: its own state and
// the hops after it. The gateway before checks the signature and the receipts
// of the hop it talks to with the key it holds for that peer, and marks that hop
// `verified`; the hops further on carry the mark their own previous gateway set,
// inside this signed report. So each link of the chain is checked once, by the
// gateway that holds the key for it, and vouched for by signature from there on.

export const REPORT_CONTEXT = 'ferry-report/v1\n';
const MAX_REPORT_CHARS = 192 * 1024;

export interface HopReport {
  v: 1;
  transfer: string;
  /** ferry://gateway/<signer> */
  gateway: string;
  state: string;
  reason: string | null;
  /** the transfer was withdrawn here at the request of the gateway before (delivery/withdraw) */
  withdrawn: boolean;
  /** the signer's own part first, then the gateways after it */
  hops: HopView[];
  time: string;
  /** Ended undelivered after its content was handed out to the destination (delivery/handed-out.ts). */
  handed_out?: { count: number; to: string[]; last: string | null };
}

/** The report's handed_out, if it is of the right form (it is signed; its form is still checked). */
export function reportedHandedOut(r: HopReport): HopReport['handed_out'] | null {
  const h = r.handed_out;
  if (!h || typeof h !== 'object' || !Number.isSafeInteger(h.count) || h.count < 1 || !Array.isArray(h.to)) return null;
  // It goes into this gateway's reason and records: principals and a time only, whatever the peer signed (review, 1 Dec).
  if (h.to.some((t) => typeof t !== 'string' || t.length > 200 || parseFerryId(t) === null)) return null;
  const last = typeof h.last === 'string' && h.last.length <= 40 && ISO_TIME.test(h.last) && !Number.isNaN(Date.parse(h.last)) ? h.last : null;
  return { count: h.count, to: h.to.slice(0, 16), last };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function sealReport(r: HopReport, key: KeyObject): string {
  return sealJson(REPORT_CONTEXT, r, key);
}

export type CheckedReport = { ok: true; report: HopReport; receipt: Receipt | null } | { ok: false; why: string };

/** A receipt of `type` for this transfer's content by `gateway`, signed with one of `keys`. */
function receiptOk(r: Receipt | undefined, type: 'accepted' | 'delivered', t: { id: string; sha256: string; size: number }, keys: KeyObject[], gateway?: string): boolean {
  return !!r && typeof r === 'object' && r.type === type && r.transfer === t.id && r.sha256 === t.sha256 && r.size === t.size
    && (gateway === undefined || r.gateway === gateway) && (!keys.length || keys.some((k) => verifyReceipt(r, k)));
}

/** The accepted receipt the next hop answered a relay with, checked with the key held for it. */
export function acceptedReceiptOk(r: Receipt | undefined, t: { id: string; sha256: string; size: number }, next: string, keys: KeyObject[]): boolean {
  return keys.length > 0 && receiptOk(r, 'accepted', t, keys, gatewayId(next));
}

/**
 * The report `sealed` of the next hop `next` about transfer `t`, if it verifies with `keys`
 * and its own receipts do; the hop it talks about is marked verified. A report that
 * says "delivered" must carry the delivered receipt of the last gateway, checked here
 * (the last gateway is the next hop) or by the gateway before it (its hop is marked).
 */
export function checkReport(sealed: unknown, t: { id: string; sha256: string; size: number }, next: string, keys: KeyObject[]): CheckedReport {
  if (!keys.length) return { ok: false, why: `no key is held for ${next}` };
  const o = openJson(REPORT_CONTEXT, sealed, keys, MAX_REPORT_CHARS);
  if (!o.ok) return { ok: false, why: `its signed report ${o.why}` };
  const r = o.value as HopReport;
  const me = gatewayId(next);
  if (!r || typeof r !== 'object' || r.v !== 1 || r.transfer !== t.id || r.gateway !== me || typeof r.state !== 'string'
    || typeof r.withdrawn !== 'boolean' || !Array.isArray(r.hops) || !r.hops.length || r.hops.some((h) => !h || typeof h !== 'object' || typeof h.gateway !== 'string')
    || r.hops[0]!.gateway !== me) {
    return { ok: false, why: 'its signed report is not about this transfer, or lacks a field' };
  }
  const first = r.hops[0]!;
  const rc = first.receipts ?? {};
  if (rc.accepted !== undefined && !receiptOk(rc.accepted, 'accepted', t, keys, me)) return { ok: false, why: `its accepted receipt does not verify with the key held for ${next}` };
  if (rc.delivered !== undefined && !receiptOk(rc.delivered, 'delivered', t, keys, me)) return { ok: false, why: `its delivered receipt does not verify with the key held for ${next}` };
  const hops = [{ ...first, verified: true }, ...r.hops.slice(1)];
  let receipt: Receipt | null = null;
  if (r.state === 'delivered') {
    const last = hops[hops.length - 1]!;
    receipt = last.receipts?.delivered ?? null;
    if (!receipt || last.state !== 'delivered' || last.verified !== true || !receiptOk(receipt, 'delivered', t, [], last.gateway)) {
      return { ok: false, why: 'it says delivered without a delivered receipt of the last gateway that was verified on the way' };
    }
  }
  return { ok: true, report: { ...r, hops }, receipt };
}
