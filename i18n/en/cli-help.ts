// The --help text of every command and option, in English, keyed by the command's path
// ('log query') or path and flag ('log query --since'); an option that reads the same in every
// command that has it is keyed by its flag alone ('--gateway'). i18n/cli-help.ts looks them up.
export const help = {
  ferry: 'Ferry: a cross-network transfer gateway. Authenticates business systems, applies policy, inspects, encrypts, stores and relays files, and audits every step.',
  '--lang': 'language of messages: zh-CN or en (default from LC_ALL, LC_MESSAGES, LANG)',
  '--help': 'display help for command',
  '--version': 'output the version number',
  help: 'display help for command',
  'ferry usage hint': '(run with --help for usage)',
  'ferry examples': `
Examples:
  ferry demo                                   run a two-network demo in a temporary directory
  ferry init ./ferry-dev                       write a ready-to-run dev setup and print how to use it
  ferry gateway --config gateway.yaml          start a gateway
  ferry send report.pdf --to extranet/archive --gateway https://127.0.0.1:8443
  ferry policy check policy.yaml               validate a policy
  ferry log verify --db data/audit.db          verify the audit log
  ferry sim run province                       simulate a province's networks under faults and check nothing was lost`,
  'policy replay examples': `
Replays from what each 'decided' record kept (facts, findings, time, counters),
so the result does not depend on when it is run. Exit 0 when nothing would
change, 1 when some decision would, 2 on a usage or policy error.

Example:
  ferry policy replay policies/new.yaml --log data/audit.db --since 2026-11-01T00:00:00Z
`,
  'policy test examples': `
Exit 0 when allowed, 1 when denied (or a suite case failed), 2 on a usage or policy error.

Examples:
  ferry policy test policies/examples/default.yaml --from police/records --to extranet/archive --label internal --file report.pdf
  ferry policy test policies/examples/default.yaml --from police/a --to extranet/b --finding personal-data:cn-mobile:3
  ferry policy test --suite policies/examples/default.test.yaml
`,
  'policy check examples': `
Prints every problem as file:line:column: severity: message. Exit 0 when no
file has an error (warnings are printed), 1 when one has, 2 on a usage error.

Example:
  ferry policy check policies/examples/default.yaml
`,
  'policy examples': `
Examples:
  ferry policy check policies/examples/default.yaml
  ferry policy test policies/examples/default.yaml --from police/records --to extranet/archive --label internal
  ferry policy test --suite policies/examples/default.test.yaml
  ferry policy replay new-policy.yaml --log data/audit.db
`,
  'sim run examples': `
Examples:
  ferry sim run province                      the built-in province scenario
  ferry sim run my-topology.yaml --seed 7 --report ./sim-report
  ferry sim check my-topology.yaml            validate only
Reference: docs/topology.md`,
  'send examples': `
Prints the transfer id and the gateway's signed acceptance receipt.
Exit status: 0 accepted; 1 refused (code, sentence, rule and findings on stderr)
or the receipt does not match; 2 usage or connection error.

Example:
  ferry send report.pdf --to extranet/archive --label internal \\
    --gateway https://127.0.0.1:8443 --cert police-sys1.crt --key police-sys1.key --ca ca.crt \\
    --verify-key signing.pub`,
  'status examples': `
Example:
  ferry status 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f \\
    --gateway https://127.0.0.1:8443 --cert police-sys1.crt --key police-sys1.key --ca ca.crt
  # or, with the connection in the environment (works for send and receive too):
  export FERRY_GATEWAY=https://127.0.0.1:8443 FERRY_CERT=police-sys1.crt FERRY_KEY=police-sys1.key FERRY_CA=ca.crt
  ferry status 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f
  # across gateways, the delivered receipt is the last gateway's: give its key too
  ferry status 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f --verify-key gw1-signing.pub --hop-key gw3-signing.pub`,
  'receive examples': `
A file whose SHA-256 does not match what the gateway announced is not kept and
not acknowledged; the others are received. A file saved whose acknowledgement
failed is noted in <out>/.ferry-received.jsonl: the next run into the same
folder recognises the transfer by id and only acknowledges it. Exit status: 0 all received; 1 some
item refused or failed its check; 2 usage or connection error.

Example:
  ferry receive --out ./incoming --follow \\
    --gateway https://127.0.0.1:8444 --cert extranet-archive.crt --key extranet-archive.key --ca ca.crt`,
  'admin notes': `
The connection: --admin https://127.0.0.1:<admin-api port> --cert alice.crt --key alice.key --ca ca.crt
(or FERRY_ADMIN, FERRY_ADMIN_CERT, FERRY_ADMIN_KEY, FERRY_CA). The role comes from
gateway.yaml, admin.administrators: auditor lists; sysadmin lists, retries and
cancels; sysadmin and secadmin reload; sysadmin rotates the gateway's keys
(ferry keys rotate --admin). Every action is an audit record naming you.`,
  'log verify examples': `
Checks, in order: each record's fields and canonical bytes, its chain link, its
hash; the stored Merkle nodes; each checkpoint's root, frontier, signature and
consistency with the one before; checkpoints past the last record; --against.
For a directory: each segment so, then that all are of one gateway, that each
segment's first record commits to the last checkpoint of the one before, and
that segments missing at the start were recorded as pruned.
Exit 0 when all holds; 1 naming the first bad seq and the check; 2 on usage errors.

Examples:
  ferry log verify --db data/audit.db --pubkey-file gw1.vkey --against /mnt/sec/gw1.checkpoint
  ferry log verify --db data --pubkey-file gw1.vkey          (audit-segments/ and audit.db, as a whole)
  ferry log verify --db /archive/gw1/audit-segments --pubkey-file gw1.vkey`,
  'log trace examples': `
Each log is verified (records, chain, Merkle tree, signed checkpoints) with the
keys given and the keys/audit.vkey of its data directory. Exit 0 when every log
verifies and the transfer was found; 1 otherwise.

Example:
  ferry log trace 01a2… --db gw-police-extranet/data/audit.db --db gw-extranet-social/data/audit.db
  ferry log trace 01a2… --dir collected-logs/   # gw-a.db, gw-b.db, gw-a.vkey, gw-b.vkey …`,
  'log prove examples': `
Example:
  ferry log prove --db data/audit.db 0192f1c4-7a00-7000-8000-000000000001 --out t1.proof
  ferry log check-proof t1.proof --pubkey-file gw1.vkey`,
  'log check-proof examples': `
Example:
  ferry log check-proof t1.proof --pubkey 'ferry.gateway/gw1+1a2b3c4d+AUi…='`,
  'log consistency examples': `
Example:
  ferry log consistency --db data/audit.db --from 1000 --to 5000 --out c.proof`,
  'log query examples': `
Given data/audit.db (or the data directory), the sealed segments in
audit-segments/ beside it are read too, oldest first, then the live log; a
time range skips the segments wholly outside it. A record's SEQ counts within
its segment.

Example:
  ferry log query --db data/audit.db --source police/records --verdict deny --since 2026-11-01 --limit 50`,
  'log export examples': `
Like query, reads the sealed segments beside data/audit.db too.

Example:
  ferry log export --db data/audit.db --format csv --since 2026-11-01 --until 2026-12-01 --out november.csv`,
  'log tail examples': `
Example:
  ferry log tail --db data/audit.db --event denied --json`,
  'gateway examples': `
The configuration is validated first; a bad file exits with status 2 and
file:line:column for each problem. SIGINT/SIGTERM stop the gateway cleanly;
SIGHUP (or 'ferry admin reload') reloads the policy, keyword lists,
destinations, routes, TLS files and the CRL, and logs what changed and what
needs a restart. TLS files and the CRL are also reloaded when they change.

Once every listener is bound, the gateway writes one JSON line on stdout (and
to --ready-file if given) that a supervisor or test can wait for:
  {"event":"ready","pid":1234,"gateway":"ferry://gateway/gw1","ports":{"police":8443,"extranet":8444},"admin":8445}

Example:
  ferry gateway --config ./ferry-dev/gateway.yaml`,
  'init examples': `
Example:
  ferry init ./ferry-dev && ferry gateway --config ./ferry-dev/gateway.yaml`,
  'demo examples': `
Example:
  ferry demo            (npm start runs this)`,
  'inspect examples': `
Findings use the vocabulary of docs/findings.md. Personal data is shown
masked, never raw. Exit status: 0 when every file was inspected, whatever was
found; 2 when a file could not be read, the inspector itself failed
(inspection-limit:worker) or an option is wrong.

Examples:
  ferry inspect report.pdf
  ferry inspect --json --clamd 127.0.0.1:3310 --keywords keywords.txt outbox/*
`,
  'keys init examples': `
The private keys are created 0600 and never printed. The printed line is the
verifier key that a peer lists under peers.<name>.key (the text itself, or the
path of the audit.vkey file), and that 'ferry log verify --pubkey' takes.

Examples:
  ferry keys init --data-dir ./gw-police-extranet/data --name gw-police-extranet
  ferry keys init --config ./gw-police-extranet/gateway.yaml`,
  'keys rotate examples': `
A running gateway: --admin with a sysadmin's certificate (as for 'ferry admin';
or FERRY_ADMIN, FERRY_ADMIN_CERT, FERRY_ADMIN_KEY, FERRY_CA). The gateway writes
key-rotated into its own audit log and switches receipts, checkpoints and new
sealing to the new keys at that record; transfers under way go on.
A stopped gateway: --data-dir (the data-directory lock refuses a running one).

The old private keys are kept in <data-dir>/keys/retired/ (spool files sealed to
the old key stay readable until delivered). 'ferry log verify' given only the
first public key follows the log across the rotation. Peers that list this
gateway's key (peers.<name>.key) need the new key printed here.

Examples:
  ferry keys rotate --admin https://127.0.0.1:8444 --cert alice.crt --key alice.key --ca ca.crt
  ferry keys rotate --data-dir /var/lib/ferry/gw1`,
  'list examples': `
Example:
  ferry list --state denied,failed --since today`,
  'publish examples': `
Messages go one at a time, so they keep the order given. When the destination's
backlog is full (FERRY_BACKLOG_FULL), the message is sent again after the
retry-after the gateway gives, under the same idempotency key (never twice).
Prints one line per message: accepted with its transfer id, or the refusal.
Exit status: 0 all accepted; 1 some refused; 2 usage or connection error.

Examples:
  tail -f events.log | ferry publish --channel events --to extranet/feed --label public
  ferry publish --channel cases --to extranet/feed notice.json --content-type application/json`,
  'subscribe examples': `
Runs until interrupted (or --max), reconnecting when the link drops; a message is
acknowledged only after it was handed on, so a crash anywhere loses nothing, and
a message that comes again is recognised by its sequence number and not handed
on twice. A command that fails stops the subscription (exit 1); the message was
not acknowledged and comes again next time.
Exit status: 0 done (--max reached or interrupted); 1 a message could not be
handed on; 2 usage, connection, or a protocol close (4400, 4409, 4416).

Examples:
  ferry subscribe --channel cases --out ./incoming
  ferry subscribe --channel cases --exec './handle-case.sh' --state ./cases.seq
  ferry subscribe --channel cases --jsonl --from 1200 | jq .body`,
  'certs examples': `
Examples:
  ferry certs init --dir ./pki
  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1
  ferry certs issue --dir ./pki --id ferry://extranet/archive --name archive --server
  ferry certs issue --dir ./pki --id ferry://gateway/gw1 --name gw1 --dns gw1.example.org
  ferry certs show ./pki/sys1.crt
  ferry certs show --dir ./pki
  ferry certs revoke --dir ./pki --id ferry://police/sys1 --reason key-compromise
  ferry certs renew --dir ./pki --name gw1`,
  'certs init examples': `
Example:
  FERRY_CA_PASS=... ferry certs init --dir ./pki --name "Province Data Bureau CA" --passphrase-env FERRY_CA_PASS`,
  'certs issue examples': `
Examples:
  ferry certs issue --dir ./pki --id ferry://police/sys1 --name sys1
  ferry certs issue --dir ./pki --id ferry://extranet/archive --name archive --server
  ferry certs issue --dir ./pki --id ferry://gateway/gw1 --name gw1 --dns gw1.internal --ip 10.0.0.5`,
  'certs show examples': `
Examples:
  ferry certs show ./pki/sys1.crt --json
  ferry certs show --dir ./pki`,
  'certs revoke examples': `
Gateways that name the CRL in gateway.yaml (tls.crl) reload it within seconds and
close connections made with a revoked certificate.

Example:
  ferry certs revoke --dir ./pki --id ferry://police/sys1 --reason key-compromise`,
  'certs renew examples': `
A gateway using these files picks the new pair up without a restart.

Example:
  ferry certs renew --dir ./pki --name gw1`,
  '--admin': 'the admin API, https://host:port (env FERRY_ADMIN)',
  '--code': 'refusal code, e.g. FERRY_CONTENT_DENIED',
  '--data-dir': 'the gateway\'s data_dir',
  '--days': 'validity in days',
  '--db': 'audit database',
  '--destination': 'destination',
  '--dir': 'directory of the CA',
  '--event': 'event (received, decided, denied…)',
  '--finding': 'records carrying a finding of this kind, e.g. personal-data',
  '--gateway': 'gateway listener on your network, https://host:port (env FERRY_GATEWAY)',
  '--limit': 'at most this many records',
  '--out': 'write the proof here instead of stdout',
  '--passphrase-env': 'the environment variable holding the CA key passphrase',
  '--principal': 'principal, e.g. ferry://police/records',
  '--pubkey-file': 'file holding verifier keys, one a line',
  '--rule': 'rule id',
  '--since': 'at or after this time: ISO 8601, today or yesterday (local midnight, TZ), 24h, 7d',
  '--source': 'source',
  '--until': 'before this time (ISO 8601)',
  '--verdict': 'allow or deny',
  '--verify-key': 'the gateway\'s Ed25519 signing.pub (PEM): verify receipt signatures',
  '<topology>': 'a topology file, or a built-in name (two-networks, province, stress)',
  'admin': 'administer a running gateway over its admin API, with an administrator certificate (ferry://admin/<name>)',
  'admin cancel': 'give up a transfer still to deliver: it becomes failed and its spool is removed',
  'admin reload': 'reload policy, keyword lists, destinations, routes and TLS files (what SIGHUP does)',
  'admin retry': 'try delivering a waiting transfer now',
  'admin retry <id>': 'transfer id',
  'admin transfers': 'list transfers still to deliver (or --state …), newest first, with a count per destination',
  'admin transfers --ca': 'the gateway CA (env FERRY_CA)',
  'admin transfers --cert': 'your administrator certificate (env FERRY_ADMIN_CERT)',
  'admin transfers --destination': 'only this destination',
  'admin transfers --json': 'print the answer as JSON',
  'admin transfers --key': 'its private key (env FERRY_ADMIN_KEY)',
  'admin transfers --limit': 'at most this many',
  'admin transfers --state': 'comma-separated states (default queued,forwarding)',
  'certs': 'The private PKI: a CA, and certificates whose identity is a ferry:// URI.',
  'certs crl': 'Sign a fresh CRL from revoked.jsonl: run it before the current one\'s next update (e.g. daily from cron).',
  'certs crl --days': 'days until the next update',
  'certs init': 'Create a certificate authority: ca.crt, and ca.key (mode 0600, encrypted with --passphrase-env).',
  'certs init --dir': 'directory for the CA (created, mode 0700)',
  'certs init --name': 'common name of the CA',
  'certs init --passphrase-env': 'encrypt ca.key with the passphrase in this environment variable',
  'certs issue': 'Issue a certificate: ferry://<network>/<system> for a system (TLS client), ferry://gateway/<name> for a gateway (TLS server and client).',
  'certs issue --dir': 'directory of the CA; <name>.crt and <name>.key are written there',
  'certs issue --dns': 'extra DNS name for a gateway (repeatable; localhost is always included)',
  'certs issue --id': 'identity: ferry://<network>/<system> or ferry://gateway/<name>',
  'certs issue --ip': 'extra IP address for a gateway (repeatable; 127.0.0.1 and ::1 are always included)',
  'certs issue --name': 'common name and file name',
  'certs issue --server': 'a system that receives push deliveries: make its certificate usable by a TLS server too',
  'certs renew': 'A new key and certificate for the same identity, in place of <name>.key and <name>.crt (the old pair is kept as <name>.<serial>.*).',
  'certs renew --name': 'the name the certificate was issued under',
  'certs revoke': 'Revoke a certificate (by serial) or every live certificate of an identity, and write a new CRL (ca.crl) signed by the CA.',
  'certs revoke --days': 'days until the CRL\'s next update',
  'certs revoke --id': 'revoke every unexpired certificate of this identity',
  'certs revoke --reason': 'one of: {{reasons}}',
  'certs revoke --serial': 'serial number of the certificate (see issued.jsonl or ferry certs show)',
  'certs show': 'Show a certificate (subject, ferry identity, validity, serial, SHA-256), or with --dir everything a CA issued and when it expires.',
  'certs show --dir': 'list the CA, its CRL and every certificate issued, with expiry and state',
  'certs show --json': 'print JSON',
  'certs show --warn-days': 'with --dir: flag what expires within this many days',
  'certs show <file>': 'certificate file (PEM or DER)',
  completion: 'print a shell completion script: source <(ferry completion bash)',
  'completion <shell>': 'bash or zsh',
  'demo': 'Run a demo on an embedded default: a dev PKI and a gateway between two networks in a temporary directory, sample files sent, inspected, refused or delivered, and the audit log verified.',
  'demo --keep': 'keep the temporary directory',
  'destinations': 'list the destinations the gateway can carry your transfers to (the policy still decides each one)',
  'gateway': 'Start a gateway: one mTLS listener per network side, the admin listener, the forwarder.',
  'gateway --check': 'validate the configuration and exit',
  'gateway --config': 'gateway.yaml',
  'gateway --ready-file': 'once listening, write the ready signal (one JSON line) to this file, atomically',
  'init': 'Write a ready-to-run two-network dev setup: a dev PKI, a commented gateway.yaml, a policy, and certificates for one sender and two receivers.',
  'init --port-base': 'first of five consecutive ports: police, extranet, admin, push receiver, admin API and console',
  'init <dir>': 'directory to create (must not hold a PKI already)',
  'inspect': 'Inspect files with the gateway\'s inspectors: type, classification markings, keywords, personal data, archives, antivirus.',
  'inspect --clamd': 'scan with this clamd too (INSTREAM); without it no antivirus scan is made',
  'inspect --json': 'one JSON object per file and line: {file, sniffedType, size, findings:[{kind, subkind, offset, path, count, sample, detail}]}',
  'inspect --keywords': 'operator keyword list, one a line (# comments)',
  'inspect --type': 'declared content type to check the content against',
  'inspect <files>': 'files to inspect',
  'keys': 'a gateway\'s own keys (Ed25519 signing, X25519 spool sealing)',
  'keys init': 'Create a gateway\'s keys in its data directory if they do not exist, write keys/audit.vkey and print the public key.',
  'keys init --config': 'take data_dir and name from this gateway.yaml instead',
  'keys init --name': 'the gateway\'s name (with --data-dir)',
  'keys rotate': 'Make new signing and sealing keys; the audit log records key-rotated, signed by the old key and the new one. A running gateway: --admin with a sysadmin certificate; a stopped one: --data-dir.',
  'keys rotate --data-dir': 'the data_dir of a stopped gateway (a running one is asked with --admin)',
  'list': 'list the transfers your system sent, newest first: state, destination, size, name',
  'list --before': 'the page after this transfer id (printed as "more:" at the end of a page)',
  'list --limit': 'at most this many (1-500)',
  'list --since': 'created at or after: 2026-11-29, an ISO time, today, 24h, 7d',
  'list --state': 'only these states, comma-separated (queued,delivered,denied,failed,…)',
  'list --until': 'created before',
  'log': 'query, export, follow, verify and prove the tamper-evident audit log',
  'log check-proof': 'check a proof file (from prove or consistency) with only the gateway public key',
  'log check-proof --pubkey': 'gateway verifier key (repeatable)',
  'log check-proof <file>': 'proof file',
  'log consistency': 'RFC 9162 consistency proof between two stored checkpoints',
  'log consistency --from': 'size of the earlier checkpoint',
  'log consistency --to': 'size of the later checkpoint',
  'log export': 'export records as JSON lines or CSV (streamed)',
  'log export --format': 'jsonl or csv',
  'log export --out': 'write here instead of stdout',
  'log prove': 'inclusion proofs of a transfer\'s records against the latest checkpoint (C2SP tlog-proof)',
  'log prove <transfer-id>': 'the transfer',
  'log query': 'records matching filters, as a table (or JSON lines with --json)',
  'log query --desc': 'newest first',
  'log query --json': 'JSON lines, one record each',
  'log tail': 'follow new records as they are written (polls a read-only connection)',
  'log tail --interval': 'poll interval',
  'log tail --json': 'JSON lines',
  'log tail --lines': 'show this many recent records first',
  'log trace': 'one transfer\'s timeline across gateways: their audit logs joined, each verified first',
  'log trace --dir': 'a folder of collected logs: every audit database in it, and its .vkey files as keys (repeatable)',
  'log trace --db': 'an audit database, one per gateway (repeatable)',
  'log trace --json': 'print the logs and the timeline as JSON',
  'log trace --pubkey': 'gateway verifier key (repeatable); the audit.vkey beside each database is used too',
  'log trace <transfer-id>': 'the transfer (its id is the same at every hop)',
  'log verify': 'recompute every layer of the log and name the first record that fails',
  'log verify --against': 'a later checkpoint kept elsewhere; detects truncation and rollback',
  'log verify --db': 'audit database; or a directory of segments (segment-*.db, and audit.db and audit-segments/ in a data directory)',
  'log verify --json': 'print the report as JSON',
  'log verify --pubkey': 'gateway verifier key <name>+<keyid>+<base64> (repeatable)',
  'policy': 'Check, dry-run and replay transfer policies (docs/policy-language.md).',
  'policy check': 'Validate policy files: schema, networks, globs, zones, duplicate ids, unreachable or shadowed rules.',
  'policy check <files>': 'policy files (YAML)',
  'policy replay': 'Decide again, with this policy, every decision recorded in an audit log, and list what would change.',
  'policy replay --log': 'the audit log (SQLite), opened read-only',
  'policy replay --since': 'only records at or after this ISO 8601 time',
  'policy replay <file>': 'the (new) policy file',
  'policy test': 'Dry-run one transfer against a policy, or run policy test suites (--suite).',
  'policy test --declared-type': 'declared media type',
  'policy test --file': 'a sample file, inspected with the real inspectors',
  'policy test --filename': 'file name as sent (default: the name of --file)',
  'policy test --finding': 'add a finding, as if an inspector had reported it (repeatable)',
  'policy test --from': 'source of the transfer',
  'policy test --kind': 'file or message',
  'policy test --label': 'public, internal or sensitive',
  'policy test --policy': 'with --suite: test this policy instead of the one each suite names',
  'policy test --principal': 'authenticated principal (default ferry://<from>)',
  'policy test --size': 'declared size in bytes',
  'policy test --sniffed-type': 'the content type, as if sniffed from the content (without --file)',
  'policy test --suite': 'the files are policy test suites',
  'policy test --time': 'decide at this time (default now)',
  'policy test --to': 'destination of the transfer',
  'policy test <files>': 'the policy file; with --suite, test suite files (*.test.yaml)',
  'publish': 'publish messages on a channel: one per line of stdin, or one file as one message',
  'publish --channel': 'the channel, such as case-updates',
  'publish --content-type': 'declared media type (default text/plain; charset=utf-8)',
  'publish --label': 'sensitivity: {{labels}}',
  'publish --to': 'destination, such as extranet/feed',
  'publish <file>': 'a file to send as one message; - or nothing: one message per line of stdin',
  'receive': 'fetch the files waiting for your system, verify each hash, save under safe names, then acknowledge',
  'receive --follow': 'keep polling the inbox until interrupted',
  'receive --interval': 'pause between polls with --follow',
  'receive --out': 'folder to save into (created 0700 if missing; files are written 0600, never overwritten)',
  'send': 'send a file through the gateway to a system on another network',
  'send --ca': 'the Ferry CA certificate the gateway must chain to (env FERRY_CA)',
  'send --cert': 'your system\'s certificate, PEM (env FERRY_CERT)',
  'send --content-type': 'declared media type (default: from the extension)',
  'send --filename': 'the name the receiver sees (default: the file\'s base name)',
  'send --idempotency-key': 'a key that makes a retried send count once (1-128 visible ASCII)',
  'send --json': 'print the result as JSON on stdout',
  'send --key': 'your system\'s private key, PEM (env FERRY_KEY; FERRY_KEY_PASSPHRASE if encrypted)',
  'send --label': 'sensitivity of the data: {{labels}}',
  'send --to': 'destination, such as extranet/archive',
  'send <file>': 'the file to send (streamed, any size)',
  'sim': 'the topology simulator: real gateways, shaped links, faults, a workload, and a check that nothing was lost',
  'sim check': 'validate a topology file (problems as file:line:col)',
  'sim run': 'run a topology: PKI, gateways as processes, link proxies, faults, workload; then check and report. Exit 0 valid, 1 invalid, 2 unknown',
  'sim run --isolation': 'auto (network namespaces when root), on, off',
  'sim run --report': 'where report.json, report.html and the run directory go (default: a new temporary directory)',
  'sim run --seed': 'seed of the workload (default: the topology\'s seed)',
  'status': 'show where a transfer you sent stands: accepted, queued, forwarding, delivered, denied, failed, expired',
  'status --hop-key': 'signing.pub of a gateway further on (repeatable): verify the delivered receipt the last gateway signed',
  'serve-inbox': 'receive push deliveries: an HTTPS endpoint (mutual TLS) that saves each file under a safe name once its SHA-256 matches, then answers the gateway',
  'serve-inbox --out': 'folder to save into (created 0700 if missing; files are written 0600, never overwritten)',
  'serve-inbox --listen': 'address and port to listen on, as in the destination\'s url in gateway.yaml',
  'serve-inbox --cert': 'this system\'s certificate, PEM, usable by a TLS server (ferry certs issue --server) (env FERRY_CERT)',
  'serve-inbox --key': 'its private key, PEM (env FERRY_KEY; FERRY_KEY_PASSPHRASE if encrypted)',
  'serve-inbox --ca': 'the Ferry CA certificate the pushing gateway\'s certificate must chain to (env FERRY_CA)',
  'serve-inbox --gateway-name': 'accept pushes only from this gateway (ferry://gateway/<name>; repeatable); default any gateway of the CA',
  'serve-inbox --json': 'print each file received as a JSON line on stdout',
  'status <id>': 'the transfer id printed by ferry send',
  'subscribe': 'receive your system\'s messages on a channel, in order; acknowledge each once handed on',
  'subscribe --channel': 'the channel',
  'subscribe --exec': 'run the command (sh -c) per message, body on stdin, FERRY_SEQ, FERRY_TRANSFER_ID, FERRY_SOURCE… in its environment; acknowledged when it exits 0',
  'subscribe --from': 'start at this sequence number: everything before it counts as received',
  'subscribe --jsonl': 'print each message as a JSON line on stdout (the default); acknowledged once written',
  'subscribe --max': 'stop after this many messages',
  'subscribe --out': 'write each message to <dir>/<seq>.msg (0600, fsynced); acknowledged once durable',
  'subscribe --state': 'keep the last sequence handed on here (fsynced) and resume after it; default <dir>/.ferry-subscribe-<channel> with --out',
};
