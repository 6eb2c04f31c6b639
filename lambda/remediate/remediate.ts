/**
 * Creates one on-demand backup for each table the audit found without a usable backup. Shared by the
 * remediation Lambda and the CLI. It creates backups only: it never deletes a table or a backup.
 *
 * Idempotent: asynchronous invocations are retried and may arrive twice, so a table this tool already
 * backed up within the last hour is SKIPPED. One account-wide ListBackups per region (backups of the
 * last hour only) answers that for every table at once.
 */
import { BackupSummary, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '@aws-lambda-powertools/logger';
import { TableRef } from '../shared/arn';
import { backupName, isAutoBackupOf } from '../shared/backup-name';
import { describeError, errorName } from '../shared/errors';
import { LIST_BACKUPS_PAGE_SIZE, paginateListBackups } from '../shared/listing/list-backups';
import { createPacer, paced, Pacer, RateLimits } from '../shared/pacing';
import { RemediationResult } from '../shared/types';
import { guardedCreateBackup } from './retry-guard';

export const IDEMPOTENCY_WINDOW_MS = 60 * 60 * 1000;

export interface RemediationDeps {
  /**
   * DynamoDB clients by region. Their retry strategy is the only retry layer of CreateBackup (the
   * product's clients: adaptive, at most 10 attempts a call, so at most 10 CreateBackup attempts a table).
   */
  dynamodbFor: (region: string, accountId: string) => DynamoDBClient;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  rates: RateLimits;
  now?: () => Date;
}

export async function remediateTables(
  deps: RemediationDeps,
  tables: TableRef[],
): Promise<RemediationResult[]> {
  // One pass per account and region: each has its own ListBackups rate and its own client.
  const groups = new Map<string, TableRef[]>();
  for (const table of tables) {
    const key = `${table.accountId}|${table.region}`;
    groups.set(key, [...(groups.get(key) ?? []), table]);
  }
  const results = new Map<string, RemediationResult>();
  for (const group of groups.values()) {
    const [first] = group;
    if (!first) continue;
    const dynamodb = deps.dynamodbFor(first.region, first.accountId);
    for (const result of await remediateRegion(deps, dynamodb, group)) results.set(result.tableArn, result);
  }
  return tables.map(
    (t) => results.get(t.tableArn) ?? { tableArn: t.tableArn, status: 'FAILED', reason: 'not processed' },
  );
}

async function remediateRegion(
  deps: RemediationDeps,
  dynamodb: DynamoDBClient,
  tables: TableRef[],
): Promise<RemediationResult[]> {
  const now = deps.now ?? (() => new Date());
  // One ListBackups pacer per region: the idempotency listing and every retry check share 5 calls/s.
  const listPacer = createPacer(deps.rates.listBackupsPerSecond);
  const recent = await recentBackupsByTable(
    deps,
    dynamodb,
    listPacer,
    new Date(now().getTime() - IDEMPOTENCY_WINDOW_MS),
  );
  const pacer = createPacer(deps.rates.createBackupPerSecond, deps.rates.perTableConcurrency);
  return Promise.all(
    tables.map((table) => pacer.run(() => remediateTable(deps, dynamodb, listPacer, table, recent, now))),
  );
}

async function remediateTable(
  deps: RemediationDeps,
  dynamodb: DynamoDBClient,
  listPacer: Pacer,
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
  const create = guardedCreateBackup({ dynamodb, tableName, backupName: name, listPacer, now });
  try {
    const output = await dynamodb.send(create.command);
    const found = create.found();
    if (found && found.BackupName !== name) {
      return skipped(
        deps,
        tableArn,
        `backed up meanwhile by another run of this tool (${found.BackupName})`,
        found,
      );
    }
    deps.logger.info('Backup created', {
      tableArn,
      backupName: name,
      attempts: output.$metadata?.attempts,
      ...(found ? { confirmedByListing: true } : {}),
    });
    return {
      tableArn,
      status: 'CREATED',
      backupName: name,
      ...(output.BackupDetails?.BackupArn ? { backupArn: output.BackupDetails.BackupArn } : {}),
    };
  } catch (error) {
    if (create.checkError() === error) {
      return failed(
        deps,
        tableArn,
        `an attempt of CreateBackup got no clear answer and checking for its backup failed (${describeError(error)}); ` +
          'not retried, so as never to make a second backup',
        error,
      );
    }
    switch (errorName(error)) {
      case 'TableNotFoundException':
        return skipped(deps, tableArn, 'table no longer exists');
      case 'TableInUseException':
        return skipped(deps, tableArn, 'table is being created or deleted; the next audit will retry');
      case 'BackupInUseException':
        return skipped(deps, tableArn, 'a backup of this table is already being created');
      default:
        return failed(
          deps,
          tableArn,
          `CreateBackup failed${attemptsOf(error)}: ${describeError(error)}`,
          error,
        );
    }
  }
}

/** ` after 10 attempts`, from the SDK's error metadata. */
function attemptsOf(error: unknown): string {
  const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** This region's backups of the last hour, by table; undefined when they could not be listed. */
async function recentBackupsByTable(
  deps: RemediationDeps,
  dynamodb: DynamoDBClient,
  pacer: Pacer,
  since: Date,
): Promise<Map<string, BackupSummary[]> | undefined> {
  const byTable = new Map<string, BackupSummary[]>();
  try {
    const pages = paginateListBackups(
      { client: dynamodb, pageSize: LIST_BACKUPS_PAGE_SIZE },
      { BackupType: 'USER', TimeRangeLowerBound: since },
    );
    for await (const page of paced(pacer, pages, (p) => p.LastEvaluatedBackupArn)) {
      for (const summary of page.BackupSummaries ?? []) {
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
