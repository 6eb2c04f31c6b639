/**
 * Native DynamoDB backups of a whole region in one paginated listing: ListBackups without TableName
 * returns every table's backups, 100 a page, so B backups cost ceil(B/100) calls instead of one call
 * per table (ListBackups allows only 5 calls per second per region). The SDK has no paginator for it.
 */
import { BackupSummary, DynamoDBClient, ListBackupsCommand } from '@aws-sdk/client-dynamodb';
import { Budget } from '../budget';
import { describeError } from '../errors';
import { Pacer } from '../pacing';
import { BackupEvidence } from '../rule';

export interface NativeBackupIndex {
  /** Backups by table name (tables of this region only; backups of deleted tables included). */
  byTable: Map<string, BackupEvidence[]>;
  /** Set when the listing stopped early: the error, or the time budget. */
  incomplete?: { reason: 'error'; error: string } | { reason: 'budget' };
}

export async function listNativeBackups(
  dynamodb: DynamoDBClient,
  pacer: Pacer,
  budget: Budget,
): Promise<NativeBackupIndex> {
  const byTable = new Map<string, BackupEvidence[]>();
  let startArn: string | undefined;
  do {
    if (budget.exhausted()) return { byTable, incomplete: { reason: 'budget' } };
    try {
      const page = await pacer.run(() =>
        dynamodb.send(
          new ListBackupsCommand({ BackupType: 'ALL', Limit: 100, ExclusiveStartBackupArn: startArn }),
        ),
      );
      for (const summary of page.BackupSummaries ?? []) addSummary(byTable, summary);
      startArn = page.LastEvaluatedBackupArn;
    } catch (error) {
      return { byTable, incomplete: { reason: 'error', error: describeError(error) } };
    }
  } while (startArn);
  return { byTable };
}

function addSummary(byTable: Map<string, BackupEvidence[]>, summary: BackupSummary): void {
  if (!summary.TableName || !summary.BackupStatus) return;
  const list = byTable.get(summary.TableName) ?? [];
  list.push({
    source: 'native',
    status: summary.BackupStatus,
    ...(summary.BackupCreationDateTime ? { createdAt: summary.BackupCreationDateTime } : {}),
  });
  byTable.set(summary.TableName, list);
}
