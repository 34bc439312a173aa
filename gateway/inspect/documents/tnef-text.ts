import { HeldDocument } from '../context/held-bytes.js';
import type { InspectContext } from '../context/inspect-context.js';
import { isCompressedRtf, lzfuDecompress } from './lzfu.js';
import type { Member } from '../context/member.js';

// TNEF (`winmail.dat`, application/ms-tnef; MS-OXTNEF): what Outlook sends
// when it wraps a message's rich body and attachments for another mail
// system. A signature (78 9F 3E 22), a key, then attributes one after
// another to the end: a level (message or attachment), an ID, a length,
// the data, a checksum. Read at the end, the whole held (MAX_TNEF):
//   attachments  attAttachData (and a rendering's metafile) as files
//   body         attBody (8-bit text) as content of its own
//   properties   attMsgProps and attAttachment, MAPI property lists:
//                UTF-16 strings as one text view, 8-bit strings as content
//                (in whatever code page the sniffer finds), binary values as
//                content (PR_ATTACH_DATA_BIN, an attachment itself; an
//                embedded message), PR_RTF_COMPRESSED decompressed (lzfu.ts)
//                and read as RTF
// Other attributes (dates, the subject, the message class) are short and
// read with the raw bytes. TNEF is not judged by entropy as a whole (its
// attachments are compressed files, each judged by its own inspector): an
// attribute or a property list that does not parse, or bytes after the last
// attribute, make it `uninspectable` (what was not parsed was not read).

export const MAX_TNEF = 64 * 1024 * 1024;
const SIGNATURE = 0x223e9f78;
const ATT_BODY = 0x0002800c;
const ATT_ATTACH_DATA = 0x0006800f;
const ATT_ATTACH_TITLE = 0x00018010;
const ATT_ATTACH_METAFILE = 0x00068011;
const ATT_MSG_PROPS = 0x00069003;
const ATT_ATTACHMENT = 0x00069005;
const MAX_PROPS = 65536;

/** Bytes of a fixed-size MAPI property value as TNEF writes it (padded to 4), by type. */
const FIXED: Record<number, number> = { 0x0001: 4, 0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000a: 4, 0x000b: 4, 0x0014: 8, 0x0040: 8, 0x0048: 16 };
const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const PR_RTF_COMPRESSED = 0x1009;

export function isTnef(head: Uint8Array): boolean {
  return head.length >= 6 && (head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24)) >>> 0 === SIGNATURE;
}

interface Found {
  name: string;
  kind: 'view' | 'content';
  bytes: Buffer;
}

/** A MAPI property list: what to read from it, or why it does not parse. */
/** Bytes the compressed RTF of one message may still decompress to, across all its property lists (review 7: MAX_TNEF each, all held). */
interface RtfBudget {
  left: number;
}

