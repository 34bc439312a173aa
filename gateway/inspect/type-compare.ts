// Does the sniffed type agree with what the sender declared (content type
// and file-name extension)? Families, not strings: a .docx is a zip, a .csv
// is text, application/octet-stream declares nothing.
import { extensionOf } from '../../protocol/transfer.js';

const TEXT_LIKE = /^(text\/|message\/|multipart\/|image\/svg\+xml$|application\/(json|xml|javascript|x-javascript|ecmascript|x-yaml|yaml|toml|x-ndjson|csv|x-csv|tab-separated-values|sql|x-sh|rtf|x-tex|x-latex|mac-binhex40|ld\+json|.*\+xml|.*\+json)$)/;

/**
 * Names of one type, the first the one the sniffer gives (file-type 21). The
 * other names are those clients declare for it: the aliases of freedesktop's
 * shared-mime-info (/usr/share/mime/aliases), IANA's registered name where
 * file-type gives the x- one (image/vnd.microsoft.icon, application/vnd.sqlite3),
 * and what Windows' registry, old browsers and WPS Office on Kylin/UOS send
 * (application/kswps, application/wps-office.et, image/x-png…; red team, 1 Dec).
 */
const NAMES: string[][] = [
  ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  ['image/png', 'image/x-png'],
  ['image/bmp', 'image/x-ms-bmp', 'image/x-bmp', 'image/ms-bmp'],
  ['image/tiff', 'image/tif', 'image/x-tif', 'image/x-tiff'],
  ['image/x-icon', 'image/vnd.microsoft.icon', 'image/ico', 'image/icon', 'image/x-ico', 'application/ico', 'text/ico'],
  ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  ['audio/mpeg', 'audio/mp3', 'audio/x-mp3', 'audio/x-mpeg', 'audio/x-mpg', 'audio/mpeg3', 'audio/x-mpeg-3'],
  ['audio/flac', 'audio/x-flac'],
  // An .m4a: file-type names it audio/x-m4a (what Chrome declares); IANA's name, which Firefox and Safari declare, is audio/mp4.
  ['audio/mp4', 'audio/x-m4a', 'audio/m4a'],
  ['video/vnd.avi', 'video/x-msvideo', 'video/avi', 'video/msvideo'],
  ['video/matroska', 'video/x-matroska', 'video/mkv', 'audio/x-matroska', 'video/webm', 'audio/webm'],
  // Windows Media (WMV, WMA) is ASF; Windows declares the former names (seventh red team, 1 Dec, G4).
  ['application/vnd.ms-asf', 'video/x-ms-asf', 'audio/x-ms-asf', 'video/x-ms-wmv', 'audio/x-ms-wma', 'video/x-ms-wm', 'video/x-ms-wmx', 'audio/x-ms-wax'],
  // An Ogg stream of any codec (file-type says audio/ogg; codecs=opus for Opus).
  ['audio/ogg', 'application/ogg', 'video/ogg', 'audio/opus', 'audio/vorbis', 'audio/x-vorbis+ogg', 'audio/x-opus+ogg', 'audio/x-ogg', 'video/x-ogg', 'audio/x-flac+ogg', 'video/x-theora+ogg'],
  ['audio/aac', 'audio/x-aac', 'audio/aacp', 'audio/x-hx-aac-adts'],
  ['audio/vnd.dolby.dd-raw', 'audio/ac3', 'audio/x-ac3'],
  // file-type names MPEG program streams by their system (MPEG-1, MPEG-2); senders declare video/mpeg.
  ['video/mpeg', 'video/mp1s', 'video/mp2p'],
  ['application/gzip', 'application/x-gzip', 'application/x-compressed', 'application/x-compressed-tar', 'application/x-gtar-compressed'],
  ['application/x-bzip2', 'application/x-bzip', 'application/bzip2', 'application/x-bzip-compressed-tar'],
  ['application/x-xz', 'application/x-xz-compressed-tar'],
  ['application/zstd', 'application/x-zstd', 'application/x-zstd-compressed-tar'],
  ['application/zip', 'application/x-zip-compressed', 'application/x-zip'],
  ['application/x-rar-compressed', 'application/vnd.rar', 'application/x-rar'],
  ['application/x-tar', 'application/tar', 'application/x-gtar'],
  // ISO 28500's registered type; Heritrix, wget and warcio write .warc and .warc.gz.
  ['application/warc', 'application/x-warc'],
  ['application/pdf', 'application/x-pdf', 'application/acrobat', 'application/nappdf', 'image/pdf'],
  ['application/x-sqlite3', 'application/vnd.sqlite3'],
  ['application/x-msaccess', 'application/vnd.ms-access', 'application/msaccess', 'application/x-ms-access', 'application/mdb', 'application/x-mdb'],
  ['application/x-msdownload', 'application/x-msdos-program', 'application/vnd.microsoft.portable-executable', 'application/x-dosexec'],
  ['application/x-shockwave-flash', 'application/vnd.adobe.flash.movie'],
  ['font/type1', 'application/x-font-type1'],
  ['text/xml', 'application/xml'],
  // PEM (RFC 7468) is text: a certificate or key sent as what it is.
  ['text/plain', 'application/x-pem-file'],
  ['text/csv', 'text/x-csv', 'text/x-comma-separated-values', 'text/comma-separated-values', 'application/csv', 'application/x-csv'],
  // Legacy Office and WPS Office's own formats (.wps/.et/.dps are OLE2 like .doc/.xls/.ppt; templates alike).
  ['application/msword', 'application/x-msword', 'application/vnd.ms-word', 'application/doc', 'application/kswps', 'application/wps-office.wps', 'application/wps-office.wpt', 'application/wps-office.doc', 'application/wps-office.dot', 'zz-application/zz-winassoc-doc'],
  ['application/vnd.ms-excel', 'application/x-msexcel', 'application/msexcel', 'application/excel', 'application/x-excel', 'application/x-ms-excel', 'application/vnd.msexcel', 'application/xls', 'application/kset', 'application/wps-office.et', 'application/wps-office.ett', 'application/wps-office.xls', 'application/wps-office.xlt', 'zz-application/zz-winassoc-xls'],
  ['application/vnd.ms-powerpoint', 'application/mspowerpoint', 'application/x-mspowerpoint', 'application/powerpoint', 'application/ksdps', 'application/wps-office.dps', 'application/wps-office.dpt', 'application/wps-office.ppt', 'application/wps-office.pot'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/wps-office.docx', 'application/vnd.ms-word.document.12'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/wps-office.xlsx', 'application/vnd.ms-excel.12'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/wps-office.pptx', 'application/vnd.ms-powerpoint.12'],
  // OFD (GB/T 33190-2016: e-invoices, official documents): a zip whose root holds OFD.xml.
  ['application/ofd', 'application/x-ofd', 'application/vnd.ofd'],
];

const ALIASES: Record<string, string> = Object.fromEntries(NAMES.flatMap(([canonical, ...names]) => names.map((n) => [n, canonical!])));

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

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml';

/**
 * A legacy Office type declared for its successor: Windows and many clients
 * still send application/msword for a .docx and application/vnd.ms-excel for
 * a .xlsx (the registry's or a server's old table). Word and Excel also save
 * text under those names (HTML, RTF, SpreadsheetML XML, and the registry
 * declares a .csv application/vnd.ms-excel wherever Office or WPS is
 * installed: red team, 1 Dec), so text is theirs too; text is read whole.
 */
const SUCCESSORS: Record<string, { ooxml: string[]; text: boolean }> = {
  'application/msword': { ooxml: [`${DOCX}.document`, `${DOCX}.template`, 'application/vnd.ms-word.document.macroenabled.12', 'application/vnd.ms-word.template.macroenabled.12'], text: true },
  'application/vnd.ms-excel': { ooxml: [`${XLSX}.sheet`, `${XLSX}.template`, 'application/vnd.ms-excel.sheet.macroenabled.12', 'application/vnd.ms-excel.template.macroenabled.12', 'application/vnd.ms-excel.sheet.binary.macroenabled.12'], text: true },
  'application/vnd.ms-powerpoint': { ooxml: [`${PPTX}.presentation`, `${PPTX}.slideshow`, `${PPTX}.template`, 'application/vnd.ms-powerpoint.presentation.macroenabled.12', 'application/vnd.ms-powerpoint.slideshow.macroenabled.12', 'application/vnd.ms-powerpoint.template.macroenabled.12'], text: false },
};

const ZIP_FAMILY = new Set([
  'application/zip',
  'application/ofd',
  'application/epub+zip',
  'application/java-archive',
  'application/vnd.android.package-archive',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  ...Object.values(SUCCESSORS).flatMap((s) => s.ooxml),
  // Other formats that are a zip of parts (ninth red team, F6: refused type-mismatch when declared as what they
  // are, the sniffer saying application/zip; their parts are walked as any zip's): XPS and OpenXPS (ECMA-388),
  // Visio's OPC drawings, stencils and templates, iWork (Pages, Numbers, Keynote; their types as Apple's and as
  // shared-mime-info name them), XMind, KMZ (Google Earth), ODF's drawings, formulas and templates, 3MF.
  'application/vnd.ms-xpsdocument',
  'application/oxps',
  'application/vnd.ms-visio.drawing.main+xml',
  'application/vnd.ms-visio.drawing.macroenabled.main+xml',
  'application/vnd.ms-visio.stencil.main+xml',
  'application/vnd.ms-visio.stencil.macroenabled.main+xml',
  'application/vnd.ms-visio.template.main+xml',
  'application/vnd.ms-visio.template.macroenabled.main+xml',
  'application/vnd.apple.pages',
  'application/vnd.apple.numbers',
  'application/vnd.apple.keynote',
  'application/x-iwork-pages-sffpages',
  'application/x-iwork-numbers-sffnumbers',
  'application/x-iwork-keynote-sffkey',
  'application/vnd.xmind.workbook',
  'application/x-xmind',
  'application/vnd.google-earth.kmz',
  'application/vnd.oasis.opendocument.graphics',
  'application/vnd.oasis.opendocument.formula',
  'application/vnd.oasis.opendocument.text-template',
  'application/vnd.oasis.opendocument.spreadsheet-template',
  'application/vnd.oasis.opendocument.presentation-template',
  'application/vnd.oasis.opendocument.graphics-template',
  'model/3mf',
]);

/** What Python's mimetypes and file managers declare for a .tar.gz, .tar.bz2, .tar.xz, .tar.zst: the tar inside (the compression is an encoding apart). */
const COMPRESSIONS = new Set(['application/gzip', 'application/x-bzip2', 'application/x-xz', 'application/zstd', 'application/x-compress', 'application/x-lzip']);

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
  ofd: 'application/ofd',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  warc: 'application/warc',
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

/**
 * OpenPGP's types. file-type names an ASCII-armoured message (`-----BEGIN PGP MESSAGE-----`, RFC 4880 §6.2)
 * application/pgp-encrypted whether it is encrypted or only signed; the armour is text, and a `.asc` is sent
 * as text/plain (ninth red team: a signed `.asc` declared text/plain was refused type-mismatch) or as any of
 * these. What it holds is read as before (openpgp-packets.ts): an encrypted packet is still uninspectable.
 */
const OPENPGP = new Set(['application/pgp-encrypted', 'application/pgp-signature', 'application/pgp-keys', 'application/pgp']);

/** True when content of type `sniffed` may honestly be declared as `declared`. */
export function compatible(declared: string, sniffed: string): boolean {
  const d = canon(declared);
  const s = canon(sniffed);
  if (d === s || d === 'application/octet-stream' || d === '' || d === '*/*') return true;
  if (isText(d) && isText(s)) return true;
  if ((OPENPGP.has(s) && (isText(d) || OPENPGP.has(d))) || (OPENPGP.has(d) && isText(s))) return true;
  // file-type may see a plain zip where the container is an office document, and the other way round.
  if (ZIP_FAMILY.has(d) && ZIP_FAMILY.has(s) && (d === 'application/zip' || s === 'application/zip')) return true;
  if (CFB_FAMILY.has(d) && s === 'application/x-cfb') return true;
  const legacy = SUCCESSORS[d];
  if (legacy && (legacy.ooxml.includes(s) || s === 'application/zip' || (legacy.text && isText(s)))) return true;
  // A .tar.gz declared as the tar it holds; a .warc.gz (a gzip member per record) as the web archive it holds.
  if ((d === 'application/x-tar' || d === 'application/warc') && COMPRESSIONS.has(s)) return true;
  // An .m4a's audio is AAC: declared by what it holds, not by its box (browsers and players say audio/aac).
  if (d === 'audio/aac' && s === 'audio/mp4') return true;
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

/**
 * An AppleDouble file (RFC 1740: magic 00 05 16 07): what macOS writes beside a file whose extended attributes
 * or resource fork a zip or a non-Mac disk cannot hold, named `._` and the file's own name, extension and all
 * (Finder's "Compress" puts one under `__MACOSX/` for every downloaded file). Its extension is the other file's,
 * so it promises nothing about this one's type (seventh red team, 1 Dec, G10: a Mac user's zip of documents was
 * refused type-mismatch). Its bytes are inspected as any content's.
 */
export function isAppleDouble(filename: string | undefined, head: Buffer): boolean {
  const base = filename?.slice(filename.lastIndexOf('/') + 1) ?? '';
  return base.startsWith('._') && head.length >= 4 && head.readUInt32BE(0) === 0x00051607;
}
