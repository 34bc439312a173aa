// Names of the finding kinds and personal-data sub-kinds, as a person reads them.
import type { FindingKind, PersonalDataSubkind } from '../../protocol/findings.js';

export const findings: { kinds: Record<FindingKind, string>; personalData: Record<PersonalDataSubkind, string> } = {
  kinds: {
    'type-mismatch': 'Type mismatch',
    'classified-marking': 'Classification marking',
    keyword: 'Keyword',
    'personal-data': 'Personal data',
    'archive-limit': 'Archive limit',
    'archive-encrypted': 'Encrypted archive',
    'archive-broken': 'Broken archive',
    malware: 'Malware',
    'av-unavailable': 'Antivirus unavailable',
    'inspection-limit': 'Inspection limit',
    uninspectable: 'Uninspectable content',
  },
  personalData: {
    'cn-resident-id': 'Resident identity card number',
    'cn-mobile': 'Mobile phone number',
    'bank-card': 'Bank card number',
    uscc: 'Unified social credit code',
    email: 'E-mail address',
  },
};
