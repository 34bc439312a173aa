// Issue 14 end to end: every disguised sample of the evasion classes is
// refused by a real gateway with the default policy, with the finding named
// in the answer; ordinary office documents cross with no finding. The clean
// corpus is gateway-evasions-clean.test.ts; the stall test is gateway-inspect-stall.test.ts.
import t from 'tap';
import type { Test } from 'tap';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { evasionSamples } from './evasion-fixtures.js';
import { variantSamples } from './variant-fixtures.js';
import { deepNestingSamples, shownPdfSamples, shownSamples } from './markup-fixtures.js';
import { ID } from './evasion-fixtures.js';
import { radixSamples } from './radix-fixtures.js';
import { invisibleSamples } from './invisible-fixtures.js';
import { gbkMojibakeSamples } from './gbk-mojibake-fixtures.js';
import { numberSamples } from './number-fixtures.js';
import { mediaShapeSamples } from './media-fixtures.js';
import { mediaWalkSamples } from './media-walk-fixtures.js';
import { controlTextSamples } from './control-text-fixtures.js';
import { big5MojibakeSamples } from './big5-mojibake-fixtures.js';
import { textTailSamples } from './text-tail-fixtures.js';
import { viewsSamples } from './views-fixtures.js';
import { cjkCMapSamples, filterSamples } from './pdf-filter-fixtures.js';
import { declaredTypeSamples, formSamples, lookalikeSamples } from './fpfix-fixtures.js';
import { officeSamples } from './office-fixtures.js';
import { archiveFpSamples } from './archive-fp-fixtures.js';
import { binhexSamples } from './binhex-fixtures.js';
import { containerSamples } from './container-fixtures.js';
import { tnefSamples } from './tnef-fixtures.js';
import { recordSamples } from './records-fixtures.js';
import { labelPairSamples } from './label-pairs-fixtures.js';
import { letterSplitSamples } from './letter-splits-fixtures.js';
import { verticalSamples } from './vertical-fixtures.js';
import { markdownLinkSamples } from './markdown-link-fixtures.js';
import { hostedZipSamples } from './hosted-zip-fixtures.js';
import { tableCellSamples } from './table-cell-fixtures.js';
import { amountFormSamples } from './amount-form-fixtures.js';
import { headingLevelSamples } from './heading-level-fixtures.js';
import { odttfSamples } from './odttf-fixtures.js';
import { derTextSamples } from './der-text-fixtures.js';
import { accessSamples, xlsbSamples } from './xlsb-fixtures.js';
import { numberFormatSamples, sheetRowsSamples } from './sheet-rows-fixtures.js';
import { wordFormSamples } from './word-form-fixtures.js';
import { wordFieldSamples } from './word-field-fixtures.js';
import { markupFormSamples, pdfFormSamples } from './form-control-fixtures.js';
import { excelHeaderSamples } from './excel-header-fixtures.js';
import { escapeRunSamples } from './escape-run-fixtures.js';
import { topLevelSamples } from './top-level-fixtures.js';
import { openPgpSamples } from './openpgp-fixtures.js';
import { walSamples } from './sqlite-wal-fixtures.js';
import { dingbatSamples } from './digit-dingbat-fixtures.js';
import { yencSamples } from './yenc-fixtures.js';
import { latexSamples } from './latex-fixtures.js';
import { paintedSamples } from './pdf-painted-fixtures.js';
import { gitPatchSamples } from './git-patch-fixtures.js';
import { ofdSamples } from './ofd-fixtures.js';
import { bracketHeaderSamples, ebcdicSamples, iccSplitSamples, pstSamples, signedByteSamples, signedFileSamples } from './bytes-misc-fixtures.js';

// Hundreds of uploads one after another: past tap's 300 s beside CI's other test files.
t.setTimeout(900_000);

