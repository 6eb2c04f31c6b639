/**
 * A time budget. When the deadline comes, the audit stops starting new work AND cancels the AWS calls
 * in flight (every call it makes carries the budget's abort signal), so the minute kept back for
 * judging, notifying and returning is really there.
 */

export interface Budget {
  /** True once the deadline has passed. */
  exhausted(): boolean;
  /** Aborted at the deadline; pass it to every SDK call as `{ abortSignal }`. */
  readonly signal: AbortSignal;
}

/** A budget with a timer behind it: `dispose()` stops the timer once the work is done. */
export interface Deadline extends Budget {
  dispose(): void;
}

export const NOT_AUDITED_REASON = 'Not audited: time budget exhausted before this table was reached.';

export class BudgetExhaustedError extends Error {
  override name = 'BudgetExhaustedError';
}

/**
 * @param remainingMs e.g. Lambda's `context.getRemainingTimeInMillis`
 * @param reserveMs time kept back to evaluate, publish and return
 */
export function createBudget(remainingMs: () => number, reserveMs: number): Deadline {
  const controller = new AbortController();
  const expire = () => {
    if (!controller.signal.aborted) controller.abort(new BudgetExhaustedError('time budget exhausted'));
  };
  const timer = setTimeout(expire, Math.max(0, remainingMs() - reserveMs));
  timer.unref?.();
  return {
    signal: controller.signal,
    exhausted: () => {
      if (remainingMs() < reserveMs) expire();
      return controller.signal.aborted;
    },
    dispose: () => clearTimeout(timer),
  };
}

/** A budget that a test (or any caller) ends by hand, or when `until` first returns true. */
export function manualBudget(until: () => boolean = () => false): Budget & { expire(): void } {
  const controller = new AbortController();
  const expire = () => {
    if (!controller.signal.aborted) controller.abort(new BudgetExhaustedError('time budget exhausted'));
  };
  return {
    signal: controller.signal,
    exhausted: () => {
      if (until()) expire();
      return controller.signal.aborted;
    },
    expire,
  };
}

export const UNLIMITED_BUDGET: Budget = { exhausted: () => false, signal: new AbortController().signal };

/** The error of a call the budget cancelled (the SDK rejects it with an AbortError). */
export function cancelledBy(budget: Budget, error: unknown): boolean {
  return (
    budget.signal.aborted &&
    error instanceof Error &&
    (error.name === 'AbortError' || error.name === 'BudgetExhaustedError')
  );
}
