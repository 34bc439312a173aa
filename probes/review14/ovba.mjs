// MS-OVBA 2.4.1 compression (the VBA project's dir stream and modules' source), written as the spec's
// pseudocode reads; and its decompression, to check what Office would show.
export function ovbaCompress(src) {
  const out = [1];
  for (let start = 0; start < src.length || start === 0; start += 4096) {
    const end = Math.min(start + 4096, src.length);
    const chunk = [];
    let cur = start;
    while (cur < end) {
      const flagAt = chunk.length; chunk.push(0); let flag = 0;
      for (let k = 0; k < 8 && cur < end; k++) {
        const diff = cur - start;
        const bitCount = Math.max(Math.ceil(Math.log2(diff)), 4);
        const maxLen = (0xffff >> bitCount) + 3;
        let bestLen = 0, bestOff = 0;
        for (let c = cur - 1; c >= start; c--) {
          let l = 0; while (cur + l < end && l < maxLen && src[c + l] === src[cur + l]) l++;
          if (l > bestLen) { bestLen = l; bestOff = cur - c; }
        }
        if (bestLen >= 3) {
          const tok = ((bestOff - 1) << (16 - bitCount)) | (bestLen - 3);
          chunk.push(tok & 0xff, tok >> 8); flag |= 1 << k; cur += bestLen;
        } else { chunk.push(src[cur]); cur++; }
      }
      chunk[flagAt] = flag;
    }
    const size = chunk.length + 2;
    const hdr = ((size - 3) & 0xfff) | (3 << 12) | (1 << 15);
    out.push(hdr & 0xff, hdr >> 8, ...chunk);
    if (src.length === 0) break;
  }
  return Buffer.from(out);
}
export function ovbaDecompress(buf) {
  const out = []; let i = 1;
  while (i < buf.length) {
    const hdr = buf.readUInt16LE(i); i += 2;
    const size = (hdr & 0xfff) + 3; const end = i - 2 + size; const start = out.length;
    if (!(hdr & 0x8000)) { for (let k = 0; k < 4096; k++) out.push(buf[i++]); continue; }
    while (i < end) {
      const flag = buf[i++];
      for (let k = 0; k < 8 && i < end; k++) {
        if (!(flag & (1 << k))) { out.push(buf[i++]); continue; }
        const tok = buf.readUInt16LE(i); i += 2;
        const diff = out.length - start;
        const bitCount = Math.max(Math.ceil(Math.log2(diff)), 4);
        const len = (tok & (0xffff >> bitCount)) + 3; const off = (tok >> (16 - bitCount)) + 1;
        for (let n = 0; n < len; n++) out.push(out[out.length - off]);
      }
    }
  }
  return Buffer.from(out);
}
