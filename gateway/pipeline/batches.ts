// Gathers the body's pieces into batches of BATCH_BYTES before the pass hands
// them on. A TLS socket delivers a body in 16 KiB records, and every piece
// used to cost the pass an await, a hash update, a message to the inspection
// worker and its answer: 65,536 of each per GiB. The inspection worker spent
// about 15% of its time posting answers (bench:file-relay profile, 1 GiB);
// in batches of 256 KiB that is 4,096 messages each way. Each batch is a
// buffer of its own (not a view into a shared pool), so a consumer may keep it.

export const BATCH_BYTES = 256 * 1024;

/**
 * Yields the bytes of `body` in order, in buffers of BATCH_BYTES (the last
 * one shorter). `onPiece` sees each piece as it arrives, so a limit on the
 * size is enforced on what came, not on what was batched. `first`: the size
 * of the first batch, when the body's length is known and smaller (a 1 KiB
 * message took a 256 KiB buffer, an mmap and a munmap each, and the garbage
 * collector ran on their account: bench:messages, issue #15).
 */
export async function* batches(body: AsyncIterable<Buffer>, onPiece: (piece: Buffer) => void, size = BATCH_BYTES, first = size): AsyncGenerator<Buffer> {
  let batch: Buffer | null = null;
  let fill = 0;
  let next = Math.max(1, Math.min(size, first));
  for await (const piece of body) {
    onPiece(piece);
    let off = 0;
    while (off < piece.length) {
      if (!batch) {
        batch = Buffer.allocUnsafeSlow(next);
        next = size;
      }
      const n = piece.copy(batch, fill, off);
      fill += n;
      off += n;
      if (fill === batch.length) {
        yield batch;
        batch = null;
        fill = 0;
      }
    }
  }
  if (fill > 0) yield batch!.subarray(0, fill);
}
