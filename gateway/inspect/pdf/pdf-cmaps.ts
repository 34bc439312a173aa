import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The predefined CMaps of PDF (ISO 32000-1 §9.7.5.2: UniGB-UCS2-H, GBK-EUC-H,
// ETen-B5-H, their vertical -V forms…) are not in the file: a reader brings
// them. A standard CJK font written through one (reportlab's
// UnicodeCIDFont('STSong-Light'), iText's STSong-Light with UniGB-UCS2-H, many
// report servers) has no ToUnicode map, and without the CMap pdf.js loads it
// as an error font and the page's text is lost (red team of 1 December, N4). pdfjs-dist
// ships them packed (cmaps/*.bcmap); they are read from that folder, never
// from the network. A CMap pdf.js asks for and that cannot be read is
// remembered, and the caller reports it: text in that font was not read.

const require = createRequire(import.meta.url);
const CMAPS = join(dirname(require.resolve('pdfjs-dist/package.json')), 'cmaps');
/** A CMap name as pdf.js asks for it: letters, digits and dashes (no path). */
const NAME = /^[A-Za-z0-9-]{1,64}\.bcmap$/;

/** pdf.js's BinaryDataFactory interface, for one document: CMaps from the package; nothing else. */
export class PackagedCMaps {
  readonly missing = new Set<string>();

  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    if (kind !== 'cMapUrl') throw new Error(`${kind} data is not loaded`);
    try {
      if (!NAME.test(filename)) throw new Error('not a CMap name');
      return new Uint8Array(await readFile(join(CMAPS, filename)));
    } catch (e) {
      this.missing.add(filename.replace(/\.bcmap$/, ''));
      throw e;
    }
  }
}

/** getDocument's options for packaged CMaps read through `factory`. */
export function cmapOptions(factory: PackagedCMaps): Record<string, unknown> {
  // cMapUrl only has to be set (pdf.js asks for CMaps only if it is); the factory reads from CMAPS.
  return { cMapUrl: 'ferry-cmaps/', cMapPacked: true, useWorkerFetch: false, BinaryDataFactory: class { fetch = (a: { kind: string; filename: string }) => factory.fetch(a); } };
}
