// What the `ferry` command line prints and its --help text, in English.
// {{name}} is filled in by i18next; text from the network is made printable first.
export const cli = {
  refusal: {
    refused: 'refused: {{code}} (HTTP {{status}})',
    transfer: 'transfer: {{id}} (ferry status {{id}} shows it later)',
    rule: 'rule: {{rule}}',
    finding: 'finding: {{finding}}',
    retryAfter: 'retry after: {{seconds}} s',
    action: 'what to do: {{action}}',
  },
};
