// Problems in configuration, policy, policy-test-suite and topology files, in
// English. The code writes the same English itself (protocol/yaml-schema.ts
// cannot import a catalogue); a test holds the two equal. {{where}} is the
// value's name in quotes, or `document`; file:line:col and the severity word
// are never translated.

export const problems = {
  document: 'the document',
  /** The alternatives of a value that may take several forms, joined. */
  or: ', or ',
  schema: {
    unknownField: "unknown field '{{field}}' in {{where}}",
    missingField: "{{where}} is missing the required field '{{field}}'",
    oneOf: '{{where}} must be one of {{values}}',
    type: '{{where}} must be {{type}}',
    form: '{{where}} does not have the expected form ({{pattern}})',
    expected: '{{where}} must be {{expected}} (not {{value}})',
    byteCount: '{{where}} must be a byte count, such as 1048576 or "100 MiB"',
    ajv: {
      minimum: '{{where}} must be {{comparison}} {{limit}}',
      maximum: '{{where}} must be {{comparison}} {{limit}}',
      exclusiveMinimum: '{{where}} must be {{comparison}} {{limit}}',
      exclusiveMaximum: '{{where}} must be {{comparison}} {{limit}}',
      minItems: '{{where}} must NOT have fewer than {{limit}} items',
      maxItems: '{{where}} must NOT have more than {{limit}} items',
      minLength: '{{where}} must NOT have fewer than {{limit}} characters',
      maxLength: '{{where}} must NOT have more than {{limit}} characters',
      minProperties: '{{where}} must NOT have fewer than {{limit}} properties',
      maxProperties: '{{where}} must NOT have more than {{limit}} properties',
      anyOf: '{{where}} must match a schema in anyOf',
      oneOf: '{{where}} must match exactly one schema in oneOf',
      const: '{{where}} must be equal to constant',
      uniqueItems: '{{where}} must NOT have duplicate items (items ## {{j}} and {{i}} are identical)',
      propertyNames: '{{where}} property name must be valid',
      multipleOf: '{{where}} must be multiple of {{multipleOf}}',
    },
  },
  /** What the schemas' `description` says a value must be, keyed by the English text itself. */
  descriptions: {
    'a size: a number of bytes, or one such as 512KiB, 10MB, 2GiB': 'a size: a number of bytes, or one such as 512KiB, 10MB, 2GiB',
    'a duration: a number of milliseconds, or one such as 500ms, 30s, 5m, 2h, 7d': 'a duration: a number of milliseconds, or one such as 500ms, 30s, 5m, 2h, 7d',
    'an address and port such as "127.0.0.1:8443" or "[::1]:8443"': 'an address and port such as "127.0.0.1:8443" or "[::1]:8443"',
    'a size for each label, such as { public: 100MiB, internal: 50MiB, sensitive: 10MiB }': 'a size for each label, such as { public: 100MiB, internal: 50MiB, sensitive: 10MiB }',
  } as Record<string, string>,
};
