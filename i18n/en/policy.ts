// What `ferry policy check|test|replay` prints, in English. Rule ids, policy
// names, hashes, verdicts (allow, deny), finding kinds and the first words a
// script looks for (ok, FAIL) are never translated; --json keeps English keys.
// The engine's reason and a rule's own description stay as the policy wrote them.

export const policy = {
  checkOk: '{{file}}: ok: policy {{name}}, {{rules}} rules, sha256 {{hash}}',
  stageBefore: 'stage: before content (the body would not be read)',
  stageAfter: 'stage: after content',
  verdict: 'verdict: {{verdict}}',
  rule: 'rule: {{rule}}',
  defaultDeny: '(none: default deny)',
  reason: 'reason: {{reason}}',
  findingsCounted: 'findings that counted:',
  obligations: 'obligations: {{list}}',
  limited: 'limited: retry after {{seconds}} s',
  shadow: "shadow: rule '{{rule}}' would {{effect}}",
  counter: 'counter: {{key}} = {{value}}',
  policyHash: 'policy: sha256 {{hash}}',
  allFindings: 'all findings: {{list}}',
  alsoMatched: 'also matched: {{list}}',
  cameClose: 'rules that came close:',
  shadowMode: ', shadow',
  closeRule: '  {{rule}} ({{effect}}{{shadow}}, line {{line}}): {{failed}}',
  finding: { in: 'in {{path}}', offset: 'at offset {{offset}}' },
  suite: {
    passed: ' ({{verdict}} by {{rule}})',
    defaultDeny: '(default deny)',
    total: '{{passed}} of {{total}} cases passed',
    coverage: 'rule coverage of {{path}}: {{covered}} of {{total}} rules decided some case',
    notExercised: '  not exercised: {{rules}}',
  },
  replay: {
    head: 'replayed {{records}} decided records of {{log}} with policy {{name}} (sha256 {{hash}})',
    counts: 'newly denied: {{denied}}  newly allowed: {{allowed}}  same verdict by another rule: {{other}}  unchanged: {{same}}  unevaluable: {{unevaluable}}',
    difference: '  #{{seq}} {{time}} {{id}} ({{stage}}): {{change}}: was {{was}} by {{wasRule}}, now {{now}} by {{nowRule}} — {{reason}}',
    defaultRule: '(default)',
    unevaluable: '  #{{seq}} {{time}} {{id}}: unevaluable: {{reason}}',
  },
  error: {
    oneFile: 'ferry policy test: give exactly one policy file (or use --suite)',
    fromTo: 'ferry policy test: --from and --to are required (or use --suite)',
    cannotInspect: 'ferry policy test: cannot inspect {{file}}: {{message}}',
    since: "ferry policy replay: --since '{{since}}' is not an ISO 8601 time",
    cannotReadLog: 'ferry policy replay: cannot read the audit log {{log}}: {{message}}',
  },
};
