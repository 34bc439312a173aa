import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { GatewayContext } from '../context.js';
import type { TransferRow } from '../queue/transfer-queue.js';
import { openSpool } from '../spool/spool-reader.js';

// A transfer's content, decrypted, wherever it is kept: the spool file its row
// names, or (spool '') the sealed body held in the queue database with the row
// (spool.inline_max; queue/message-store.ts). Every reader of content (push,
// pull, relay to the next gateway) opens it here, so both are read one way.

export function openContent(ctx: GatewayContext, row: Pick<TransferRow, 'id' | 'spool'>): Readable {
  if (row.spool) return openSpool(join(ctx.spoolDir, row.spool), ctx.keys, ctx.sodium);
  // Opened on the first read, as a spool file is: a failure is the stream's error, never a throw here.
  return new Readable({
    read() {
      try {
        const sealed = ctx.queue.messages.body(row.id);
        if (!sealed) throw new Error(`the content of transfer ${row.id} is not in the queue database (settled, or removed)`);
        const body = ctx.messageSeal.open(row.id, sealed);
        if (body.length) this.push(body);
        this.push(null);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
}
