// The fourth-session red team's false positives (1 Dec, F1–F5) and the
// narrow ways through beside them (N12, N17, N21): samples for the in-process
// tests and a few of each end to end (gateway-evasions).
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { peExecutable, tar, zip } from './inspect-fixtures.js';
import { wordDocument, xlsWorkbook } from './ole2-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');

export const BUDGET_CSV = '序号,单位,项目,金额（元）,日期\n1,市财政局,办公用品采购,12345.60,2026-11-03\n2,市教育局,培训费,8800.00,2026-11-12\n';

/** An OFD (GB/T 33190-2016) package: OFD.xml at the root, one page whose layer holds `layer`. */
export function ofdDocument(layer: string): Buffer {
  return zip([
    { name: 'OFD.xml', data: u8('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:Title>电子发票</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>') },
    { name: 'Doc_0/Document.xml', data: u8('<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>') },
    { name: 'Doc_0/Pages/Page_0/Content.xml', data: u8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>${layer}</ofd:Layer></ofd:Content></ofd:Page>`), method: 8 },
  ]);
}

/** One OFD text object (one string drawn at x). */
export function ofdText(x: number, s: string): string {
  return `<ofd:TextObject ID="${x}" Boundary="${x * 10} 0 10 10" Font="2" Size="3"><ofd:TextCode X="0" Y="3">${s}</ofd:TextCode></ofd:TextObject>`;
}

/** Ordinary files declared as their senders declare them (F1–F3): each crosses. */
export function declaredTypeCleanSamples(): Sample[] {
  const s = (name: string, filename: string, type: string, body: Buffer): Sample => ({ name, filename, type, body, expect: '' });
  return [
    s('F1: CSV declared application/vnd.ms-excel (Windows with Office or WPS)', '执行情况.csv', 'application/vnd.ms-excel', u8(BUDGET_CSV)),
    s('F1: GBK CSV declared application/vnd.ms-excel', '执行情况.csv', 'application/vnd.ms-excel', iconv.encode(BUDGET_CSV, 'gbk')),
    s('F2: OFD e-invoice declared application/ofd', '发票.ofd', 'application/ofd', ofdDocument(ofdText(1, '金额合计：1234.56'))),
    s('F3: WPS .wps declared application/kswps', '公文.wps', 'application/kswps', wordDocument([{ text: '关于召开会议的通知\r' }])),
    s('F3: .xls declared application/x-msexcel', '报表.xls', 'application/x-msexcel', xlsWorkbook(['地区', '东区', '西区', '合计'], 2)),
    s('F3: .tar.gz declared application/x-tar (Python mimetypes)', 'archive.tar.gz', 'application/x-tar', zlib.gzipSync(tar([{ name: 'a.txt', data: u8('会议纪要\n') }]))),
  ];
}

/** Beside them, what stays refused. */
export function declaredTypeSamples(): Sample[] {
  return [
    { name: 'a marking in an OFD page declared application/ofd', filename: '通知.ofd', type: 'application/ofd', body: ofdDocument(ofdText(1, '机') + ofdText(2, '密★10年')), expect: 'classified-marking' },
    { name: 'an executable declared application/kswps', filename: '公文.wps', type: 'application/kswps', body: peExecutable(), expect: 'type-mismatch' },
  ];
}
