/**
 * One region's audit, the core shared by the audit Lambda and the CLI: list every table, gather
 * native backups (one account-wide listing) and, only for tables without a usable native backup,
 * AWS Backup recovery points; judge each table with the rule. Calls for T tables, B native backups
 * and K tables without a usable native backup: ceil(T/100) + ceil(B/100) + min(K, 2 + vault pages).
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableArn } from './arn';
import { Budget, NOT_AUDITED_REASON } from './budget';
import { listNativeBackups, NativeBackupIndex } from './listing/native-backups';
import { lookUpRecoveryPoints, RecoveryPointStrategy } from './listing/recovery-points';
import { listTableNames } from './listing/tables';
import { createPacer, RateLimits } from './pacing';
import { BackupEvidence, evaluate, isUsable, SourceResult, TableEvidence } from './rule';
import { AuditReport, AuditSummary, Finding } from './types';

export interface RegionClients {
  dynamodb: DynamoDBClient;
  backup: BackupClient;
}

export interface CollectOptions {
  region: string;
  accountId: string;
  rates: RateLimits;
  budget: Budget;
  /** Multiplies pacing intervals (benchmarks only). @default 1 */
  timeScale?: number;
  /** Progress callback (the CLI's progress line). */
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { phase: 'tablesListed'; tables: number }
  | { phase: 'nativeBackupsListed'; tablesWithoutUsableNative: number }
  | { phase: 'evaluated'; tables: number };

export interface RegionFindings {
  findings: Finding[];
  /** False when the table listing itself stopped at the time budget: some tables are missing. */
  tableListComplete: boolean;
  recoveryPointStrategy: RecoveryPointStrategy;
}

export async function collectFindings(
  clients: RegionClients,
  options: CollectOptions,
): Promise<RegionFindings> {
  const { region, accountId, rates, budget } = options;
  const timeScale = options.timeScale ?? 1;
  // ListTables and the account-wide ListBackups are independent: run them side by side, so the
  // region takes as long as the slower one (ListBackups, at 5 calls a second).
  const tablesFailed = new AbortController();
  const listingBudget: Budget = {
    exhausted: () => tablesFailed.signal.aborted || budget.exhausted(),
    signal: AbortSignal.any([budget.signal, tablesFailed.signal]),
  };
  const nativePromise = listNativeBackups(
    clients.dynamodb,
    createPacer(rates.listBackupsPerSecond, 1, timeScale),
    listingBudget,
  );
  const listing = await listTableNames(clients.dynamodb, budget).catch(async (error: unknown) => {
    tablesFailed.abort(); // the region cannot be audited: stop the backup listing too
    await nativePromise;
    throw error;
  });
  options.onProgress?.({ phase: 'tablesListed', tables: listing.names.length });
  const native = await nativePromise;

  const evidence: TableEvidence[] = listing.names.map((name) => ({
    region,
    tableName: name,
    tableArn: tableArn(region, accountId, name),
    native: nativeResult(native.byTable.get(name) ?? [], native.incomplete),
    awsBackup: { kind: 'notNeeded' },
  }));

  const needAwsBackup = evidence.filter(
    (e) => !(e.native.kind === 'listed' && e.native.backups.some(isUsable)),
  );
  options.onProgress?.({ phase: 'nativeBackupsListed', tablesWithoutUsableNative: needAwsBackup.length });

  const lookup = await lookUpRecoveryPoints(
    {
      backup: clients.backup,
      pacer: createPacer(rates.backupListPerSecond, rates.perTableConcurrency, timeScale),
      perTablePacer: createPacer(Infinity, rates.perTableConcurrency),
      budget,
    },
    needAwsBackup.map((e) => e.tableArn),
  );
  for (const e of needAwsBackup) {
    const result = lookup.results.get(e.tableArn);
    if (result) e.awsBackup = result;
    else e.notAudited = NOT_AUDITED_REASON;
  }
  for (const e of evidence) {
    // Native listing cut by the budget and nothing else proved the table compliant.
    if (e.native.kind === 'failed' && native.incomplete?.reason === 'budget' && !hasUsable(e.awsBackup)) {
      e.notAudited = NOT_AUDITED_REASON;
    }
  }

  const findings = evidence.map(evaluate);
  options.onProgress?.({ phase: 'evaluated', tables: findings.length });
  return { findings, tableListComplete: listing.complete, recoveryPointStrategy: lookup.strategy };
}

/**
 * A table's native evidence. With a complete listing, its backups (maybe none). With a cut-short
 * listing, an AVAILABLE backup seen is still proof; anything less is unknown, so a failure.
 */
function nativeResult(backups: BackupEvidence[], incomplete: NativeBackupIndex['incomplete']): SourceResult {
  if (!incomplete || backups.some(isUsable)) return { kind: 'listed', backups };
  return {
    kind: 'failed',
    error: incomplete.reason === 'error' ? incomplete.error : 'time budget exhausted',
  };
}

function hasUsable(result: SourceResult): boolean {
  return result.kind === 'listed' && result.backups.some(isUsable);
}

export function summarize(findings: Finding[]): AuditSummary {
  return {
    tables: findings.length,
    compliant: findings.filter((f) => f.status === 'COMPLIANT').length,
    nonCompliant: findings.filter((f) => f.status === 'NON_COMPLIANT').length,
    errors: findings.filter((f) => f.status === 'ERROR').length,
  };
}

export function buildReport(
  scope: { region: string; accountId: string; startedAt: Date; finishedAt: Date },
  findings: Finding[],
  remediationRequested: number,
): AuditReport {
  return {
    region: scope.region,
    accountId: scope.accountId,
    startedAt: scope.startedAt.toISOString(),
    finishedAt: scope.finishedAt.toISOString(),
    summary: summarize(findings),
    findings,
    remediationRequested,
  };
}
