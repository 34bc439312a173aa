// The CPU one transfer's inspection may take (content-stage.ts enforces it), apart so that the gateway's
// configuration can give its default (inspect.budget) without loading the inspection.

/** This much of its worker's CPU, plus BUDGET_PER_MIB_MS for each MiB (a floor of 1 MiB/s). */
export const BUDGET_BASE_MS = 30_000;
export const BUDGET_PER_MIB_MS = 1_000;

export interface InspectBudget {
  baseMs?: number;
  perMiBMs?: number;
}
