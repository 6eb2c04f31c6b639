/**
 * AWS Backup recovery points of the tables that have no usable native backup. DynamoDB's ListBackups
 * never shows backups made by AWS Backup, so they are read from AWS Backup, in the cheaper of two ways:
 *
 * - by vault: ListBackupVaults (standard and logically air-gapped), then
 *   ListRecoveryPointsByBackupVault(ByResourceType=DynamoDB) per vault, 1,000 points a page. Every
 *   recovery point of this account and region lives in one of its vaults and carries its ResourceArn,
 *   so this answers for all tables at once;
 * - by table: ListRecoveryPointsByResource per table, with bounded concurrency.
 *
 * The vault listing is used when its page count (known from each vault's NumberOfRecoveryPoints) is
 * below the number of tables to check. A vault that cannot be read sends its tables back to the
 * per-table look-up, so a vault access policy never turns into a wrong finding.
 */
import {
  BackupClient,
  BackupVaultListMember,
  paginateListBackupVaults,
  paginateListRecoveryPointsByBackupVault,
  paginateListRecoveryPointsByResource,
} from '@aws-sdk/client-backup';
import { Budget, cancelledBy } from '../budget';
import { describeError } from '../errors';
import { paced, Pacer } from '../pacing';
import { BackupEvidence, isUsable, SourceResult } from '../rule';

const VAULT_PAGE_SIZE = 1000;
const RESOURCE_PAGE_SIZE = 100;
/** Below this many tables, listing vaults first cannot pay off. */
const MIN_TABLES_FOR_VAULT_SCAN = 3;

export interface RecoveryPointDeps {
  backup: BackupClient;
  /** Paces every AWS Backup List* call (20/s per operation per region). */
  pacer: Pacer;
  /** Bounds per-table look-ups in flight. */
  perTablePacer: Pacer;
  budget: Budget;
}

export type RecoveryPointStrategy = 'none' | 'vaults' | 'perTable' | 'vaults+perTable';

export interface RecoveryPointLookup {
  /** By table ARN: the table's recovery points, a failure, or `undefined` when the budget ran out. */
  results: Map<string, SourceResult | undefined>;
  strategy: RecoveryPointStrategy;
}

export async function lookUpRecoveryPoints(
  deps: RecoveryPointDeps,
  tableArns: string[],
): Promise<RecoveryPointLookup> {
  const results = new Map<string, SourceResult | undefined>();
  if (tableArns.length === 0) return { results, strategy: 'none' };

  let remaining = tableArns;
  let usedVaults = false;
  if (tableArns.length >= MIN_TABLES_FOR_VAULT_SCAN) {
    // Vaults that cannot be listed (permissions, the budget) leave every table to the per-table look-up,
    // which records the budget's end table by table.
    const vaults = await listVaults(deps).catch(() => undefined);
    if (vaults && vaultPages(vaults) < tableArns.length) {
      usedVaults = true;
      remaining = await scanVaults(deps, vaults, tableArns, results);
    }
  }
  if (remaining.length > 0) await lookUpPerTable(deps, remaining, results);
  const strategy: RecoveryPointStrategy = usedVaults
    ? remaining.length > 0
      ? 'vaults+perTable'
      : 'vaults'
    : 'perTable';
  return { results, strategy };
}

