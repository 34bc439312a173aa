import type { Finding } from '../protocol/findings.js';

// `ferry policy test --file` and suite cases with `file:` run the gateway's
// inspectors on a sample. The policy part does not import the server: the
// inspector is handed in by whoever assembles the commands (bin/ferry.ts).

export interface InspectedFile {
  sniffedType?: string;
  size: number;
  findings: Finding[];
}

export type InspectFile = (path: string, opts: { declaredType?: string; filename?: string }) => Promise<InspectedFile>;

export function noInspector(): InspectFile {
  return async () => {
    throw new Error('no content inspector is available to this command');
  };
}
