// The policy and gateway.yaml destinations the subscription tests share.

export const SUB_POLICY = `policy: subscriptions
networks: [police, extranet, social]
rules:
  - id: allow-police-to-extranet
    effect: allow
    description: Police systems send public and internal data to the extranet.
    match: { from: police/*, to: extranet/*, label: [public, internal] }
  - id: deny-classified-marking
    effect: deny
    description: Content carrying a classified marking never crosses.
    when: { finding: classified-marking }
`;

export const SUB_DESTINATIONS = `  extranet/feed: { delivery: subscribe }
  extranet/ledger: { delivery: subscribe }`;
