/**
 * Native DynamoDB backups of a whole region in one paginated listing: ListBackups without TableName
 * returns every table's backups, 100 a page, so B backups cost ceil(B/100) calls instead of one call
 * per table (ListBackups allows only 5 calls per second per region).
 */
import { BackupSummary, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Budget, cancelledBy } from '../budget';
import { describeError } from '../errors';
import { paced, Pacer } from '../pacing';
import { BackupEvidence } from '../rule';
import { LIST_BACKUPS_PAGE_SIZE, paginateListBackups } from './list-backups';

export interface NativeBackupIndex {
  /** Backups by table name (tables of this region only; backups of deleted tables included). */
  byTable: Map<string, BackupEvidence[]>;
  /** Set when the listing stopped before its last page: the error, or the time budget. */
  incomplete?: { reason: 'error'; error: string } | { reason: 'budget' };
}

export async function listNativeBackups(
  dynamodb: DynamoDBClient,
  pacer: Pacer,
  budget: Budget,
): Promise<NativeBackupIndex> {
  const byTable = new Map<string, BackupEvidence[]>();
  if (budget.exhausted()) return { byTable, incomplete: { reason: 'budget' } };
  const pages = paginateListBackups(
    { client: dynamodb, pageSize: LIST_BACKUPS_PAGE_SIZE },
    { BackupType: 'ALL' },
    { abortSignal: budget.signal },
  );
  try {
    for await (const page of paced(pacer, pages, (p) => p.LastEvaluatedBackupArn)) {
      for (const summary of page.BackupSummaries ?? []) addSummary(byTable, summary);
      // Only a listing with pages left can be cut short: the last page completes it.
      if (page.LastEvaluatedBackupArn && budget.exhausted())
        return { byTable, incomplete: { reason: 'budget' } };
    }
  } catch (error) {
    if (cancelledBy(budget, error)) return { byTable, incomplete: { reason: 'budget' } };
    return { byTable, incomplete: { reason: 'error', error: describeError(error) } };
  }
  return { byTable };
}

function addSummary(byTable: Map<string, BackupEvidence[]>, summary: BackupSummary): void {
  if (!summary.TableName || !summary.BackupStatus) return;
  const list = byTable.get(summary.TableName) ?? [];
  list.push({
    source: 'native',
    status: summary.BackupStatus,
    ...(summary.TableId ? { tableId: summary.TableId } : {}),
    ...(summary.BackupCreationDateTime ? { createdAt: summary.BackupCreationDateTime } : {}),
  });
  byTable.set(summary.TableName, list);
}