/** Every vault of the region; undefined when the budget ran out first. */
async function listVaults(deps: RecoveryPointDeps): Promise<BackupVaultListMember[] | undefined> {
  const byArn = new Map<string, BackupVaultListMember>();
  for (const vaultType of [undefined, 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT'] as const) {
    if (deps.budget.exhausted()) return undefined;
    const pages = paginateListBackupVaults(
      { client: deps.backup, pageSize: VAULT_PAGE_SIZE },
      { MaxResults: VAULT_PAGE_SIZE, ...(vaultType ? { ByVaultType: vaultType } : {}) },
      { abortSignal: deps.budget.signal },
    );
    for await (const page of paced(deps.pacer, pages, (p) => p.NextToken)) {
      if (page.NextToken && deps.budget.exhausted()) return undefined;
      for (const vault of page.BackupVaultList ?? []) {
        if (vault.BackupVaultArn) byArn.set(vault.BackupVaultArn, vault);
      }
    }
  }
  return [...byArn.values()];
}

function vaultPages(vaults: BackupVaultListMember[]): number {
  return vaults.reduce((sum, v) => {
    // NumberOfRecoveryPoints is an approximation (AWS docs): it chooses the strategy, and an
    // "empty" vault still costs, and gets, one look.
    const points = v.NumberOfRecoveryPoints ?? VAULT_PAGE_SIZE;
    return sum + Math.max(1, Math.ceil(points / VAULT_PAGE_SIZE));
  }, 0);
}

/** Fills `results` from the vaults; returns the tables that still need a per-table look-up. */
async function scanVaults(
  deps: RecoveryPointDeps,
  vaults: BackupVaultListMember[],
  tableArns: string[],
  results: Map<string, SourceResult | undefined>,
): Promise<string[]> {
  const wanted = new Set(tableArns);
  const found = new Map<string, BackupEvidence[]>();
  let unreadable = false;
  for (const vault of vaults) {
    if (!vault.BackupVaultName) continue;
    if (deps.budget.exhausted()) {
      unreadable = true;
      break;
    }
    try {
      const pages = paginateListRecoveryPointsByBackupVault(
        { client: deps.backup, pageSize: VAULT_PAGE_SIZE },
        { BackupVaultName: vault.BackupVaultName, ByResourceType: 'DynamoDB', MaxResults: VAULT_PAGE_SIZE },
        { abortSignal: deps.budget.signal },
      );
      for await (const page of paced(deps.pacer, pages, (p) => p.NextToken)) {
        for (const point of page.RecoveryPoints ?? []) {
          if (!point.ResourceArn || !point.Status || !wanted.has(point.ResourceArn)) continue;
          const list = found.get(point.ResourceArn) ?? [];
          list.push({
            source: 'awsBackup',
            status: point.Status,
            ...(point.CreationDate ? { createdAt: point.CreationDate } : {}),
          });
          found.set(point.ResourceArn, list);
        }
      }
    } catch {
      // A vault we may not read (its access policy, say): its tables are looked up one by one below.
      unreadable = true;
    }
  }
  const remaining: string[] = [];
  for (const arn of tableArns) {
    const backups = found.get(arn) ?? [];
    if (unreadable && !backups.some(isUsable)) remaining.push(arn);
    else results.set(arn, { kind: 'listed', backups });
  }
  return remaining;
}

async function lookUpPerTable(
  deps: RecoveryPointDeps,
  tableArns: string[],
  results: Map<string, SourceResult | undefined>,
): Promise<void> {
  await Promise.all(
    tableArns.map((arn) =>
      deps.perTablePacer.run(async () => {
        if (deps.budget.exhausted()) {
          results.set(arn, undefined);
          return;
        }
        const result = await recoveryPointsOf(deps, arn);
        // A look-up the deadline cancelled is a table not reached, not a failed one.
        results.set(arn, result === 'cancelled' ? undefined : result);
      }),
    ),
  );
}

async function recoveryPointsOf(
  deps: RecoveryPointDeps,
  resourceArn: string,
): Promise<SourceResult | 'cancelled'> {
  const backups: BackupEvidence[] = [];
  try {
    const pages = paginateListRecoveryPointsByResource(
      { client: deps.backup, pageSize: RESOURCE_PAGE_SIZE },
      { ResourceArn: resourceArn, MaxResults: RESOURCE_PAGE_SIZE },
      { abortSignal: deps.budget.signal },
    );
    for await (const page of paced(deps.pacer, pages, (p) => p.NextToken)) {
      for (const point of page.RecoveryPoints ?? []) {
        if (!point.Status) continue;
        backups.push({
          source: 'awsBackup',
          status: point.Status,
          ...(point.CreationDate ? { createdAt: point.CreationDate } : {}),
        });
      }
      if (backups.some(isUsable)) break; // one usable point is proof enough
    }
    return { kind: 'listed', backups };
  } catch (error) {
    if (cancelledBy(deps.budget, error)) return 'cancelled';
    return { kind: 'failed', error: describeError(error) };
  }
}
