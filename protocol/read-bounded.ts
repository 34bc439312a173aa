// Reading a small answer (a problem document, a JSON reply) from a peer that
// may send more than it should: never more than `limit` bytes held.

export interface BoundedText {
  text: string;
  /** True when the body went past `limit`; it was then destroyed and `text` holds what came before. */
  overflowed: boolean;
}

export async function readBounded(body: AsyncIterable<Buffer> & { destroy?(): void }, limit: number): Promise<BoundedText> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    n += chunk.length;
    if (n > limit) {
      body.destroy?.();
      return { text: Buffer.concat(parts).toString('utf8'), overflowed: true };
    }
    parts.push(chunk);
  }
  return { text: Buffer.concat(parts).toString('utf8'), overflowed: false };
}
