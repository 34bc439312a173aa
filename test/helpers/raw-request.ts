// Raw bytes over mutual TLS, for requests no well-behaved client would send
// (duplicate or excess headers, broken framing). Reads one HTTP/1.1 answer.
import { connect } from 'node:tls';
import type { TestPki } from './pki.js';

export interface RawAnswer {
  /** 0 when the connection closed (or the bound passed) without an answer */
  status: number;
  headers: string;
  text: string;
  json: Record<string, any> | null;
}

export function rawRequest(port: number, pki: TestPki, payload: Buffer | string, opts: { identity?: string; boundMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(bound);
      s.destroy();
      const text = buf.toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const i = text.indexOf('\r\n\r\n');
      const body = i >= 0 ? text.slice(i + 4) : '';
      let json: Record<string, any> | null = null;
      try {
        json = JSON.parse(body) as Record<string, any>;
      } catch {
        json = null;
      }
      resolve({ status: m ? Number(m[1]) : 0, headers: i >= 0 ? text.slice(0, i) : text, text: body, json });
    };
    const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, ...pki.system(opts.identity ?? 'ferry://police/sys1'), servername: 'localhost' }, () => s.write(payload));
    // A bound, not a timing: generous, for a loaded machine.
    const bound = setTimeout(finish, opts.boundMs ?? 60_000);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      // One whole answer (headers and content-length bytes of body) is enough.
      const text = buf.toString('latin1');
      const i = text.indexOf('\r\n\r\n');
      const len = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, i));
      if (i >= 0 && len && buf.length >= i + 4 + Number(len[1])) finish();
    });
    s.on('error', finish);
    s.on('close', finish);
  });
}
