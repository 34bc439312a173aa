// Text in clear inside DER (seventh red team of 1 Dec, R27): a personal certificate carrying a resident id number
// (subject serialNumber, as Chinese CAs issue them, or the identity-card extension 1.2.156.10260.4.1.1 of
// GM/T 0015), a CMS signed-data with a short memo attached, any DER with random parts beside a memo. DER that
// parses is spared the entropy judgement, and content judged opaque was not read as text: all crossed. Beside
// them, certificates, keys, CRLs and signatures whose numbers are integers (never text) must stay clean.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import type { Sample } from './evasion-fixtures.js';
import { residentId } from './inspect-fixtures.js';

const ID = residentId('440305', '19900307', '457');
const MEMO = `关于工作的通知\n机密★10年\n身份证 ${ID}\n`;

const len = (n: number): Buffer => (n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 255]));
/** One DER value. */
export const tlv = (tag: number, v: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(v.length), v]);

let keys: { forge: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pkcs8: Buffer } | null = null;
function key(): NonNullable<typeof keys> {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      forge: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string),
      publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string),
      pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }),
    };
  }
  return keys;
}

function certificate(subject: forge.pki.CertificateField[], serial: string, extensions: object[] = []): forge.pki.Certificate {
  const k = key();
  const cert = forge.pki.createCertificate();
  cert.publicKey = k.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2028-01-01T00:00:00Z');
  cert.setSubject(subject);
  cert.setIssuer([{ shortName: 'C', value: 'CN' }, { shortName: 'O', value: 'BJCA' }, { name: 'commonName', value: 'BJCA Personal CA' }]);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true }, ...extensions]);
  cert.sign(k.forge, forge.md.sha256.create());
  return cert;
}

/** A name attribute written as a UTF8String (forge takes its value as UTF-8 bytes in a binary string). */
function utf8(name: string, value: string, short = false): forge.pki.CertificateField {
  const v = Buffer.from(value).toString('binary');
  const f = short ? { shortName: name, value: v } : { name, value: v };
  return { ...f, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class };
}

const derOf = (asn1: forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

/** A CMS signed-data with its content attached (`openssl cms -sign -nodetach`). */
export function signed(content: string | Buffer): Buffer {
  const cert = certificate([{ name: 'commonName', value: 'seal' }], '3a61');
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(Buffer.from(content).toString('binary'));
  p7.addCertificate(cert);
  p7.addSigner({ key: key().forge, certificate: cert, digestAlgorithm: forge.pki.oids.sha256!, authenticatedAttributes: [] });
  p7.sign({ detached: false });
  return derOf(p7.toAsn1());
}

/** A GM/T 0015 identity-card extension: its value a PrintableString. */
function idExtension(id: string): object {
  const value = String.fromCharCode(0x13, id.length) + id;
  return { id: '1.2.156.10260.4.1.1', value };
}

/** A CRL of n revoked certificates: random serials (INTEGERs) and dates, signed with random bytes. */
function crl(n: number): Buffer {
  const utc = tlv(0x17, Buffer.from('261201000000Z'));
  const alg = tlv(0x30, Buffer.concat([tlv(0x06, Buffer.from('2a864886f70d01010b', 'hex')), Buffer.from([5, 0])]));
  const issuer = tlv(0x30, tlv(0x31, tlv(0x30, Buffer.concat([tlv(0x06, Buffer.from('550403', 'hex')), tlv(0x0c, Buffer.from('BJCA Personal CA'))]))));
  const revoked = tlv(0x30, Buffer.concat(Array.from({ length: n }, () => tlv(0x30, Buffer.concat([tlv(0x02, Buffer.concat([Buffer.from([0x10]), randomBytes(15)])), utc])))));
  const tbs = tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), alg, issuer, utc, utc, revoked]));
  return tlv(0x30, Buffer.concat([tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), randomBytes(256)]))]));
}

