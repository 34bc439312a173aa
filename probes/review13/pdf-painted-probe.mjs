// review13: the trigger of the painted reading (PAINTS_HIDDEN over the objects' bytes) against a PDF name written
// with #xx escapes (PDF 32000-1 7.3.5: /PatternT#79pe is /PatternType; pdf.js decodes it and paints the pattern).
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
import { paintedSamples } from '../../dist/test/pdf-painted-fixtures.js';
const same = (b, from, to) => { const s = b.toString('latin1'); if (!s.includes(from)) throw new Error(`no ${from}`); return Buffer.from(s.replace(from, to.padEnd(from.length, ' ')), 'latin1'); };
const [pat, , , , lum, alpha] = paintedSamples();
const cases = {
  'pattern as sampled': pat.body,
  'pattern: /PatternT#79pe 1': same(pat.body, '/Type/Pattern/PatternType 1', '/PatternT#79pe 1'),
  'luminosity as sampled': lum.body,
  'luminosity: /S/Lumin#6Fsity': same(lum.body, '/S/Luminosity', '/S/Lumin#6Fsity'),
  'alpha: /S/Alph#61': same(alpha.body, '/S/Alpha', '/S/Alph#61'),
};
for (const [name, b] of Object.entries(cases)) {
  const r = await inspectBytes(b, {}, { filename: 'notice.pdf', declaredType: 'application/pdf' });
  console.log(name.padEnd(32), JSON.stringify(kinds(r.findings)));
}
process.exit(0);
