import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
/**
 * The benchmark's simulated account: one region built by `buildScenario`, a fixed latency per call,
 * the simulator's default rate limits, and SDK clients whose retry backoff runs on the same time scale.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient, ListBackupsCommand } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { RegionClients } from '../lambda/shared/audit-region';
import { DEFAULT_RATE_LIMITS as OUR_RATES } from '../lambda/shared/pacing';
import {
  buildScenario,
  DEFAULT_MIX,
  DEFAULT_RATE_LIMITS,
  SimulatedAccount,
  type SimulatedAccountOptions,
} from '../sim';

export const REGION = 'us-east-1';
export const SEED = 42;
/** Reference time of the scenario, so every run builds the same account. */
export const NOW = new Date('2025-06-01T00:00:00Z');
/** Simulated latency of every call. */
export const LATENCY_MS = 20;
/** Attempts per call, retries included (as the audit's own clients). */
export const MAX_ATTEMPTS = 10;
/** The SDK's standard backoff shape, in simulated ms: 200, 400, 800, … capped at 20 s. */
export const backoffMs = (attempt: number): number => Math.min(20_000, 100 * 2 ** attempt);

/** Operations either procedure calls, in the order the tables print them. */
export const OPERATIONS = [
  'ListTables',
  'ListBackups',
  'DescribeTable',
  'ListBackupVaults',
  'ListRecoveryPointsByBackupVault',
  'ListRecoveryPointsByResource',
] as const;

/**
 * How many native backups the tables that have them keep. The audit's time is set by ListBackups
 * (ceil(B/100) pages at 5/s), the naive procedure's by ListRecoveryPointsByResource (T calls at
 * 20/s), so naive/ours is about 25·T/B whatever the design: the mix decides the ratio.
 */
export const MIXES = {
  lean: {
    nativeBackupsPerTable: [1, 1],
    deletedBackupShare: 0.2,
    label:
      'one AVAILABLE native backup per backed-up table (a job that keeps the latest), 20% also an older DELETED one',
  },
  dense: {
    nativeBackupsPerTable: [1, 3],
    deletedBackupShare: 0.3,
    label: '1–3 AVAILABLE native backups per backed-up table, 30% also 1–2 older DELETED ones',
  },
} as const;
export type MixName = keyof typeof MIXES;

export function buildAccount(
  tables: number,
  timeScale: number,
  options: Pick<SimulatedAccountOptions, 'rateLimits'> = {},
  mix: MixName = 'lean',
): SimulatedAccount {
  const { nativeBackupsPerTable, deletedBackupShare } = MIXES[mix];
  return buildScenario({
    regions: [REGION],
    tablesPerRegion: tables,
    seed: SEED,
    now: NOW,
    nativeBackupsPerTable,
    deletedBackupShare,
    sim: { latencyMs: LATENCY_MS, timeScale, ...options },
  });
}

/** Fresh clients (fresh retry-token buckets) attached to `sim`, with backoff scaled by `timeScale`. */
export function regionClients(sim: SimulatedAccount, timeScale: number): RegionClients {
  const retryStrategy = () =>
    new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) => backoffMs(attempt) * timeScale);
  return {
    dynamodb: sim.client(DynamoDBClient, {
      region: REGION,
      maxAttempts: MAX_ATTEMPTS,
      retryStrategy: retryStrategy(),
    }),
    backup: sim.client(BackupClient, {
      region: REGION,
      maxAttempts: MAX_ATTEMPTS,
      retryStrategy: retryStrategy(),
    }),
    tagging: sim.client(ResourceGroupsTaggingAPIClient, {
      region: REGION,
      maxAttempts: MAX_ATTEMPTS,
      retryStrategy: retryStrategy(),
    }),
    // The benchmark measures collectFindings, which never calls Security Hub.
    securityhub: sim.client(SecurityHubClient, { region: REGION }),
  };
}

/** Calls per operation as the account counted them: every attempt, throttled ones included. */
export interface OperationCalls {
  ok: number;
  throttled: number;
  failed: number;
}

export type CallsByOperation = Record<string, OperationCalls>;

export function snapshotCalls(sim: SimulatedAccount): CallsByOperation {
  const byOp = sim.calls[REGION] ?? {};
  return Object.fromEntries(Object.entries(byOp).map(([op, c]) => [op, { ...c }]));
}

export function totalCalls(calls: CallsByOperation, outcome?: keyof OperationCalls): number {
  return Object.values(calls).reduce(
    (sum, c) => sum + (outcome === undefined ? c.ok + c.throttled + c.failed : c[outcome]),
    0,
  );
}

