/**
 * Request admission: which calls the account throttles. Two rules, per region: the first N calls of
 * an operation (`throttleFirstCalls`), and calls over a per-second rate limit (a sliding window of
 * one scaled second; throttled calls are not admitted, so they do not use up the window).
 */
import type { ServiceName } from './errors';

/**
 * Documented request-rate quotas (calls per second, per account and region). Keys are operation
 * names, or `<service>:*` for a limit shared by every operation of a service.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, number>> = {
  ListBackups: 5,
  CreateBackup: 50,
  ListBackupVaults: 20,
  ListRecoveryPointsByBackupVault: 20,
  ListRecoveryPointsByResource: 20,
  'backup:*': 50,
  BatchImportFindings: 10,
  GetFindings: 3,
};

/** One number for every operation, or per operation name with `'*'` as the fallback. */
export type PerOperation = number | Readonly<Record<string, number>>;

function forOperation(value: PerOperation, operation: string): number {
  if (typeof value === 'number') return value;
  return value[operation] ?? value['*'] ?? 0;
}

export class Admission {
  /** Adjustable at run time; applies from the next call. */
  throttleFirstCalls: PerOperation;
  private readonly rateLimits: Readonly<Record<string, number>>;
  private firstCalls = new Map<string, number>();
  private windows = new Map<string, number[]>();

  /** `rateLimits` is merged over DEFAULT_RATE_LIMITS; `Infinity` lifts a default limit. */
  constructor(options: { throttleFirstCalls?: PerOperation; rateLimits?: Readonly<Record<string, number>> }) {
    this.throttleFirstCalls = options.throttleFirstCalls ?? 0;
    this.rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  }

  /** True when this call is throttled; an admitted call is recorded in its rate windows. */
  throttles(service: ServiceName, operation: string, region: string, timeScale: number): boolean {
    const key = `${region}|${operation}`;
    const seen = (this.firstCalls.get(key) ?? 0) + 1;
    this.firstCalls.set(key, seen);
    if (seen <= forOperation(this.throttleFirstCalls, operation)) return true;

    const now = performance.now();
    const windowStart = now - 1000 * timeScale;
    const limited: number[][] = [];
    for (const [limitKey, windowKey] of [
      [operation, key],
      [`${service}:*`, `${region}|${service}:*`],
    ] as const) {
      const limit = this.rateLimits[limitKey];
      if (limit === undefined || !Number.isFinite(limit)) continue;
      const window = this.windows.get(windowKey) ?? [];
      this.windows.set(windowKey, window);
      while (window.length > 0 && (window[0] ?? 0) <= windowStart) window.shift();
      if (window.length >= limit) return true;
      limited.push(window);
    }
    for (const window of limited) window.push(now);
    return false;
  }

  /** Restarts the throttle-first-calls counts and the rate windows. */
  reset(): void {
    this.firstCalls = new Map();
    this.windows = new Map();
  }
}
