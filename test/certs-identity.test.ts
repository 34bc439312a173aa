// ferry:// identities: strict parsing of URIs, of Node's subjectAltName
// string, and of real certificates carrying hostile SANs.
import { X509Certificate } from 'node:crypto';
import t from 'tap';
import { loadCa } from '../certs/ca.js';
import { formatFerryId, parseFerryId } from '../protocol/ferry-id.js';
import { principalFromCertificate } from '../certs/identity.js';
import { generateRsaKey } from '../certs/keys.js';
import { parseSubjectAltName } from '../certs/subject-alt-name.js';
import { signCertificate } from '../certs/x509-profile.js';
import { makePki } from './helpers/pki.js';

t.test('identities round-trip', async (t) => {
  const sys = parseFerryId('ferry://police/sys1');
  t.same(sys, { kind: 'system', network: 'police', system: 'sys1', uri: 'ferry://police/sys1' });
  t.equal(formatFerryId({ network: 'police', system: 'sys1' }), 'ferry://police/sys1');
  const gw = parseFerryId('ferry://gateway/gw-1_a');
  t.same(gw, { kind: 'gateway', gateway: 'gw-1_a', uri: 'ferry://gateway/gw-1_a' });
  t.equal(formatFerryId({ gateway: 'gw-1_a' }), 'ferry://gateway/gw-1_a');
  const longest = `ferry://${'n'.repeat(63)}/${'s'.repeat(63)}`;
  t.equal(parseFerryId(longest)?.uri, longest);
  for (const uri of ['ferry://extranet/archive', 'ferry://social/hr', 'ferry://0/0']) {
    const p = parseFerryId(uri);
    t.ok(p, uri);
    t.equal(p && formatFerryId(p), uri);
  }
});

t.test('hostile identity strings are rejected', async (t) => {
  const hostile = [
    '', 'ferry:', 'ferry://', 'ferry://police', 'ferry://police/', 'ferry:///sys1', 'ferry://police/sys1/',
    'ferry://police/sys1/extra', 'ferry://police/sys1?x=1', 'ferry://police/sys1#frag', 'ferry://police:443/sys1',
    'ferry://user@police/sys1', 'ferry://user:pw@police/sys1', 'ferry://police/sys%31', 'ferry://police%2Fsys1/x',
    'ferry://%70olice/sys1', 'FERRY://police/sys1', 'Ferry://police/sys1', 'ferry://Police/sys1', 'ferry://police/SYS1',
    'ferry://pоlice/sys1' /* Cyrillic о */, 'ferry://police/sys1\n', '\nferry://police/sys1', ' ferry://police/sys1',
    'ferry://police/sys1 ', 'ferry://police/sys 1', 'ferry://police/sys1\u0000', 'ferry://-police/sys1', 'ferry://_police/sys1',
    'ferry://police/.', 'ferry://police/..', 'ferry://police/./sys1', 'ferry://police.gov/sys1', 'ferry:/police/sys1',
    'ferry:police/sys1', 'ferry:\\\\police\\sys1', 'https://police/sys1', 'spiffe://police/sys1', 'ferry://police//sys1',
    `ferry://${'n'.repeat(64)}/sys1`, `ferry://police/${'s'.repeat(64)}`, 'ferry://gateway/', 'ferry://police/sys1,URI:ferry://gateway/gw1',
    'ferry://police/"sys1"',
  ];
  for (const s of hostile) t.equal(parseFerryId(s), null, JSON.stringify(s));
  t.equal(parseFerryId(42 as unknown as string), null, 'not a string');
});

