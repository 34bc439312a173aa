// Sending each new checkpoint to a witness, in the body shape of C2SP
// tlog-witness add-checkpoint: "old <size>", the consistency proof hashes in
// base64 one per line, a blank line, then the signed checkpoint.
import { request } from 'undici';

export function witnessBody(oldSize: number, proof: Buffer[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => h.toString('base64') + '\n').join('')}\n${note}`;
}

/** POST the body; resolves with the HTTP status, rejects on network failure or timeout. */
export async function postToWitness(url: string, body: string, timeoutMs = 10_000): Promise<number> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  await res.body.dump();
  return res.statusCode;
}
