/**
 * The per-table procedure a competent engineer writes without this project's account-wide listings:
 * ListTables (all pages), then for every table, side by side, ListBackups(TableName, BackupType ALL)
 * and ListRecoveryPointsByResource(ResourceArn), all pages of each. The ARN is built from the name,
 * account and region (no DescribeTable), as ours does.
 *
 * It is given every advantage ours has: the same concurrency (8 tables in flight), the same pacer
 * (`createPacer`) at the same rates with the same headroom (ListBackups 4.5/s under the published 5/s,
 * AWS Backup List* 15/s under 20/s), so it is the fastest the per-table procedure can go without being
 * throttled. Judged with this project's rule, so only the calls differ from ours.
 */
import { BackupClient, paginateListRecoveryPointsByResource } from '@aws-sdk/client-backup';
import { tableArn } from '../lambda/shared/arn';
import { RegionClients } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { describeError } from '../lambda/shared/errors';
import { LIST_BACKUPS_PAGE_SIZE, paginateListBackups } from '../lambda/shared/listing/list-backups';
import { listTableNames } from '../lambda/shared/listing/tables';
import { createPacer, paced, Pacer, RateLimits } from '../lambda/shared/pacing';
import { BackupEvidence, evaluate, SourceResult } from '../lambda/shared/rule';
import { Finding } from '../lambda/shared/types';

export interface PerTableOptions {
  region: string;
  accountId: string;
  rates: RateLimits;
  /** Multiplies pacing intervals, as ours' `timeScale`. @default 1 */
  timeScale?: number;
}

export async function perTableAudit(clients: RegionClients, options: PerTableOptions): Promise<Finding[]> {
  const { region, accountId, rates } = options;
  const timeScale = options.timeScale ?? 1;
  const tables = createPacer(Infinity, rates.perTableConcurrency);
  const listBackups = createPacer(rates.listBackupsPerSecond, rates.perTableConcurrency, timeScale);
  const backupList = createPacer(rates.backupListPerSecond, rates.perTableConcurrency, timeScale);

  const { names } = await listTableNames(clients.dynamodb, UNLIMITED_BUDGET);
  return Promise.all(
    names.map((tableName) =>
      tables.run(async () => {
        const arn = tableArn(region, accountId, tableName);
        const [native, awsBackup] = await Promise.all([
          nativeBackupsOf(clients, listBackups, tableName),
          recoveryPointsOf(clients.backup, backupList, arn),
        ]);
        return evaluate({ region, tableName, tableArn: arn, native, awsBackup });
      }),
    ),
  );
}

async function nativeBackupsOf(
  clients: RegionClients,
  pacer: Pacer,
  tableName: string,
): Promise<SourceResult> {
  const backups: BackupEvidence[] = [];
  try {
    const pages = paginateListBackups(
      { client: clients.dynamodb, pageSize: LIST_BACKUPS_PAGE_SIZE },
      { TableName: tableName, BackupType: 'ALL' },
    );
    for await (const page of paced(pacer, pages, (p) => p.LastEvaluatedBackupArn)) {
      for (const summary of page.BackupSummaries ?? []) {
        if (!summary.BackupStatus) continue;
        backups.push({
          source: 'native',
          status: summary.BackupStatus,
          ...(summary.BackupCreationDateTime ? { createdAt: summary.BackupCreationDateTime } : {}),
        });
      }
    }
    return { kind: 'listed', backups };
  } catch (error) {
    return { kind: 'failed', error: describeError(error) };
  }
}

async function recoveryPointsOf(
  backup: BackupClient,
  pacer: Pacer,
  resourceArn: string,
): Promise<SourceResult> {
  const backups: BackupEvidence[] = [];
  try {
    const pages = paginateListRecoveryPointsByResource({ client: backup }, { ResourceArn: resourceArn });
    for await (const page of paced(pacer, pages, (p) => p.NextToken)) {
      for (const point of page.RecoveryPoints ?? []) {
        if (!point.Status) continue;
        backups.push({
          source: 'awsBackup',
          status: point.Status,
          ...(point.CreationDate ? { createdAt: point.CreationDate } : {}),
        });
      }
    }
    return { kind: 'listed', backups };
  } catch (error) {
    return { kind: 'failed', error: describeError(error) };
  }
}