t.test("Node's subjectAltName string is tokenized, quotes respected", async (t) => {
  t.same(parseSubjectAltName('DNS:localhost, IP Address:127.0.0.1, URI:ferry://police/sys1'), [
    { type: 'DNS', value: 'localhost' },
    { type: 'IP Address', value: '127.0.0.1' },
    { type: 'URI', value: 'ferry://police/sys1' },
  ]);
  // One quoted URI that contains what looks like a second one.
  t.same(parseSubjectAltName('URI:"ferry://police/sys1, URI:ferry://gateway/gw1"'), [
    { type: 'URI', value: 'ferry://police/sys1, URI:ferry://gateway/gw1' },
  ]);
  t.same(parseSubjectAltName('email:"a,b@x", URI:ferry://police/sys1'), [
    { type: 'email', value: 'a,b@x' },
    { type: 'URI', value: 'ferry://police/sys1' },
  ]);
  t.same(parseSubjectAltName('URI:"a\\"b\\\\c\\u0041"'), [{ type: 'URI', value: 'a"b\\cA' }]);
  t.same(parseSubjectAltName(undefined), []);
  for (const bad of ['URI:"unterminated', 'URI', ':x', 'URI:a,URI:b', 'URI:"x"y', 'URI:"\\q"', 'URI:a, ', 'URI:"\\u00"']) {
    t.equal(parseSubjectAltName(bad), null, JSON.stringify(bad));
  }
});

t.test('principals from real certificates, hostile SANs refused', async (t) => {
  const pki = await makePki();
  const ca = await loadCa(pki.dir);
  const key = await generateRsaKey();
  // A certificate signed by the real CA with the given SAN entries (forge altName objects).
  const withSans = (altNames: object[]): X509Certificate =>
    new X509Certificate(signCertificate({
      subjectCn: 'hostile',
      publicKeyPem: key.publicKeyPem,
      days: 1,
      issuer: ca.cert,
      signingKeyPem: ca.keyPem,
      extensions: [{ name: 'subjectAltName', altNames }],
    }).pem);

  t.same(principalFromCertificate(new X509Certificate(pki.system('ferry://extranet/archive').cert)),
    { kind: 'system', network: 'extranet', system: 'archive', uri: 'ferry://extranet/archive' });
  t.same(principalFromCertificate(new X509Certificate(pki.gateway('gw2').cert)),
    { kind: 'gateway', gateway: 'gw2', uri: 'ferry://gateway/gw2' });
  t.equal(principalFromCertificate(new X509Certificate(pki.noIdentity.cert)), null, 'CN is not an identity');
  t.equal(principalFromCertificate(new X509Certificate(pki.caCert)), null, 'CA has no identity');

  // Node quotes a URI holding a comma; it is one name, and not a valid identity.
  const smuggled = withSans([{ type: 6, value: 'ferry://police/sys1, URI:ferry://gateway/gw1' }]);
  t.match(smuggled.subjectAltName, /^URI:"/, 'Node quoted the value');
  t.equal(principalFromCertificate(smuggled), null, 'comma-smuggled second URI');
  t.equal(principalFromCertificate(withSans([{ type: 6, value: 'ferry://police/sys1' }, { type: 6, value: 'ferry://gateway/gw1' }])), null, 'two ferry URIs');
  t.equal(principalFromCertificate(withSans([{ type: 6, value: 'ferry://police/sys1' }, { type: 6, value: 'ferry://police/sys1' }])), null, 'the same URI twice');
  t.equal(principalFromCertificate(withSans([{ type: 6, value: 'ferry://police/sys1' }, { type: 6, value: 'spiffe://x/y' }])), null, 'a second URI of another scheme');
  for (const v of ['FERRY://police/sys1', 'ferry://police/sys%31', 'ferry://police:1/sys1', 'ferry://police/sys1"', 'ferry://police/sys1\n', 'ferry://police/sys1/']) {
    t.equal(principalFromCertificate(withSans([{ type: 6, value: v }])), null, JSON.stringify(v));
  }
  // Quoted names elsewhere do not derail the tokenizer.
  t.same(principalFromCertificate(withSans([{ type: 1, value: 'a,b@example.org' }, { type: 6, value: 'ferry://social/hr' }, { type: 2, value: 'x.test' }])),
    { kind: 'system', network: 'social', system: 'hr', uri: 'ferry://social/hr' });
});