t.test('the default policy refuses every evasion class', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  // A subtest makes its samples (gpg, xz, pdf-lib…) between two uploads, in this process, which also runs the
  // gateway: past the gateway's 5 s keep-alive under load, the next upload went out on the connection the gateway
  // was closing and read ECONNRESET. An upload after a pause starts on a connection of its own.
  let sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  let lastAnswer = Date.now();
  const send = async (body: Buffer, name: string, type: string) => {
    if (Date.now() - lastAnswer > 1000) sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
    const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': encodeURIComponent(name), 'content-type': type, 'content-length': String(body.length) });
    lastAnswer = Date.now();
    return r;
  };
  // Each sample refused, its finding named in the answer.
  const refusedAll = async (t: Test, samples: Iterable<{ body: Buffer; filename: string; type: string; name: string; expect: string }>): Promise<void> => {
    for (const s of samples) {
      const r = await send(s.body, s.filename, s.type);
      t.equal(r.status, 422, `${s.name}: refused`);
      const findings = (r.json.findings ?? []) as Array<{ kind: string }>;
      t.ok(findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} named in the answer (${findings.map((f) => f.kind).join(', ')}; rule ${String(r.json.rule)})`);
    }
  };

  await refusedAll(t, evasionSamples());

  // Issue 14, fourth review: variants of the classes, one subtest per class, on the same gateway.
  const variants = [...variantSamples(), ...numberSamples()];
  for (const cls of new Set(variants.map((v) => v.cls))) {
    await t.test(`variants: ${cls}`, async (t) => {
      await refusedAll(t, variants.filter((v) => v.cls === cls));
    });
  }

  // Second red team: markup read as shown (a few of each way; all are in inspect-markup), and nesting past the bounds.
  await t.test('markup as shown, PDF in device space, nesting past the bounds', async (t) => {
    const pick = /class in <style>|color:transparent|float: right|flex order by class|w:moveFrom|w:sz|MID|transparent digits|cm, font not loaded|mirrored \(Tm/;
    const shown = [...shownSamples(), ...shownPdfSamples(ID)].filter((s) => pick.test(s.name));
    t.ok(shown.length >= 10, `${shown.length} samples picked`);
    for (const s of shown) {
      const r = await send(s.body, s.filename, s.type);
      const expect = /identity number/.test(s.name) ? 'personal-data' : 'classified-marking';
      t.equal(r.status, 422, `${s.name}: refused`);
      const findings = (r.json.findings ?? []) as Array<{ kind: string }>;
      t.ok(findings.some((f) => f.kind === expect), `${s.name}: ${expect} named in the answer (${findings.map((f) => f.kind).join(', ')})`);
    }
    for (const s of deepNestingSamples()) {
      const r = await send(s.body, s.filename, s.type);
      t.equal(r.status, 422, `${s.name}: refused`);
      const findings = (r.json.findings ?? []) as Array<{ kind: string; subkind?: string }>;
      t.ok(findings.some((f) => f.kind === 'inspection-limit'), `${s.name}: inspection-limit named (${findings.map((f) => `${f.kind}:${f.subkind ?? ''}`).join(', ')})`);
    }
  });


  // The second red team's radixes and notations (inspect-notations.test.ts has them all): one of each family here.
  const picked = /^(Z85 of a marking|base62 \(base-x|base36, upper case|Ascii85 without <~|base58 of zlib|Excel UNICHAR|VB ChrW|mojibake: GBK|mojibake: UTF-8 read as cp1252 twice|Punycode of a marking|IMAP modified UTF-7 of an id number inside|zlib after a GIF|bare deflate in a private PNG)/;
  await t.test('variants: second red team, radixes and notations', async (t) => {
    await refusedAll(t, radixSamples().filter((x) => picked.test(x.name)));
  });

  // The third red team's blanks and invisibles between a marking's characters, and a marking after '[' (inspect-invisible.test.ts has them all).
  const invisiblePick = /^(1,000 U\+2800|40 musical|40 ESC|ten SGR|40 C1|\[机密★10年\]|【机密★10年】)/;
  await t.test('variants: third red team, invisible separators and brackets', async (t) => {
    // And UTF-8 read as GBK (inspect-gbk-mojibake.test.ts has them all).
    const mojibake = gbkMojibakeSamples().filter((x) => /saved in (UTF-8|GBK): a star marking in a notice|twice/.test(x.name));
    const samples = [...invisibleSamples().filter((x) => invisiblePick.test(x.name)), ...mojibake];
    t.ok(samples.length >= 10, `${samples.length} samples picked`);
    await refusedAll(t, samples);
  });
  // Found 1 Dec: a text head, then regions that are not text (inspect-text-tail.test.ts has them all).
  await t.test('variants: a text head, then encrypted or compressed bytes', async (t) => {
    await refusedAll(t, textTailSamples());
  });
  // Found 1 Dec (b): decoded views cut short or missing (inspect-views.test.ts has them all): one or two of each.
  await t.test('variants: unpadded base64 at the end, JSON in JSON, after gzip, GBK and Big5 names, XMP, GIF comments, DTD entities, attributes', async (t) => {
    const pick = /^(unpadded base64, a line break|a chain of seven|percent, base64, gzip|base64url of an id number six|a log line whose message|gzip, one zero byte|tar\.gz, 64 zero|zip member named 机密|tar member named|JPEG: XMP description|JPEG: XMP rights|GIF: a comment in 255-byte sub-blocks, the marking across a boundary \(\+1\)|XML: DTD entities in an attribute|XML: a billion laughs|JPEG: ExtendedXMP, the marking|zip member named 機密|XML: one character an attribute)/;
    const samples = viewsSamples().filter((x) => pick.test(x.name));
    t.ok(samples.length >= 16, `${samples.length} samples picked`);
    for (const s of samples) {
      const r = await send(s.body, s.filename, s.type);
      t.equal(r.status, 422, `${s.cls} / ${s.name}: refused`);
      const findings = (r.json.findings ?? []) as Array<{ kind: string }>;
      t.ok(findings.some((f) => f.kind === s.expect), `${s.cls} / ${s.name}: ${s.expect} named in the answer (${findings.map((f) => f.kind).join(', ')}; rule ${String(r.json.rule)})`);
    }
  });
  // Red team of 1 December, PDF (inspect-pdf-filters.test.ts has them all): standard CJK fonts through predefined
  // CMaps, streams behind filters other than Flate or behind a predictor, a filter not decoded (a finding).
  await t.test('variants: PDF through predefined CMaps and behind other filters', async (t) => {
    const samples = [
      ...cjkCMapSamples().filter((x) => /UniGB-UCS2-H|GBK-EUC-H|ETen-B5-H|-V$/.test(x.name)),
      ...filterSamples().filter((x) => /embedded file, (LZW|ASCIIHex then LZW|Flate with the PNG Up)|stream, Flate with the TIFF|XMP|object stream|Crypt/.test(x.name)),
    ];
    t.ok(samples.length >= 12, `${samples.length} samples picked`);
    await refusedAll(t, samples);
  });

  // The third red team's "still open" (inspect-media-shape, inspect-control-text, inspect-big5-mojibake have them all):
  // encrypted bytes behind a short media signature, text apart by controls, short UTF-16 of U+2800, UTF-8 read as Big5.
  await t.test('variants: media past its signature, controls, UTF-8 read as Big5', async (t) => {
    const samples = [
      ...mediaShapeSamples().filter((x) => /behind (BM|FF FB|0B 77|FF F1|an icon directory|a TrueType header|a WOFF2 header)[^,]*$|behind BM .*in base64|behind FF FB .*in hex|after a real (bitmap|font)|between MP3 frames|behind 0B \(a deflate/.test(x.name)),
      ...controlTextSamples().filter((x) => /40 DEL|DEL and C1|40 NEL, 密★10年, declared|UTF-16LE file of U\+2800, declared/.test(x.name)),
      ...big5MojibakeSamples().filter((x) => /after "a"|JSON|CSV/.test(x.name)),
      // Walked since 1 December (inspect-media-walk has them all): TIFF, program streams, Lyrics3, RIFF, Ogg.
      ...mediaWalkSamples().filter((x) => /after a real TIFF, declared|Pillow-layout|after an MPEG-2 program stream|Lyrics3 v2 field|after a WAV$|after an Ogg stream/.test(x.name)),
    ];
    t.ok(samples.length >= 20, `${samples.length} samples picked`);
    await refusedAll(t, samples);
  });
  // Fourth-session red team (1 Dec b): declared types of ordinary files and the forms that list the levels (inspect-declared-types, inspect-forms have them all).
  await t.test('variants: declared types, forms and look-alikes', async (t) => {
    const lookalikes = lookalikeSamples().filter((x) => /[✦✱❋🌟] for|N12|N21: a (name in #U|member)/u.test(x.name));
    await refusedAll(t, [...declaredTypeSamples(), ...formSamples().filter((x) => /\(☑\)|\(\[x\]\)|口 boxes|Wingdings 2|single level/.test(x.name)), ...lookalikes]);
  });
  // Fifth red team: office content that is not text in the file (numeric cells, compressed RTF, ...).
  await t.test('variants: office content that is not text in the file', async (t) => {
    await refusedAll(t, officeSamples());
  });
  // Fourth red team (1 Dec) and the 1 Dec (c) G1 forms: a zip inside another file's bytes ends at its end record, and is still walked.
  await t.test('variants: zips behind a prefix, signed APKs, zips written to a pipe, BinHex, zips inside a .msg/.doc/PDF/DataMashup, table look-alikes read together (G2)', async (t) => {
    await refusedAll(t, [...archiveFpSamples(), ...binhexSamples(), ...hostedZipSamples(), ...tableCellSamples(), ...amountFormSamples(), ...headingLevelSamples(), ...odttfSamples()]);
  });
  // Media containers walked (1 Dec): ISO BMFF boxes and samples, metadata read, ID3v2 frames decompressed (inspect-containers has them all).
  await t.test('variants: media containers, compressed ID3v2 frames, TNEF', async (t) => {
    await refusedAll(t, [...containerSamples(), ...tnefSamples()]);
  });
  // Seventh red team (1 Dec): text in clear inside DER (R27: certificates, CMS signed-data, records); an id one digit an xlsx cell (R3);
  // a level chosen by a Word legacy form field (R2); a marking in an Excel header split by a formatting code (R25); Word
  // and RTF fields shown as Word shows them (R2 as RTF, R11 REF/DOCVARIABLE, R23 RTF SYMBOL/QUOTE, R24 带圈字符 EQ).
  await t.test('variants: text inside DER, xlsx digit boxes, Word form fields, Excel headers, Word and RTF fields', async (t) => {
    await refusedAll(t, [...derTextSamples(), ...sheetRowsSamples(), ...numberFormatSamples(), ...xlsbSamples(), ...accessSamples(), ...wordFormSamples(), ...excelHeaderSamples(), ...wordFieldSamples(), ...pdfFormSamples(), ...markupFormSamples()]);
  });
  // Eighth red team (1 Dec d): references without ';' (W7), quoted-printable in lower case (W8), rsyslog's #ooo bytes (W5),
  // a mobile half in Chinese numerals and half in digits (W10).
  await t.test('variants: references without ;, lower-case quoted-printable, rsyslog #ooo, mixed numerals', async (t) => {
    await refusedAll(t, escapeRunSamples());
  });
  // Seventh red team (1 Dec), the rest on bytes and headers (inspect-bytes-misc has them all): a level in other brackets
  // as a header line (R16), UTF-8 as Java's signed bytes (R20), a JPEG's ICC profile cut over APP2 chunks (R17), EBCDIC (R18),
  // a signed .p7m whose content is a file (R27), Outlook PST with compressible encryption (R12).
  await t.test('variants: a level in other brackets as a header line, Java signed bytes, ICC chunks, EBCDIC, signed files, PST', async (t) => {
    await refusedAll(t, [...bracketHeaderSamples(), ...signedByteSamples(), ...iccSplitSamples(), ...ebcdicSamples(), ...signedFileSamples(), ...pstSamples()]);
  });
  // Ninth red team (2 Dec; inspect-top-level and the others of ways9 have them all): a level alone as a document's top line (W5).
  await t.test('variants: ninth red team (a level alone as the top line, OpenPGP, SQLite -wal, dingbat digits, yEnc)', async (t) => {
    await refusedAll(t, [...topLevelSamples(), ...openPgpSamples(), ...walSamples(), ...dingbatSamples(), ...yencSamples()]);
  });
  // Ninth red team's rest and the seventh's R9, R10 (2 Dec; inspect-latex, -git-patch, -ofd-order, -pdf-painted have them all).
  await t.test('variants: LaTeX as typeset, git binary patches, OFD in drawing order, PDF patterns and soft masks', async (t) => {
    await refusedAll(t, [...latexSamples(), ...gitPatchSamples(), ...ofdSamples(ID), ...paintedSamples()]);
  });
  // Issue 14, 1 Dec: records past their pages (SQLite overflow), rows and cells multiplied (SQLite, xls).
  await t.test('variants: records past their pages, rows multiplied', async (t) => {
    await refusedAll(t, recordSamples());
  });
  // Red team of 1 Dec b, N22, N27, N17's 宓 (inspect-label-pairs, inspect-letter-splits have them all): a 密级 key and its
  // value apart (a custom property, a meta, a PDF info key, a register's column in CSV, Word and xlsx), letters between
  // a marking's characters beside its punctuation, 宓 for 密; N16, text written vertically (inspect-vertical); N13, Markdown
  // link texts (inspect-markdown-links).
  await t.test('variants: a 密级 key and its value apart, letters between the characters, 宓, vertical text, link texts', async (t) => {
    const pick = /docx custom property 密级 = 机密|HTML meta, content before|JSON name|PDF document info \/密级|CSV register, 密级 column|CSV register in GBK|Word table register|HTML table register|xlsx register, 密级 column|Markdown table/;
    const samples = [...labelPairSamples().filter((x) => pick.test(x.name)), ...letterSplitSamples(), ...verticalSamples(), ...markdownLinkSamples()];
    t.ok(samples.length >= 26, `${samples.length} samples picked`);
    await refusedAll(t, samples);
  });
});
