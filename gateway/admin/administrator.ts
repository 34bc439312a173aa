import type { AdminRole } from '../config/gateway-config.js';

/** An administrator as the admin API and the console know them: from their certificate, with the role gateway.yaml gives that name. */
export interface Administrator {
  name: string;
  uri: string;
  role: AdminRole;
}