export function derTextSamples(): Sample[] {
  const sn = certificate([{ shortName: 'C', value: 'CN' }, { shortName: 'O', value: 'BJCA' }, { name: 'serialNumber', value: ID }, utf8('commonName', '张三')], '5f21a0c4');
  const ext = certificate([{ shortName: 'C', value: 'CN' }, { shortName: 'O', value: 'CFCA' }, utf8('commonName', '张三')], '6e3b', [idExtension(ID)]);
  const snDer = derOf(forge.pki.certificateToAsn1(sn));
  const record = tlv(0x30, Buffer.concat([tlv(0x0c, Buffer.from(`${MEMO}手机 13812345678\n`)), tlv(0x04, randomBytes(512)), tlv(0x04, randomBytes(512))]));
  const bmp = tlv(0x30, Buffer.concat([tlv(0x1e, Buffer.from('关于工作的通知 机密★10年', 'utf16le').swap16()), tlv(0x04, randomBytes(512))]));
  return [
    { name: 'R27: personal certificate (DER), the id number as its subject serialNumber', filename: '张三.cer', type: 'application/pkix-cert', body: snDer, expect: 'personal-data' },
    { name: 'R27: the same certificate in PEM', filename: '张三.pem', type: 'application/x-pem-file', body: Buffer.from(forge.pki.certificateToPem(sn)), expect: 'personal-data' },
    { name: 'R27: personal certificate (DER), the id number in the identity-card extension 1.2.156.10260.4.1.1', filename: '张三.cer', type: 'application/pkix-cert', body: derOf(forge.pki.certificateToAsn1(ext)), expect: 'personal-data' },
    { name: 'R27: CMS signed-data with a 3-line memo attached (.p7m)', filename: '指令.p7m', type: 'application/pkcs7-mime', body: signed(MEMO), expect: 'classified-marking' },
    { name: 'R27: SEQUENCE { UTF8String memo, 2 x OCTET STRING of 512 random bytes }', filename: 'record.der', type: 'application/octet-stream', body: record, expect: 'classified-marking' },
    { name: 'R27: SEQUENCE { BMPString memo, OCTET STRING of 512 random bytes }', filename: 'record.der', type: 'application/octet-stream', body: bmp, expect: 'classified-marking' },
  ];
}

export function derTextCleanSamples(): Sample[] {
  // A TLS certificate whose serial is 18 digits' worth of decimal and a mobile's (INTEGERs: never read as text).
  const tls = certificate([{ shortName: 'C', value: 'CN' }, utf8('O', '某某市人民政府', true), { name: 'commonName', value: 'www.example.gov.cn' }], BigInt(ID.slice(0, 17)).toString(16).padStart(16, '0'),
    [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'www.example.gov.cn' }, { type: 2, value: 'example.gov.cn' }] }]);
  // An enterprise certificate with its unified social credit code as serialNumber (not a resident id).
  const org = certificate([{ shortName: 'C', value: 'CN' }, { name: 'serialNumber', value: '91110108MA01234567' }, utf8('commonName', '北京某某科技有限公司')], '0138123456780001');
  return [
    { name: 'R27 clean: a TLS certificate (DER) whose serial is large', filename: 'server.cer', type: 'application/pkix-cert', body: derOf(forge.pki.certificateToAsn1(tls)), expect: '' },
    { name: 'R27 clean: an enterprise certificate with its credit code as serialNumber', filename: 'org.cer', type: 'application/pkix-cert', body: derOf(forge.pki.certificateToAsn1(org)), expect: '' },
    { name: 'R27 clean: an RSA-2048 private key (PKCS#8 DER)', filename: 'key.der', type: 'application/octet-stream', body: key().pkcs8, expect: '' },
    { name: 'R27 clean: a CRL of 200 revoked serials', filename: 'ca.crl', type: 'application/pkix-crl', body: crl(200), expect: '' },
    { name: 'R27 clean: CMS signed-data of an ordinary memo', filename: '通知.p7m', type: 'application/pkcs7-mime', body: signed('关于召开会议的通知\n请各单位于12月3日上午9时参加。\n联系电话：010-65123456\n'), expect: '' },
  ];
}
