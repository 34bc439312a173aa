// What `ferry certs` prints, in English. Paths, identities, serials and
// fingerprints are never translated; --json output keeps English field names.

export const certs = {
  label: {
    caCert: 'CA certificate', caKey: 'CA key', certificate: 'certificate', key: 'key', identity: 'identity', serial: 'serial',
    validTo: 'valid to', validFrom: 'valid from', subject: 'subject', issuer: 'issuer', kind: 'kind', altNames: 'alt names',
    keyUsage: 'key usage', sha256: 'sha256', revoked: 'revoked', crl: 'CRL',
  },
  mode: '{{path}} (mode 0600)',
  modeEncrypted: '{{path}} (mode 0600, encrypted)',
  wasSerial: '{{serial}} (was {{previous}})',
  next: 'Next: ferry certs issue --dir {{dir}} --id ferry://<network>/<system> --name <name>',
  revokedRow: '{{serial}}  {{id}}  ({{name}}, {{reason}})',
  authority: '(certificate authority)',
  noIdentity: '(none: no valid ferry:// URI SAN)',
  none: '(none)',
  any: '(any)',
  expired: '  (EXPIRED)',
  expiry: { what: 'what', name: 'name', serial: 'serial', expires: 'expires', days: 'days', state: 'state' },
  // The `state` column of `certs show --dir`; --json keeps the English key (valid, expiring…).
  states: {
    valid: 'valid', expiring: 'expiring soon', expired: 'expired', revoked: 'revoked', superseded: 'superseded (renewed)',
    stale: 'stale (past its next update)', 'no-next-update': 'no next update', none: 'none (nothing revoked yet)',
  },
  crlName: '{{name}} ({{count}} revoked)',
  stateReason: '{{state}} ({{reason}})',
};
