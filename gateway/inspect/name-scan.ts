import { isUtf8 } from 'node:buffer';
import type { InspectContext } from './inspect-context.js';
import { TextScanner } from './text-scanner.js';
import { ViewDecoder } from './text-views.js';

// A name is text too: the transfer's file name and every archive member's
// name are scanned like content (a marking or an identity number in a name
// crosses as surely as one inside), escapes in them resolved once.

const MAX_NAME = 4096;

export function scanName(ctx: InspectContext, name: string, path: string | undefined): void {
  const text = name.slice(0, MAX_NAME);
  const decoded = new ViewDecoder(false);
  const forms = [text];
  if (decoded.idle(text)) {
    const step = decoded.push(text, true);
    if (step.text && step.text !== text) forms.push(step.text);
    if (step.side) forms.push(step.side);
  }
  for (const form of forms) {
    const s = new TextScanner({ matcher: ctx.matcher, tally: ctx.tally, path, encoding: 'utf-8', bom: 0, markup: false, base64: false });
    s.write(Buffer.from(form));
    s.end();
  }
}

/**
 * Text an archive carries beside its members (a zip or member comment, an
 * extra field, a gzip header's name, pax records, a tar header's user and
 * link names): read as names, in UTF-8, and in GB18030 when it is not UTF-8.
 */
export function scanMeta(ctx: InspectContext, bytes: Buffer, path: string | undefined): void {
  if (bytes.length === 0 || bytes.every((b) => b === 0)) return;
  const b = bytes.subarray(0, MAX_NAME);
  scanName(ctx, b.toString('utf8'), path);
  if (!isUtf8(b)) scanName(ctx, new TextDecoder('gb18030').decode(b), path);
}
