/** Call counters: every attempt reaching the account, per region and operation, by outcome. */
import { operationName } from './operations';

export interface CallCounter {
  ok: number;
  throttled: number;
  /** Calls that reached the model and failed with a (non-throttling) service error. */
  failed: number;
}

export type CallOutcome = keyof CallCounter;

export class CallCounters {
  private counters: Record<string, Record<string, CallCounter>> = {};

  /** Calls per region, per operation name (e.g. `calls['us-east-1'].ListBackups.throttled`). */
  get calls(): Readonly<Record<string, Readonly<Record<string, Readonly<CallCounter>>>>> {
    return this.counters;
  }

  /** The counter of one operation in one region, created at zero. */
  of(region: string, operation: string): CallCounter {
    const byOp = (this.counters[region] ??= {});
    return (byOp[operation] ??= { ok: 0, throttled: 0, failed: 0 });
  }

  /**
   * Number of calls, optionally for one operation (`'ListBackups'` or `'ListBackupsCommand'`), one
   * region and one outcome.
   */
  count(operation?: string, region?: string, outcome?: CallOutcome): number {
    const op = operation === undefined ? undefined : operationName(operation);
    let total = 0;
    for (const [r, byOp] of Object.entries(this.counters)) {
      if (region !== undefined && r !== region) continue;
      for (const [o, c] of Object.entries(byOp)) {
        if (op !== undefined && o !== op) continue;
        total += outcome === undefined ? c.ok + c.throttled + c.failed : c[outcome];
      }
    }
    return total;
  }

  reset(): void {
    this.counters = {};
  }
}