/** What the lower bound ceil(T/100) + ceil(B/100) + K is made of. */
export interface AccountShape {
  /** Tables ListTables returns. */
  tables: number;
  /** Native backups ListBackups(BackupType ALL) returns for the region, deleted tables' included. */
  nativeBackups: number;
  /** Tables without an AVAILABLE native backup. */
  withoutUsableNative: number;
  lowerBound: number;
  /** Real ms per ListBackups page of the counting pass: mostly the simulator's own CPU time. */
  listBackupsRealMsPerPage: number;
}

/**
 * Counts B and K through the API, before the timed runs: one ListBackups pass over the whole region
 * with the account's time scale turned down so the pass is instant. Resets the counters afterwards.
 */
export async function measureShape(sim: SimulatedAccount, timeScale: number): Promise<AccountShape> {
  sim.timeScale = 1e-4;
  const { dynamodb } = regionClients(sim, 1e-4);
  const tablesWithUsable = new Set<string>();
  let nativeBackups = 0;
  let pages = 0;
  let startArn: string | undefined;
  const started = performance.now();
  do {
    pages++;
    const page = await dynamodb.send(
      new ListBackupsCommand({ BackupType: 'ALL', Limit: 100, ExclusiveStartBackupArn: startArn }),
    );
    for (const b of page.BackupSummaries ?? []) {
      nativeBackups++;
      if (b.BackupStatus === 'AVAILABLE' && b.TableName) tablesWithUsable.add(b.TableName);
    }
    startArn = page.LastEvaluatedBackupArn;
  } while (startArn);
  const listBackupsRealMsPerPage = (performance.now() - started) / pages;
  sim.timeScale = timeScale;
  sim.resetCounters();

  const names = sim.tableNames(REGION);
  const withoutUsableNative = names.filter((n) => !tablesWithUsable.has(n)).length;
  return {
    tables: names.length,
    nativeBackups,
    withoutUsableNative,
    lowerBound: Math.ceil(names.length / 100) + Math.ceil(nativeBackups / 100) + withoutUsableNative,
    listBackupsRealMsPerPage,
  };
}

/** The model, as printed at the top of the output. */
export function describeModel(timeScale: number, naiveTimeScale: number): string[] {
  const mix = Object.entries(DEFAULT_MIX)
    .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
    .join(', ');
  const limits = Object.entries(DEFAULT_RATE_LIMITS)
    .map(([k, v]) => `${k} ${v}/s`)
    .join(', ');
  const lines = [
    `Account   buildScenario({ regions: ['${REGION}'], tablesPerRegion: T, seed: ${SEED}, now: ${NOW.toISOString()} })`,
    `          mix: ${mix}; plus max(1, 2% of T) deleted tables whose native backups stay listed`,
    ...Object.entries(MIXES).map(([name, m]) => `          ${name.padEnd(6)} ${m.label}`),
    `Latency   ${LATENCY_MS} ms of simulated time per call (every attempt, throttled ones included)`,
    `Limits    the simulator's defaults, per second per region: ${limits}`,
    `          a call over a limit is answered ThrottlingException (sliding 1 s window; throttled calls don't use it)`,
    `Retries   SDK ConfiguredRetryStrategy(${MAX_ATTEMPTS} attempts, backoff min(20 s, 100 ms × 2^attempt) × timeScale)`,
    `          for both procedures, so the SDK's own (real-time) backoff runs on the simulated clock too`,
    `Time      timeScale ${timeScale}: ${LATENCY_MS} ms simulated = ${LATENCY_MS * timeScale} ms real;` +
      ` simulated wall time = real elapsed / timeScale`,
  ];
  if (naiveTimeScale !== timeScale) {
    lines.push(
      `          naive runs at timeScale ${naiveTimeScale}: the same model (latency, limits, backoff all scaled alike),` +
        ` a faster clock to keep the run short`,
    );
  }
  lines.push(
    `Ours      collectFindings(clients, { region, accountId, rates: DEFAULT_RATE_LIMITS, budget: UNLIMITED_BUDGET, timeScale })`,
    `          it paces itself (DEFAULT_RATE_LIMITS of lambda/shared/pacing.ts): ListBackups ${OUR_RATES.listBackupsPerSecond}/s,` +
      ` AWS Backup List* ${OUR_RATES.backupListPerSecond}/s, ${OUR_RATES.perTableConcurrency} per-table calls in flight`,
    `Naive     ListTables (paginated), then per table, one after another: DescribeTable, ListRecoveryPointsByResource`,
    `          (paginated); no client-side pacing: the model throttles it, the SDK retries it`,
    `Bound     ceil(T/100) + ceil(B/100) + K: B native backups ListBackups lists in the region, K tables without an`,
    `          AVAILABLE native backup (both counted through the API before the timed runs)`,
  );
  return lines;
}
