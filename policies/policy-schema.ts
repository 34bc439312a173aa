import { FINDING_KINDS } from '../protocol/findings.js';
import { LABELS } from '../protocol/transfer.js';
import { BYTE_SIZE_PATTERN } from './byte-size.js';

// JSON Schema of a policy file. Structure only: what needs the whole document
// (networks, lists, duplicate ids, reachability) is checked in semantic-check.ts.

const NAME = '^[a-z0-9][a-z0-9_-]{0,62}$';
const DAY = '(mon|tue|wed|thu|fri|sat|sun)';

const oneOrMany = (item: object) => ({ anyOf: [item, { type: 'array', items: item, minItems: 1 }] });
const str = { type: 'string', minLength: 1 };
const size = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: BYTE_SIZE_PATTERN }] };
const sizeRange = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { min: size, max: size },
};

const match = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    from: oneOrMany(str),
    to: oneOrMany(str),
    principal: oneOrMany(str),
    via: oneOrMany({ type: 'string', pattern: '^[a-z0-9_*?{},-]{1,63}$' }),
    hops: { type: 'object', additionalProperties: false, minProperties: 1, properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } } },
    direction: oneOrMany({ type: 'string', pattern: '^\\s*[a-z0-9_*?{},-]+\\s*->\\s*[a-z0-9_*?{},-]+\\s*$' }),
    label: oneOrMany({ enum: [...LABELS] }),
    kind: oneOrMany({ enum: ['file', 'message'] }),
    extension: oneOrMany({ type: 'string', pattern: '^[a-z0-9_*?{},+-]{1,32}$' }),
    declaredType: oneOrMany(str),
    declaredSize: sizeRange,
    type: oneOrMany(str),
    size: sizeRange,
  },
};

export const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['policy', 'networks', 'rules'],
  properties: {
    policy: { type: 'string', pattern: NAME },
    description: { type: 'string' },
    networks: { type: 'array', items: { type: 'string', pattern: NAME }, minItems: 1 },
    zone: str,
    default_label: { enum: [...LABELS] },
    lists: {
      type: 'object',
      propertyNames: { pattern: NAME },
      additionalProperties: { type: 'array', items: str, minItems: 1 },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'effect', 'description'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$' },
          effect: { enum: ['allow', 'deny'] },
          description: str,
          mode: { enum: ['enforce', 'shadow'] },
          match,
          unless: match,
          when: {
            type: 'object',
            additionalProperties: false,
            required: ['finding'],
            properties: {
              finding: oneOrMany({ enum: [...FINDING_KINDS] }),
              subkind: oneOrMany(str),
              countOver: { type: 'integer', minimum: 0 },
            },
          },
          window: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              days: oneOrMany({ type: 'string', pattern: `^${DAY}(-${DAY})?$` }),
              hours: { type: 'string', pattern: '^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$' },
              zone: str,
              outside: { type: 'boolean' },
            },
          },
          limit: {
            type: 'object',
            additionalProperties: false,
            required: ['per', 'by'],
            properties: {
              transfers: { type: 'integer', minimum: 0 },
              bytes: size,
              per: { enum: ['minute', 'hour', 'day'] },
              by: { enum: ['principal', 'route'] },
            },
          },
          obligations: {
            type: 'object',
            additionalProperties: false,
            properties: {
              retainDays: { type: 'integer', minimum: 0 },
              requirePull: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
} as const;
