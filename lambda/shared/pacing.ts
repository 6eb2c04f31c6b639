/**
 * Client-side pacing under AWS's published per-region API rates (docs/aws-facts.md). The SDK's
 * adaptive retry handles what still gets throttled; pacing keeps us from being throttled at all.
 */
import { RateLimit, Sema } from 'async-sema';

export interface Pacer {
  /** Runs `task` when the rate and concurrency allow. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

export interface RateLimits {
  /** DynamoDB ListBackups: 5/s per region; 10% headroom for timing jitter and other callers. */
  listBackupsPerSecond: number;
  /** Each AWS Backup List* operation: 20/s per region (50/s across all AWS Backup APIs). */
  backupListPerSecond: number;
  /** DynamoDB CreateBackup: 50/s. */
  createBackupPerSecond: number;
  /** DescribeTable and other control-plane reads used per table. */
  describeTablePerSecond: number;
  /** How many per-table calls may be in flight at once. */
  perTableConcurrency: number;
  /** Security Hub BatchImportFindings: 10/s per account and region (burst 30). */
  securityHubImportPerSecond: number;
  /** Security Hub GetFindings: 3/s per account and region (burst 6). */
  securityHubReadPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  listBackupsPerSecond: 4.5,
  backupListPerSecond: 15,
  createBackupPerSecond: 40,
  describeTablePerSecond: 40,
  perTableConcurrency: 8,
  securityHubImportPerSecond: 9,
  securityHubReadPerSecond: 2.5,
};

/** No pacing at all: for unit tests against mocked clients. */
export const UNLIMITED_RATES: RateLimits = {
  listBackupsPerSecond: Infinity,
  backupListPerSecond: Infinity,
  createBackupPerSecond: Infinity,
  describeTablePerSecond: Infinity,
  perTableConcurrency: 64,
  securityHubImportPerSecond: Infinity,
  securityHubReadPerSecond: Infinity,
};

/**
 * @param perSecond calls started per second at most, evenly spaced (Infinity: no spacing)
 * @param concurrency calls in flight at most
 * @param timeScale multiplies every interval (benchmarks run simulated time faster)
 */
export function createPacer(perSecond: number, concurrency = 1, timeScale = 1): Pacer {
  const slots = new Sema(Math.max(1, concurrency));
  const spacing =
    Number.isFinite(perSecond) && perSecond > 0
      ? RateLimit(perSecond, { timeUnit: 1000 * timeScale, uniformDistribution: true })
      : undefined;
  return {
    async run(task) {
      await slots.acquire();
      try {
        await spacing?.();
        return await task();
      } finally {
        slots.release();
      }
    },
  };
}

/**
 * Passes each page request of an SDK paginator through the pacer. `nextToken` reads a page's
 * continuation token: after a page without one the paginator makes no more calls, so the listing ends
 * there instead of asking the pacer for a slot with no call behind it (that would cost a whole pacing
 * interval per listing, and run one-page listings, such as per-table ones, at half their rate).
 */
export async function* paced<T>(
  pacer: Pacer,
  pages: AsyncIterable<T>,
  nextToken: (page: T) => unknown,
): AsyncGenerator<T> {
  const iterator = pages[Symbol.asyncIterator]();
  for (;;) {
    const next = await pacer.run(() => iterator.next());
    if (next.done) return;
    yield next.value;
    if (!nextToken(next.value)) {
      await iterator.return?.();
      return;
    }
  }
}