function mapiProps(b: Buffer, where: string, found: Found[], texts: string[], strings8: Buffer[], budget: RtfBudget): string {
  if (b.length < 4) return `${where}: a property list cut short`;
  const count = b.readUInt32LE(0);
  if (count > MAX_PROPS) return `${where}: ${count} properties`;
  let p = 4;
  const need = (n: number): boolean => p + n <= b.length;
  for (let i = 0; i < count; i++) {
    if (!need(4)) return `${where}: property ${i} cut short`;
    const type = b.readUInt16LE(p);
    const id = b.readUInt16LE(p + 2);
    p += 4;
    if (id >= 0x8000) {
      if (!need(20)) return `${where}: a named property cut short`;
      const kind = b.readUInt32LE(p + 16);
      p += 20;
      if (kind === 0) p += 4;
      else if (kind === 1) {
        if (!need(4)) return `${where}: a property name cut short`;
        const n = b.readUInt32LE(p);
        if (!need(4 + n)) return `${where}: a property name cut short`;
        texts.push(b.subarray(p + 4, p + 4 + n).toString('utf16le').replace(/\0+$/, ''));
        p += 4 + ((n + 3) & ~3);
      } else return `${where}: a named property of kind ${kind}`;
    }
    const base = type & 0x0fff;
    const multi = (type & 0x1000) !== 0;
    const fixed = FIXED[base];
    if (fixed !== undefined && !multi) {
      if (!need(fixed)) return `${where}: a value cut short`;
      p += fixed;
      continue;
    }
    if (fixed === undefined && base !== PT_STRING8 && base !== PT_UNICODE && base !== PT_BINARY && base !== PT_OBJECT) return `${where}: a property of type ${type.toString(16)}`;
    if (!need(4)) return `${where}: a value count cut short`;
    const values = b.readUInt32LE(p);
    p += 4;
    if (values > MAX_PROPS) return `${where}: ${values} values`;
    for (let v = 0; v < values; v++) {
      if (fixed !== undefined) {
        if (!need(fixed)) return `${where}: a value cut short`;
        p += fixed;
        continue;
      }
      if (!need(4)) return `${where}: a value's size cut short`;
      const n = b.readUInt32LE(p);
      if (!need(4 + n)) return `${where}: a value of ${n} bytes past the list's end`;
      const d = b.subarray(p + 4, p + 4 + n);
      p += 4 + ((n + 3) & ~3);
      if (base === PT_UNICODE) texts.push(d.toString('utf16le').replace(/\0+$/, ''));
      else if (base === PT_STRING8) strings8.push(d);
      else if (id === PR_RTF_COMPRESSED && isCompressedRtf(d)) {
        if (budget.left <= 0) return `${where}: compressed RTF past the ${MAX_TNEF} bytes one message's RTF may decompress to`;
        const r = lzfuDecompress(d, budget.left);
        budget.left -= r.rtf.length;
        if (!r.ok) return `${where}: compressed RTF that does not decompress (${r.why})`;
        found.push({ name: `${where}(rtf)`, kind: 'content', bytes: r.rtf });
      } else if (d.length) found.push({ name: `${where}#${id.toString(16).padStart(4, '0')}`, kind: 'content', bytes: d });
    }
  }
  return p === b.length ? '' : `${where}: ${b.length - p} bytes after its last property`;
}

/** TNEF's attributes, its property lists and its attachments, read at the end. */
export class TnefText extends HeldDocument {
  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member) {
    super(ctx, path, open, MAX_TNEF, 'application/vnd.ms-tnef', 'a TNEF message');
  }

  async finish(): Promise<void> {
    const b = this.takeHeld();
    if (!b) return;
    const found: Found[] = [];
    const texts: string[] = [];
    const strings8: Buffer[] = [];
    let p = 6;
    let title = 'attachment';
    let attachments = 0;
    let why = '';
    const budget: RtfBudget = { left: MAX_TNEF };
    while (!why && p < b.length) {
      if (p + 9 > b.length) {
        why = `${b.length - p} bytes at byte ${p} that are no whole attribute`;
        break;
      }
      const level = b[p]!;
      const id = b.readUInt32LE(p + 1);
      const len = b.readUInt32LE(p + 5);
      if ((level !== 1 && level !== 2) || p + 9 + len + 2 > b.length) {
        why = `no attribute at byte ${p}`;
        break;
      }
      const d = b.subarray(p + 9, p + 9 + len);
      p += 9 + len + 2;
      if (id === ATT_ATTACH_TITLE) title = d.toString('latin1').replace(/\0+$/, '') || 'attachment';
      else if (id === ATT_ATTACH_DATA) found.push({ name: `${++attachments}:${title}`, kind: 'content', bytes: d });
      else if (id === ATT_BODY || id === ATT_ATTACH_METAFILE) found.push({ name: id === ATT_BODY ? '(body)' : `${title}(rendering)`, kind: 'content', bytes: d });
      else if (id === ATT_MSG_PROPS || id === ATT_ATTACHMENT) why = mapiProps(d, id === ATT_MSG_PROPS ? '(message properties)' : `${title}(properties)`, found, texts, strings8, budget);
    }
    if (why) this.uninspectable(`the TNEF message does not parse (${why}); what follows was not read`);
    if (texts.length) found.push({ name: '(tnef-strings)', kind: 'view', bytes: Buffer.from(texts.join('\n')) });
    if (strings8.length) found.push({ name: '(tnef-strings8)', kind: 'content', bytes: Buffer.concat(strings8.flatMap((s) => [s, Buffer.from('\n')])) });
    const ctx = this.ctx;
    for (const f of found) {
      if (f.kind === 'content' && !ctx.countMember()) return;
      if (!ctx.spend(f.bytes.length)) return;
      const m = this.open(f.name, f.kind);
      await m.update(f.bytes);
      await m.finish();
    }
  }
}
