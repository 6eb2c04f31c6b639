/**
 * Native DynamoDB backups of a whole region in one paginated listing: ListBackups without TableName
 * returns every table's backups, 100 a page, so B backups cost ceil(B/100) calls instead of one call
 * per table (ListBackups allows only 5 calls per second per region). The SDK has no paginator for it.
 */
import {
  BackupSummary,
  DynamoDBClient,
  ListBackupsCommand,
  ListBackupsCommandInput,
} from '@aws-sdk/client-dynamodb';
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

/** Pages of ListBackups, each page paced (the SDK has no paginator for this operation). */
export async function* listBackupPages(
  dynamodb: DynamoDBClient,
  pacer: Pacer,
  input: Omit<ListBackupsCommandInput, 'Limit' | 'ExclusiveStartBackupArn'>,
): AsyncGenerator<BackupSummary[]> {
  let startArn: string | undefined;
  do {
    const page = await pacer.run(() =>
      dynamodb.send(new ListBackupsCommand({ ...input, Limit: 100, ExclusiveStartBackupArn: startArn })),
    );
    yield page.BackupSummaries ?? [];
    startArn = page.LastEvaluatedBackupArn;
  } while (startArn);
}

export async function listNativeBackups(
  dynamodb: DynamoDBClient,
  pacer: Pacer,
  budget: Budget,
): Promise<NativeBackupIndex> {
  const byTable = new Map<string, BackupEvidence[]>();
  if (budget.exhausted()) return { byTable, incomplete: { reason: 'budget' } };
  try {
    for await (const page of listBackupPages(dynamodb, pacer, { BackupType: 'ALL' })) {
      for (const summary of page) addSummary(byTable, summary);
      if (budget.exhausted()) return { byTable, incomplete: { reason: 'budget' } };
    }
  } catch (error) {
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
    ...(summary.BackupCreationDateTime ? { createdAt: summary.BackupCreationDateTime } : {}),
  });
  byTable.set(summary.TableName, list);
}
