// What the `ferry` command line prints and its --help text, in English.
// {{name}} is filled in by i18next; text from the network is made printable first.
import { help } from './cli-help.js';

export const cli = {
  help,
  /** Commander's section titles. */
  titles: { 'Usage:': 'Usage:', 'Options:': 'Options:', 'Commands:': 'Commands:', 'Arguments:': 'Arguments:', 'Global Options:': 'Global Options:' },
  /** The results `ferry send`, `status` and `receive` print. */
  out: {
    transfer: 'transfer:  {{id}}',
    state: 'state:     {{state}}',
    toFrom: 'to:        {{destination}} from {{source}}',
    from: 'from:      {{source}}',
    to: 'to:        {{destination}}',
    rule: 'rule:      {{rule}}',
    finding: 'finding:   {{finding}}',
    filename: 'filename:  {{filename}}',
    label: 'label:     {{label}}',
    size: 'size:      {{size}} bytes',
    sha256: 'sha256:    {{sha256}}',
    sha256Matches: 'sha256:    {{sha256}} (matches the receipt)',
    created: 'created:   {{time}}',
    updated: 'updated:   {{time}}',
    attempts: 'attempts:  {{attempts}}',
    acceptedBy: 'accepted:  {{time}} by {{gateway}}',
    deliveredBy: 'delivered: {{time}} by {{gateway}}',
    signatureVerified: ', signature verified',
    hop: 'hop:       {{hop}}',
    receipt: 'receipt:   {{type}} by {{gateway}} at {{time}}',
    receiptKeyVerified: '           key {{key}}, signature verified',
    receiptKeyUnverified: '           key {{key}}, signature not verified (pass --verify-key to check it)',
    received: 'received {{id}} from {{from}}: {{size}} bytes, sha256 {{sha256}} checked → {{path}}',
    alreadyHeld: 'acknowledged {{id}}: already saved here by an earlier run → {{path}}',
    sentAs: ' (sent as {{name}})',
    receiptVerified: ', receipt verified',
    receiptUnverified: ', receipt not verified',
    receiveSummary: '{{received}} received, {{failed}} failed',
    interrupted: 'interrupted',
  },
  /** How `ferry` reaches its gateway, and why it could not. */
  conn: {
    what: { 'client certificate': 'client certificate', 'client key': 'client key', 'CA certificate': 'CA certificate', 'gateway address': 'gateway address', 'Ferry CA certificate': 'Ferry CA certificate' },
    cannotRead: 'cannot read the {{what}} {{path}} ({{reason}})',
    notUrl: 'the gateway address {{address}} is not a URL; use https://host:port',
    notHttps: 'the gateway address must start with https:// (got {{got}})',
    withPath: 'the gateway address is https://host:port, without a path',
    missing: 'no {{what}}: pass --{{flag}} or set {{env}}',
    unreachable: 'cannot reach the gateway at {{where}}: {{what}}',
    /** Problems with this machine's own files, found before connecting. */
    local: {
      notCert: '{{path}} is not a PEM certificate; pass the certificate issued to your system (--cert, FERRY_CERT)',
      notCa: '{{path}} is not a PEM certificate; pass the Ferry CA certificate (--ca, FERRY_CA)',
      notKey: '{{path}} is not a PEM private key; pass the key that belongs to your certificate (--key, FERRY_KEY)',
      keyEncrypted: 'the key {{path}} is encrypted: set FERRY_KEY_PASSPHRASE to its passphrase',
      wrongPassphrase: 'FERRY_KEY_PASSPHRASE does not decrypt the key {{path}}: check the passphrase',
      mismatch: 'the certificate {{cert}} and the key {{key}} do not belong together (a local problem: nothing was sent); pass the key issued with this certificate',
    },
    why: {
      refused: 'nothing is listening there',
      dns: 'the host name does not resolve',
      connectTimeout: 'the connection timed out',
      headersTimeout: 'the gateway did not answer in time',
      bodyTimeout: 'the gateway stopped sending in the middle of the answer',
      otherCa: 'its certificate is not issued by the Ferry CA you gave ({{code}})',
      altname: 'its certificate does not name that host',
      expired: 'its certificate has expired',
      broke: 'the connection broke before the gateway answered',
    },
  },
  refusal: {
    refused: 'refused: {{code}} (HTTP {{status}})',
    transfer: 'transfer: {{id}} (ferry status {{id}} shows it later)',
    rule: 'rule: {{rule}}',
    finding: 'finding: {{finding}}',
    retryAfter: 'retry after: {{seconds}} s',
    action: 'what to do: {{action}}',
  },
};
