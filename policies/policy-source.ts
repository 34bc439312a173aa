// The shape of a policy file as an operator writes it (after YAML parsing and
// schema validation). docs/policy-language.md describes every field.

import type { Label } from '../protocol/transfer.js';

export type OneOrMany<T> = T | T[];

export interface MatchSource {
  /** globs on the source `<network>/<system>`, or `$list` */
  from?: OneOrMany<string>;
  /** globs on the destination `<network>/<system>`, or `$list` */
  to?: OneOrMany<string>;
  /** globs on the principal URI, e.g. ferry://gateway/* */
  principal?: OneOrMany<string>;
  /** globs on the upstream gateway's name, for a transfer a peer gateway handed on */
  via?: OneOrMany<string>;
  /** how many gateways the transfer crossed before this one (0 from a system) */
  hops?: { min?: number; max?: number };
  /** network pairs `police -> extranet`; either side may be `*` */
  direction?: OneOrMany<string>;
  label?: OneOrMany<'public' | 'internal' | 'sensitive'>;
  kind?: OneOrMany<'file' | 'message'>;
  /** extensions without the dot, lower case */
  extension?: OneOrMany<string>;
  /** globs on the declared media type */
  declaredType?: OneOrMany<string>;
  declaredSize?: SizeRangeSource;
  /** globs on the sniffed media type (known after content) */
  type?: OneOrMany<string>;
  /** actual size (known after content) */
  size?: SizeRangeSource;
}

export interface SizeRangeSource {
  min?: number | string;
  max?: number | string;
}

export interface WhenSource {
  finding: OneOrMany<string>;
  subkind?: OneOrMany<string>;
  /** the rule holds when the findings' total count is above this; default 0 */
  countOver?: number;
}

export interface WindowSource {
  days?: OneOrMany<string>;
  /** `HH:MM-HH:MM`, may cross midnight */
  hours?: string;
  zone?: string;
  /** hold outside the window instead of inside */
  outside?: boolean;
}

export interface LimitSource {
  transfers?: number;
  bytes?: number | string;
  per: 'minute' | 'hour' | 'day';
  by: 'principal' | 'route';
}

export interface RuleSource {
  id: string;
  effect: 'allow' | 'deny';
  description: string;
  mode?: 'enforce' | 'shadow';
  match?: MatchSource;
  when?: WhenSource;
  unless?: MatchSource;
  window?: WindowSource;
  limit?: LimitSource;
  obligations?: { retainDays?: number; requirePull?: boolean };
}

export interface PolicySource {
  /** The label of a transfer that names none; without it, a transfer must name its label. */
  default_label?: Label;
  policy: string;
  description?: string;
  networks: string[];
  zone?: string;
  lists?: Record<string, string[]>;
  rules: RuleSource[];
}
