/** In-memory records of the simulated account, and what the operation models need from it. */
import type { TableStatus } from '@aws-sdk/client-dynamodb';
import type { VaultType } from '@aws-sdk/client-backup';
import type { IdSource } from './ids';

export type NativeBackupStatus = 'AVAILABLE' | 'CREATING' | 'DELETED';
export type NativeBackupType = 'USER' | 'SYSTEM';
export type RecoveryPointStatus =
  'COMPLETED' | 'PARTIAL' | 'EXPIRED' | 'AVAILABLE' | 'CREATING' | 'DELETING' | 'STOPPED';

export interface TableRecord {
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  readonly region: string;
  status: TableStatus;
  readonly createdAt: Date;
  readonly itemCount: number;
  readonly sizeBytes: number;
  pointInTimeRecovery: boolean;
}

export interface NativeBackupRecord {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly tableId: string;
  readonly tableCreatedAt: Date;
  readonly tableItemCount: number;
  readonly type: NativeBackupType;
  status: NativeBackupStatus;
  readonly createdAt: Date;
  /** Wall-clock ms at which a CREATING backup made through CreateBackup turns AVAILABLE. */
  completesAtMs?: number;
  readonly sizeBytes: number;
}

export interface VaultRecord {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly type: VaultType;
  readonly createdAt: Date;
}

export interface RecoveryPointRecord {
  readonly arn: string;
  /** Region of the vault holding it (a cross-region copy differs from the resource's region). */
  readonly region: string;
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly resourceName: string;
  readonly status: RecoveryPointStatus;
  readonly createdAt: Date;
  readonly completedAt?: Date;
  readonly sizeBytes: number;
  readonly backupPlanId?: string;
}

export interface TopicRecord {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
}

export interface RegionState {
  readonly tables: Map<string, TableRecord>;
  /** Native DynamoDB backups, including those of deleted tables. */
  readonly backups: NativeBackupRecord[];
  readonly vaults: Map<string, VaultRecord>;
  readonly recoveryPoints: RecoveryPointRecord[];
  readonly topics: Map<string, TopicRecord>;
}

/** One SNS Publish the account accepted. */
export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  message: string;
  messageStructure?: string;
  attributes?: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  region: string;
  messageId: string;
}

/** The Lambda context handed to a registered function (shaped like `Context` from aws-lambda). */
export interface SimLambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(messageOrObject: unknown): void;
}

export type SimLambdaHandler = (event: unknown, context: SimLambdaContext) => Promise<unknown>;

/** One Lambda invocation, synchronous or asynchronous. */
export interface InvocationRecord {
  id: string;
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  region: string;
  event: unknown;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** Handler runs, retries included (async only retries, see `asyncRetryAttempts`). */
  attempts: number;
  result?: unknown;
  error?: Error;
}

/** The identity of one call reaching the account. */
export interface CallInfo {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly operation: string;
}

/** What the operation models read and write; implemented by SimulatedAccount. */
export interface SimWorld {
  readonly accountId: string;
  readonly ids: IdSource;
  readonly published: PublishedMessage[];
  readonly invocations: InvocationRecord[];
  regionState(region: string): RegionState;
  /** The page size the service uses for a request asking for `requested` items. */
  pageSize(operation: string, requested: number): number;
  /** Scaled ms after which a backup made by CreateBackup becomes AVAILABLE. */
  backupCompletionDelayMs(): number;
  readonly enforceBackupInUse: boolean;
  callerArn(): string;
  callerUserId(): string;
  lambdaFunction(name: string): SimLambdaHandler | undefined;
  runLambda(record: InvocationRecord, handler: SimLambdaHandler, region: string): Promise<void>;
  queueLambda(record: InvocationRecord, handler: SimLambdaHandler, region: string): void;
}

/** Effective status of a native backup at `nowMs` (a CREATING backup with a due time completes). */
export function settleBackup(backup: NativeBackupRecord, nowMs: number): NativeBackupStatus {
  if (backup.status === 'CREATING' && backup.completesAtMs !== undefined && nowMs >= backup.completesAtMs) {
    backup.status = 'AVAILABLE';
    delete backup.completesAtMs;
  }
  return backup.status;
}
