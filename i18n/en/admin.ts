// What `ferry admin` prints, in English. Ids, states, system names, codes and
// reload parts are never translated; --json keeps the gateway's own answer.

export const admin = {
  transfer: '{{id}}  {{state}}  {{source}} → {{destination}}  attempts {{attempts}}{{reason}}',
  reason: '  ({{reason}})',
  queued: '{{destination}}: {{count}}',
  retrying: 'retrying {{id}}',
  cancelled: 'cancelled {{id}}',
  changed: 'changed: {{parts}}',
  nothing: 'nothing',
  restart: 'needs a restart: {{parts}}',
  problem: 'problem: {{problem}}',
  refused: 'refused: {{code}} (HTTP {{status}}): {{detail}}',
  error: {
    required: '{{flag}} is required (or set {{env}})',
    adminRequired: "--admin https://host:port is required (or set FERRY_ADMIN): the gateway's admin API listener",
    cannotRead: 'cannot read {{path}} given by {{flag}}: {{message}}',
    noSuchFile: 'no such file',
  },
};
