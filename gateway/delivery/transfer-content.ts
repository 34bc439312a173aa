import { Readable } from 'node:stream';
import type { GatewayContext } from '../context.js';
import type { Transfer } from '../store/transfer-store.js';

// A transfer's content, decrypted, wherever it is kept: the spool file its row
// names, or (spool '') the sealed body held in the queue database with the row
// (spool.inline_max; store/sqlite/message-store.ts). Every reader of content (push,
// pull, relay to the next gateway) opens it here, so both are read one way.

export function openContent(ctx: GatewayContext, row: Pick<Transfer, 'id' | 'spool'>): Readable {
  if (row.spool) return ctx.spool.open(row.spool);
  // Opened on the first read, as a spool file is: a failure is the stream's error, never a throw here.
  return new Readable({
    read() {
      ctx.queue.messages.body(row.id)
        .then((sealed) => {
          if (!sealed) throw new Error(`the content of transfer ${row.id} is not in the queue database (settled, or removed)`);
          return ctx.messageSeal.open(row.id, sealed);
        })
        .then((body) => {
          if (body.length) this.push(body);
          this.push(null);
        }, (err: unknown) => this.destroy(err as Error));
    },
  });
}
