import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
/**
 * The benchmark's simulated account: one region built by `buildScenario`, a fixed latency per call,
 * the simulator's default rate limits, and SDK clients whose retry backoff runs on the same time scale.
 */
import {
  BackupClient,
  BackupVaultListMember,
  paginateListBackupVaults,
  paginateListRecoveryPointsByBackupVault,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, ListBackupsCommand } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { RegionClients } from '../lambda/shared/audit-region';
import { DEFAULT_RATE_LIMITS as OUR_RATES } from '../lambda/shared/pacing';
import {
  buildScenario,
  DEFAULT_MIX,
  DEFAULT_RATE_LIMITS,
  SIM_CREDENTIALS,
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
  'ListBackupVaults',
  'ListRecoveryPointsByBackupVault',
  'ListRecoveryPointsByResource',
  'GetResources',
  'DescribeTable',
] as const;

/**
 * How many native backups the tables that have them keep. Both procedures' time is set by ListBackups
 * (5 calls a second per region): ours pages through the region's B backups, ceil(B/100) calls; the
 * per-table procedure makes at least one call per table, T calls. So per-table/ours is about
 * 100·T/B: the number of backups per table decides the ratio (see docs/scaling.md).
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

/**
 * Fresh clients (fresh retry-token buckets) attached to `sim`, with backoff scaled by `timeScale`.
 * Credentials are passed in the config, so the clients need nothing from `attach` but its middleware.
 */
