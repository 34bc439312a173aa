// review14: a memo encoded as a token of every length from 20 to 140 bytes (base64, base64url, base32, hex; alone,
// quoted, in a data: URI, wrapped at 76): which lengths cross. Before review14's fix base64 of 46 and 47 bytes
// (64 characters with padding) crossed everywhere. Run after npm run build: node probes/review14/length-sweep-probe.mjs
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const b32 = (b) => { const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'; let bits = 0, v = 0, o = ''; for (const x of b) { v = (v << 8) | x; bits += 8; while (bits >= 5) { o += A[(v >>> (bits - 5)) & 31]; bits -= 5; } } if (bits) o += A[(v << (5 - bits)) & 31]; while (o.length % 8) o += '='; return o; };
const memo = (n, enc) => { let b = iconv.encode('文件密级：机密★10年，请按时报送。', enc); while (b.length < n) b = Buffer.concat([b, enc === 'utf8' ? Buffer.from(' ') : Buffer.from([0xa1, 0xa3])]); return b.subarray(0, n); };
const forms = {
  b64: (b) => `x ${b.toString('base64')} y\n`,
  b64url: (b) => `x ${b.toString('base64url')} y\n`,
  quoted: (b) => `{"v":"${b.toString('base64')}"}\n`,
  dataUri: (b) => `<img src="data:text/plain;base64,${b.toString('base64')}">\n`,
  wrapped76: (b) => `${b.toString('base64').replace(/(.{76})/g, '$1\n')}\n`,
  b32: (b) => `x ${b32(b)} y\n`,
  hex: (b) => `x ${b.toString('hex')} y\n`,
};
for (const enc of ['utf8', 'gb18030']) {
  for (const [name, f] of Object.entries(forms)) {
    const miss = [];
    for (let n = 32; n <= 140; n++) {
      const b = memo(n, enc);
      if (!iconv.decode(b, enc).includes('机密★10年')) continue;
      const r = await inspectBytes(Buffer.from(f(b)), {}, { filename: 'a.txt', declaredType: 'text/plain' });
      if (!kinds(r.findings).length) miss.push(n);
    }
    console.log(`${enc} ${name}`.padEnd(22), miss.length ? `crosses at ${miss.join(',')} bytes` : 'all refused');
  }
}
process.exit(0);
