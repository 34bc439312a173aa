// A .docx with an embedded font (Word's "embed fonts": word/fonts/font1.odttf, its first 32 bytes XORed with a
// GUID; red team 1 Dec (c) G5): restored and read as a font, its glyph bytes are no text.
import { randomUUID } from 'node:crypto';
import { zip } from './inspect-fixtures.js';
import { fontWith } from './media-walk-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function obfuscate(font: Buffer): { guid: string; data: Buffer } {
  const guid = randomUUID().toUpperCase();
  const key = Buffer.from(guid.replace(/-/g, ''), 'hex').reverse();
  const data = Buffer.from(font);
  for (let i = 0; i < 32; i++) data[i] = data[i]! ^ key[i % 16]!;
  return { guid, data };
}

function docxWithFont(font: Buffer): Buffer {
  const { guid, data } = obfuscate(font);
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
    { name: 'word/document.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>关于2026年工作安排的通知</w:t></w:r></w:p></w:body></w:document>') },
    { name: 'word/fonts/font1.odttf', data },
    { name: 'word/fontTable.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:font w:name="Example Sans"><w:embedRegular r:id="rId1" w:fontKey="{${guid}}"/></w:font></w:fonts>`) },
  ]);
}

/** Glyph bytes that read as a mobile number and an id when taken for text. */
const GLYF = Buffer.from(' 13812345678 17112342832 ');

export function odttfCleanSamples(): Sample[] {
  return [{ name: 'docx with an embedded (obfuscated) font whose glyph bytes read as mobiles', filename: 'notice.docx', type: DOCX, body: docxWithFont(fontWith(GLYF, 'Example Sans')), expect: '' }];
}

export function odttfSamples(): Sample[] {
  return [
    { name: 'docx with an embedded font whose name table holds a marking', filename: 'notice.docx', type: DOCX, body: docxWithFont(fontWith(GLYF, '机密★10年 Example Sans')), expect: 'classified-marking' },
    { name: 'docx with a "font" .odttf that is text', filename: 'notice.docx', type: DOCX, body: docxWithFont(Buffer.from('会议纪要\n机密★10年\n'.repeat(10))), expect: 'classified-marking' },
  ];
}