export function regionClients(sim: SimulatedAccount, timeScale: number): RegionClients {
  const config = () => ({
    region: REGION,
    credentials: SIM_CREDENTIALS,
    maxAttempts: MAX_ATTEMPTS,
    retryStrategy: new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt) => backoffMs(attempt) * timeScale),
  });
  return {
    dynamodb: sim.client(DynamoDBClient, config()),
    backup: sim.client(BackupClient, config()),
    tagging: sim.client(ResourceGroupsTaggingAPIClient, config()),
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

/** The account as the API shows it, and the calls each procedure must make on it. */
export interface AccountShape {
  /** Tables ListTables returns. */
  tables: number;
  /** Native backups ListBackups(BackupType ALL) returns for the region, deleted tables' included. */
  nativeBackups: number;
  /** Tables without an AVAILABLE native backup. */
  withoutUsableNative: number;
  /** Pages of ListRecoveryPointsByBackupVault over every vault (1,000 a page, at least 1 a vault). */
  vaultPages: number;
  /** ListTables pages: floor(T/100) + 1 (the simulator marks a full last page as "maybe more"). */
  listTablesPages: number;
  /** Ours: ListTables pages + floor(B/100) + 1 ListBackups pages + awsBackupCalls(K, vault pages). */
  oursCalls: number;
  /** Per table: ListTables pages + each table's ListBackups pages + its ListRecoveryPointsByResource pages. */
  perTableCalls: number;
  /** Per table: ListBackups calls alone (one page of 100 per table, or more). */
  perTableListBackups: number;
  /** Real ms per account-wide ListBackups page of the counting pass (SDK and simulator CPU). */
  listBackupsRealMsPerPage: number;
  /** Real ms per ListBackups(TableName) call of the counting pass (SDK and simulator CPU). */
  perTableListBackupsRealMs: number;
}

const BACKUP_PAGE = 100;
const VAULT_PAGE = 1000;
/**
 * Ours' AWS Backup calls for K tables and V vault pages (one look per table when each table's
 * recovery points fit a page): K < 3, one look-up per table; otherwise 2 ListBackupVaults calls
 * (standard and logically air-gapped vaults), then whichever is fewer, V vault pages or K look-ups.
 */
export function awsBackupCalls(k: number, v: number): number {
  if (k === 0) return 0;
  return k < 3 ? k : 2 + Math.min(v, k);
}

/** Tables whose per-table ListBackups call the counting pass times. */
const TIMED_TABLES = 50;

/**
 * Counts T, B, K and the vault pages through the API, before the timed runs, with the account's time
 * stopped (time scale 0: no latency, no rate window), so the counting is instant and the real time it
 * takes is the SDK's and the simulator's own CPU. Resets the counters afterwards.
 */
export async function measureShape(sim: SimulatedAccount, timeScale: number): Promise<AccountShape> {
  sim.timeScale = 0;
  const { dynamodb, backup } = regionClients(sim, 0);
  const backupsByTable = new Map<string, number>();
  const tablesWithUsable = new Set<string>();
  let nativeBackups = 0;
  let pages = 0;
  let startArn: string | undefined;
  const started = performance.now();
  do {
    pages++;
    const page = await dynamodb.send(
      new ListBackupsCommand({ BackupType: 'ALL', Limit: BACKUP_PAGE, ExclusiveStartBackupArn: startArn }),
    );
    for (const b of page.BackupSummaries ?? []) {
      nativeBackups++;
      if (!b.TableName) continue;
      backupsByTable.set(b.TableName, (backupsByTable.get(b.TableName) ?? 0) + 1);
      if (b.BackupStatus === 'AVAILABLE') tablesWithUsable.add(b.TableName);
    }
    startArn = page.LastEvaluatedBackupArn;
  } while (startArn);
  const listBackupsRealMsPerPage = (performance.now() - started) / pages;

  const names = sim.tableNames(REGION);
  const timedStart = performance.now();
  const timed = names.slice(0, TIMED_TABLES);
  for (const name of timed) {
    await dynamodb.send(new ListBackupsCommand({ TableName: name, BackupType: 'ALL', Limit: BACKUP_PAGE }));
  }
  const perTableListBackupsRealMs = (performance.now() - timedStart) / Math.max(1, timed.length);

  const vaults = new Map<string, BackupVaultListMember>();
  for (const vaultType of [undefined, 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT'] as const) {
    const input = { MaxResults: VAULT_PAGE, ...(vaultType ? { ByVaultType: vaultType } : {}) };
    for await (const page of paginateListBackupVaults({ client: backup }, input)) {
      for (const v of page.BackupVaultList ?? []) if (v.BackupVaultArn) vaults.set(v.BackupVaultArn, v);
    }
  }
  const pointsByArn = new Map<string, number>();
  let vaultPages = 0;
  for (const vault of vaults.values()) {
    vaultPages += Math.max(1, Math.ceil((vault.NumberOfRecoveryPoints ?? 0) / VAULT_PAGE));
    const input = {
      BackupVaultName: vault.BackupVaultName,
      ByResourceType: 'DynamoDB',
      MaxResults: VAULT_PAGE,
    };
    for await (const page of paginateListRecoveryPointsByBackupVault({ client: backup }, input)) {
      for (const p of page.RecoveryPoints ?? []) {
        if (p.ResourceArn) pointsByArn.set(p.ResourceArn, (pointsByArn.get(p.ResourceArn) ?? 0) + 1);
      }
    }
  }
  sim.timeScale = timeScale;
  sim.resetCounters();

  const tables = names.length;
  const withoutUsableNative = names.filter((n) => !tablesWithUsable.has(n)).length;
  const listTablesPages = Math.floor(tables / BACKUP_PAGE) + 1;
  const perTableListBackups = names.reduce(
    (sum, n) => sum + Math.floor((backupsByTable.get(n) ?? 0) / BACKUP_PAGE) + 1,
    0,
  );
  const perTableRecoveryPoints = names.reduce(
    (sum, n) => sum + Math.max(1, Math.ceil((pointsByArn.get(sim.tableArn(REGION, n)) ?? 0) / VAULT_PAGE)),
    0,
  );
  return {
    tables,
    nativeBackups,
    withoutUsableNative,
    vaultPages,
    listTablesPages,
    oursCalls:
      listTablesPages +
      Math.floor(nativeBackups / BACKUP_PAGE) +
      1 +
      awsBackupCalls(withoutUsableNative, vaultPages) +
      // the exemption tags: one tag:GetResources page (no table of the scenario is tagged)
      1,
    perTableCalls: listTablesPages + perTableListBackups + perTableRecoveryPoints,
    perTableListBackups,
    listBackupsRealMsPerPage,
    perTableListBackupsRealMs,
  };
}

/** The model, as printed at the top of the output. */
export function describeModel(timeScale: number, perTableScale: number): string[] {
  const mix = Object.entries(DEFAULT_MIX)
    .map(([k, v]) => `${k} ${Math.round(v * 100)}%`)
    .join(', ');
  const limits = Object.entries(DEFAULT_RATE_LIMITS)
    .map(([k, v]) => `${k} ${v}/s`)
    .join(', ');
  return [
    `Account   buildScenario({ regions: ['${REGION}'], tablesPerRegion: T, seed: ${SEED}, now: ${NOW.toISOString()} })`,
    `          mix: ${mix}; plus max(1, 2% of T) deleted tables whose native backups stay listed`,
    ...Object.entries(MIXES).map(([name, m]) => `          ${name.padEnd(6)} ${m.label}`),
    `Latency   ${LATENCY_MS} ms of simulated time per call (every attempt, throttled ones included)`,
    `Limits    the simulator's defaults, per second per region: ${limits}`,
    `          a call over a limit is answered ThrottlingException (sliding 1 s window; throttled calls don't use it)`,
    `Retries   SDK ConfiguredRetryStrategy(${MAX_ATTEMPTS} attempts, backoff min(20 s, 100 ms × 2^attempt) × timeScale)`,
    `          for both procedures, so the SDK's own (real-time) backoff runs on the simulated clock too`,
    `Time      simulated wall time = real elapsed / timeScale; ours at timeScale ${timeScale}` +
      ` (${LATENCY_MS} ms simulated = ${LATENCY_MS * timeScale} ms real),`,
    `          per-table at timeScale ${perTableScale}: the same model (latency, limits, pacing, backoff all scaled alike),` +
      ` a faster clock to keep the run short`,
    `Pacing    both sides: createPacer of lambda/shared/pacing.ts at DEFAULT_RATE_LIMITS: ListBackups ${OUR_RATES.listBackupsPerSecond}/s,` +
      ` AWS Backup List* ${OUR_RATES.backupListPerSecond}/s, ${OUR_RATES.perTableConcurrency} per-table look-ups in flight`,
    `Ours      collectFindings(clients, { region, accountId, rates: DEFAULT_RATE_LIMITS, budget: UNLIMITED_BUDGET, timeScale }):`,
    `          ListTables beside one account-wide ListBackups(BackupType ALL); AWS Backup for the K tables without an`,
    `          AVAILABLE native backup, by vault or per table, whichever needs fewer calls`,
    `Per-table ListTables, then for every table, side by side: ListBackups(TableName, BackupType ALL) and`,
    `          ListRecoveryPointsByResource(ResourceArn built from the name), all pages; judged with the same rule`,
    `Formula   ours: floor(T/100)+1 + floor(B/100)+1 + (K < 3 ? K : 2 + min(vault pages, K)) + 1 tag listing; per-table: floor(T/100)+1 +`,
    `          Σ(floor(backups/100)+1) + Σ max(1, ceil(recovery points/1000)); all counted through the API before the runs`,
  ];
}
