// What `ferry log verify`, `trace` and `check-proof` print, in English. The
// first word (ok, FAILED, INVALID) is the same in every language: scripts and
// people skimming a page of results look for it.

export const log = {
  sigsChecked: '{{n}} signatures checked',
  sigsNotChecked: 'signatures NOT checked: no --pubkey',
  segmentsOk: 'ok: {{count}} segments ({{first}}..{{last}}), {{records}} records, linked{{pruned}} ({{sigs}})',
  pruned: '; segments {{first}}..{{last}} recorded as pruned',
  segmentFailed: 'FAILED in segment {{segment}} at seq {{seq}} ({{check}}): {{message}}',
  ok: 'ok: {{records}} records, {{nodes}} Merkle nodes, {{checkpoints}} checkpoints ({{sigs}}){{against}}',
  against: ', contains the exported checkpoint of size {{size}}',
  failed: 'FAILED at seq {{seq}} ({{check}}): {{message}}',
  verifiedBefore: '{{records}} records verified before it.',
  progress: 'verified {{n}} of {{total}} records',
  trace: {
    notAKey: 'ferry log trace: {{file}} is not a verifier key; not used',
    unknownGateway: 'unknown gateway',
    logOk: 'log {{db}} ({{gateway}}): ok, {{records}} records, {{sigs}} signatures checked{{nokey}}',
    noKey: ' (no key: signatures NOT checked)',
    logFailed: 'log {{db}} ({{gateway}}): FAILED at seq {{seq}} ({{check}}): {{message}}',
    summary: 'transfer {{id}}: {{records}} records in {{found}} of {{logs}} logs',
    hops: 'path: {{hops}} (in brackets: a gateway whose log is not here, named by another)',
  },
  proof: {
    inclusion: 'ok: seq {{seqs}} included in {{origin}} at tree size {{size}}, signature checked',
    consistency: 'ok: {{origin}} tree size {{to}} extends tree size {{from}}, both signatures checked',
    invalid: 'INVALID: {{message}}',
  },
  // The table of `ferry log query` and `log tail`: the values (events, verdicts, codes, rules) stay as recorded.
  table: {
    seq: 'SEQ', time: 'TIME', event: 'EVENT', transfer: 'TRANSFER', source: 'SOURCE', destination: 'DESTINATION',
    verdict: 'VERDICT', size: 'SIZE', code: 'CODE', rule: 'RULE',
  },
};
