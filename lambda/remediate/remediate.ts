/**
 * Creates one on-demand backup for each table the audit found without a usable backup. Shared by the
 * remediation Lambda and the CLI. It creates backups only: it never deletes a table or a backup.
 *
 * Idempotent: asynchronous invocations are retried and may arrive twice, so a table this tool already
 * backed up within the last hour is SKIPPED. One account-wide ListBackups per region (backups of the
 * last hour only) answers that for every table at once.
 */
import {
  BackupSummary,
  CreateBackupCommand,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { TableRef } from '../shared/arn';
import { backupName, isAutoBackupOf } from '../shared/backup-name';
import { describeError, errorName, sleep } from '../shared/errors';
import { listBackupPages } from '../shared/listing/native-backups';
import { createPacer, RateLimits } from '../shared/pacing';
import { RemediationResult } from '../shared/types';

export const IDEMPOTENCY_WINDOW_MS = 60 * 60 * 1000;
const CREATE_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 20_000;

export interface RemediationDeps {
  dynamodbFor: (region: string) => DynamoDBClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  rates: RateLimits;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source for backoff. @default Math.random */
  random?: () => number;
}

export async function remediateTables(
  deps: RemediationDeps,
  tables: TableRef[],
): Promise<RemediationResult[]> {
  const byRegion = new Map<string, TableRef[]>();
  for (const table of tables) byRegion.set(table.region, [...(byRegion.get(table.region) ?? []), table]);
  const results = new Map<string, RemediationResult>();
  for (const [region, regionTables] of byRegion) {
    for (const result of await remediateRegion(deps, region, regionTables))
      results.set(result.tableArn, result);
  }
  return tables.map(
    (t) => results.get(t.tableArn) ?? { tableArn: t.tableArn, status: 'FAILED', reason: 'not processed' },
  );
}

async function remediateRegion(
  deps: RemediationDeps,
  region: string,
  tables: TableRef[],
): Promise<RemediationResult[]> {
  const dynamodb = deps.dynamodbFor(region);
  const now = deps.now ?? (() => new Date());
  const recent = await recentBackupsByTable(
    deps,
    dynamodb,
    new Date(now().getTime() - IDEMPOTENCY_WINDOW_MS),
  );
  const pacer = createPacer(deps.rates.createBackupPerSecond, deps.rates.perTableConcurrency);
  return Promise.all(
    tables.map((table) => pacer.run(() => remediateTable(deps, dynamodb, table, recent, now))),
  );
}

async function remediateTable(
  deps: RemediationDeps,
  dynamodb: DynamoDBClient,
  table: TableRef,
  recent: Map<string, BackupSummary[]> | undefined,
  now: () => Date,
): Promise<RemediationResult> {
  const { tableArn, tableName } = table;
  const previous = recent
    ?.get(tableName)
    ?.find((b) => b.BackupStatus !== 'DELETED' && b.BackupName && isAutoBackupOf(b.BackupName, tableName));
  if (previous) {
    return skipped(
      deps,
      tableArn,
      `already backed up by this tool within the last hour (${previous.BackupName})`,
      previous,
    );
  }

  try {
    const description = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const status = description.Table?.TableStatus;
    if (status !== 'ACTIVE') {
      return skipped(
        deps,
        tableArn,
        `table is ${status ?? 'in an unknown state'}, not ACTIVE; the next audit will retry`,
      );
    }
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException')
      return skipped(deps, tableArn, 'table no longer exists');
    return failed(deps, tableArn, `DescribeTable failed: ${describeError(error)}`, error);
  }

  const name = backupName(tableName, now());
  for (let attempt = 1; ; attempt++) {
    try {
      const output = await dynamodb.send(new CreateBackupCommand({ TableName: tableName, BackupName: name }));
      deps.logger.info('Backup created', { tableArn, backupName: name });
      return {
        tableArn,
        status: 'CREATED',
        backupName: name,
        ...(output.BackupDetails?.BackupArn ? { backupArn: output.BackupDetails.BackupArn } : {}),
      };
    } catch (error) {
      switch (errorName(error)) {
        case 'LimitExceededException':
          if (attempt < CREATE_ATTEMPTS) {
            await (deps.sleep ?? sleep)(backoff(attempt, deps.random ?? Math.random));
            continue;
          }
          return failed(
            deps,
            tableArn,
            `CreateBackup still limited after ${CREATE_ATTEMPTS} attempts: ${describeError(error)}`,
            error,
          );
        case 'TableNotFoundException':
          return skipped(deps, tableArn, 'table no longer exists');
        case 'TableInUseException':
          return skipped(deps, tableArn, 'table is being created or deleted; the next audit will retry');
        case 'BackupInUseException':
          return skipped(deps, tableArn, 'a backup of this table is already being created');
        default:
          return failed(deps, tableArn, `CreateBackup failed: ${describeError(error)}`, error);
      }
    }
  }
}

/** This region's backups of the last hour, by table; undefined when they could not be listed. */
async function recentBackupsByTable(
  deps: RemediationDeps,
  dynamodb: DynamoDBClient,
  since: Date,
): Promise<Map<string, BackupSummary[]> | undefined> {
  const byTable = new Map<string, BackupSummary[]>();
  const pacer = createPacer(deps.rates.listBackupsPerSecond);
  try {
    for await (const page of listBackupPages(dynamodb, pacer, {
      BackupType: 'USER',
      TimeRangeLowerBound: since,
    })) {
      for (const summary of page) {
        if (summary.TableName)
          byTable.set(summary.TableName, [...(byTable.get(summary.TableName) ?? []), summary]);
      }
    }
    return byTable;
  } catch (error) {
    // Without this list a retried event could back a table up twice: costly, never harmful. Go on.
    deps.logger.warn('Could not list recent backups; duplicate backups are possible on retries', {
      error: describeError(error),
    });
    return undefined;
  }
}

function backoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function skipped(
  deps: RemediationDeps,
  tableArn: string,
  reason: string,
  previous?: BackupSummary,
): RemediationResult {
  deps.logger.info('Remediation skipped', { tableArn, reason });
  return {
    tableArn,
    status: 'SKIPPED',
    reason,
    ...(previous?.BackupName ? { backupName: previous.BackupName } : {}),
    ...(previous?.BackupArn ? { backupArn: previous.BackupArn } : {}),
  };
}

function failed(deps: RemediationDeps, tableArn: string, reason: string, error: unknown): RemediationResult {
  deps.logger.error('Remediation failed', { tableArn, reason, error: describeError(error) });
  return { tableArn, status: 'FAILED', reason };
}
