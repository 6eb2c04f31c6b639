/** A time budget: the audit stops starting new work when it would not finish before the deadline. */

export interface Budget {
  /** True once the remaining time is below the reserve kept for publishing results. */
  exhausted(): boolean;
}

export const NOT_AUDITED_REASON = 'Not audited: time budget exhausted before this table was reached.';

/**
 * @param remainingMs e.g. Lambda's `context.getRemainingTimeInMillis`
 * @param reserveMs time kept back to evaluate, publish and return
 */
export function createBudget(remainingMs: () => number, reserveMs: number): Budget {
  return { exhausted: () => remainingMs() < reserveMs };
}

export const UNLIMITED_BUDGET: Budget = { exhausted: () => false };
