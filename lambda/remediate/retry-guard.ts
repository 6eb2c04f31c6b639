/**
 * CreateBackup has no client token. When an attempt gets no clear answer (a timeout, a dropped
 * connection, a 5xx), the backup may exist anyway, and a retry would make a second one, or fail with
 * BackupInUseException against the backup that very attempt started. So before each retry that follows
 * such an attempt, this middleware, which sits inside the SDK's retry loop, lists the table's backups
 * made since the first attempt: if this tool made one, the loop ends there with that backup instead of
 * calling CreateBackup again. Attempts answered with a definite error (LimitExceededException, a 4xx)
 * made nothing, so no check follows them.
 */
import {
  BackupSummary,
  CreateBackupCommand,
  CreateBackupCommandInput,
  CreateBackupCommandOutput,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestHandlerOptions, FinalizeRequestMiddleware } from '@smithy/types';
import { isAutoBackupOf } from '../shared/backup-name';
import { LIST_BACKUPS_PAGE_SIZE, paginateListBackups } from '../shared/listing/list-backups';
import { paced, Pacer } from '../shared/pacing';

/** A backup created just before the first attempt's clock reading still counts (clock skew). */
export const CLOCK_SKEW_MS = 60_000;

const GUARD_OPTIONS: FinalizeRequestHandlerOptions & {
  name: string;
  relation: 'after';
  toMiddleware: string;
} = {
  name: 'checkOwnBackupBeforeRetry',
  relation: 'after',
  toMiddleware: 'retryMiddleware',
  step: 'finalizeRequest',
};

export interface GuardedCreateBackup {
  command: CreateBackupCommand;
  /** Set when the retry loop ended on a backup this tool had already made (then no new one exists). */
  found(): BackupSummary | undefined;
  /** Set when checking for such a backup failed (the retry loop then ends with that error). */
  checkError(): unknown;
}

export interface GuardOptions {
  dynamodb: DynamoDBClient;
  tableName: string;
  backupName: string;
  /** Paces the ListBackups calls of the check (5 calls a second per region). */
  listPacer: Pacer;
  now: () => Date;
}

/** A CreateBackupCommand whose retries are checked as described above. */
export function guardedCreateBackup(options: GuardOptions): GuardedCreateBackup {
  const { tableName } = options;
  const command = new CreateBackupCommand({ TableName: tableName, BackupName: options.backupName });
  let firstAttemptAt: Date | undefined;
  let uncertain = false;
  let found: BackupSummary | undefined;
  let checkError: unknown;

  const middleware: FinalizeRequestMiddleware<CreateBackupCommandInput, CreateBackupCommandOutput> =
    (next) => async (args) => {
      if (firstAttemptAt === undefined) {
        firstAttemptAt = options.now();
      } else if (uncertain) {
        try {
          found = await findOwnBackup(options, new Date(firstAttemptAt.getTime() - CLOCK_SKEW_MS));
        } catch (error) {
          checkError = error;
          throw error; // the retry strategy decides: a throttled check is retried like the call itself
        }
        checkError = undefined;
        if (found) {
          const output: CreateBackupCommandOutput = {
            BackupDetails: {
              BackupArn: found.BackupArn,
              BackupName: found.BackupName,
              BackupStatus: found.BackupStatus,
              BackupType: found.BackupType,
              BackupCreationDateTime: found.BackupCreationDateTime,
            },
            $metadata: {},
          };
          return { output, response: undefined };
        }
      }
      try {
        return await next(args);
      } catch (error) {
        if (isUncertain(error)) uncertain = true;
        throw error;
      }
    };
  command.middlewareStack.addRelativeTo(middleware, GUARD_OPTIONS);
  return { command, found: () => found, checkError: () => checkError };
}

/**
 * Whether an attempt may have made a backup: the service never answered (no HTTP status: a timeout,
 * a reset connection) or answered with a server error. A 4xx means the request was refused.
 */
export function isUncertain(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status === undefined || status >= 500;
}

async function findOwnBackup(options: GuardOptions, since: Date): Promise<BackupSummary | undefined> {
  const { dynamodb, tableName, backupName, listPacer } = options;
  const pages = paginateListBackups(
    { client: dynamodb, pageSize: LIST_BACKUPS_PAGE_SIZE },
    { TableName: tableName, BackupType: 'USER', TimeRangeLowerBound: since },
  );
  const own: BackupSummary[] = [];
  for await (const page of paced(listPacer, pages, (p) => p.LastEvaluatedBackupArn)) {
    for (const summary of page.BackupSummaries ?? []) {
      if (summary.BackupStatus === 'DELETED' || !summary.BackupName) continue;
      if (isAutoBackupOf(summary.BackupName, tableName)) own.push(summary);
    }
  }
  return own.find((b) => b.BackupName === backupName) ?? own[0];
}
