// Does the sniffed type agree with what the sender declared (content type
// and file-name extension)? Families, not strings: a .docx is a zip, a .csv
// is text, application/octet-stream declares nothing.
import { extensionOf } from '../../protocol/transfer.js';

const TEXT_LIKE = /^(text\/|message\/|application\/(json|xml|javascript|x-yaml|yaml|x-ndjson|csv|sql|x-sh|rtf|x-tex|x-latex|ld\+json|.*\+xml|.*\+json)$)/;

const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-gzip': 'application/gzip',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'application/x-pdf': 'application/pdf',
  'application/x-tar': 'application/x-tar',
  'application/tar': 'application/x-tar',
  'application/x-msdos-program': 'application/x-msdownload',
  'application/vnd.microsoft.portable-executable': 'application/x-msdownload',
  'application/x-dosexec': 'application/x-msdownload',
  'application/xml': 'text/xml',
  'application/x-font-type1': 'font/type1',
  // file-type names MPEG program streams by their system (MPEG-1, MPEG-2); senders declare video/mpeg.
  'video/mp1s': 'video/mpeg',
  'video/mp2p': 'video/mpeg',
  // PEM (RFC 7468) is text: a certificate or key sent as what it is.
  'application/x-pem-file': 'text/plain',
};

// Legacy Office (Word/Excel/PowerPoint 97–2003, Visio, Outlook .msg) is an OLE2
// compound file: file-type calls all of them application/x-cfb.
const CFB_FAMILY = new Set([
  'application/x-cfb',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.visio',
  'application/vnd.ms-outlook',
  'application/vnd.ms-project',
  'application/x-msi',
  'application/vnd.ms-works',
]);

const ZIP_FAMILY = new Set([
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/epub+zip',
  'application/java-archive',
  'application/vnd.android.package-archive',
]);

/** Extension → the type it promises. Extensions not here are not checked. */
const EXTENSIONS: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  exe: 'application/x-msdownload',
  dll: 'application/x-msdownload',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  htm: 'text/html',
  md: 'text/markdown',
  log: 'text/plain',
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

function canon(t: string): string {
  const base = t.split(';')[0]!.trim().toLowerCase();
  return ALIASES[base] ?? base;
}

function isText(t: string): boolean {
  return TEXT_LIKE.test(t) || t === 'text/xml';
}

/** True when content of type `sniffed` may honestly be declared as `declared`. */
export function compatible(declared: string, sniffed: string): boolean {
  const d = canon(declared);
  const s = canon(sniffed);
  if (d === s || d === 'application/octet-stream' || d === '' || d === '*/*') return true;
  if (isText(d) && isText(s)) return true;
  // file-type may see a plain zip where the container is an office document, and the other way round.
  if (ZIP_FAMILY.has(d) && ZIP_FAMILY.has(s) && (d === 'application/zip' || s === 'application/zip')) return true;
  if (CFB_FAMILY.has(d) && s === 'application/x-cfb') return true;
  // Unknown binary sniffed: nothing to contradict a declared binary type with no magic (e.g. application/x-custom).
  if (s === 'application/octet-stream') return !isText(d) && !Object.values(EXTENSIONS).map(canon).includes(d);
  return false;
}

/** The reasons the sniffed type contradicts the declaration, or [] when it agrees. */
export function typeMismatch(sniffed: string, declaredType?: string, filename?: string): string[] {
  const reasons: string[] = [];
  if (declaredType && !compatible(declaredType, sniffed)) reasons.push(`declared ${declaredType.split(';')[0]!.trim()}`);
  const ext = extensionOf(filename);
  const promised = ext ? EXTENSIONS[ext] : undefined;
  if (ext && promised && !compatible(promised, sniffed)) reasons.push(`extension .${ext}`);
  return reasons;
}
