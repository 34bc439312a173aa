// Words of the transfer itself, shared by ingress, queue, forwarder, policy and the client.

export const LABELS = ['public', 'internal', 'sensitive'] as const;
export type Label = (typeof LABELS)[number];

/** Labels a sender may try that mark classified (涉密) content: always refused. */
export const CLASSIFIED_LABELS = ['classified', 'secret', 'confidential', 'top-secret', '秘密', '机密', '機密', '绝密', '絕密', '涉密'] as const;

/** relayed: handed to the next gateway of a route, which now holds it; the outcome comes back from there. */
export const TRANSFER_STATES = ['accepted', 'queued', 'forwarding', 'relayed', 'delivered', 'denied', 'failed', 'expired'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export type TransferKind = 'file' | 'message';

/** `<network>/<system>`; names are lower-case letters, digits, '-' and '_'. */
export const ADDRESS_RE = /^([a-z0-9][a-z0-9_-]{0,62})\/([a-z0-9][a-z0-9_-]{0,62})$/;
export const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface Address {
  network: string;
  system: string;
}

export function parseAddress(s: string): Address | null {
  const m = ADDRESS_RE.exec(s);
  return m ? { network: m[1]!, system: m[2]! } : null;
}

export function formatAddress(a: Address): string {
  return `${a.network}/${a.system}`;
}

/** What a sender says about a transfer, checked, whatever carried it (file headers, a message envelope). */
export interface TransferMeta {
  destination: string;
  label: Label;
  filename?: string;
  contentType?: string;
  declaredSize?: number;
  idempotencyKey?: string;
}

/** The extension of a file name, lower case, without the dot; none for "a", ".a" or "a.". */
export function extensionOf(filename: string | undefined): string | undefined {
  if (!filename) return undefined;
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : undefined;
}
