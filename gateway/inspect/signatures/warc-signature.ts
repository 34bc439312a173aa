// A web archive's first record starts with its version line (ISO 28500: `WARC/1.0`, `WARC/1.1`; 0.17 and 0.18
// were drafts written by early crawlers). A leaf, so that the sniffer asks it without the walker's decoders.

export function isWarc(head: Buffer): boolean {
  return /^WARC\/(?:1\.[01]|0\.1[78])\r?\n/.test(head.subarray(0, 12).toString('latin1'));
}
