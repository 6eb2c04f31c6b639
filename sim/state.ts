/** In-memory records of the simulated account, and what the operation models need from it. */
import type { TableStatus } from '@aws-sdk/client-dynamodb';
import type { VaultType } from '@aws-sdk/client-backup';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { IdSource } from './ids';

export type NativeBackupStatus = 'AVAILABLE' | 'CREATING' | 'DELETED';
export type NativeBackupType = 'USER' | 'SYSTEM';
export type RecoveryPointStatus =
  'COMPLETED' | 'PARTIAL' | 'EXPIRED' | 'AVAILABLE' | 'CREATING' | 'DELETING' | 'STOPPED';

export interface TableRecord {
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  status: TableStatus;
  readonly createdAt: Date;
}

export interface NativeBackupRecord {
  readonly arn: string;
  readonly name: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly tableId: string;
  readonly type: NativeBackupType;
  status: NativeBackupStatus;
  readonly createdAt: Date;
  /** Wall-clock ms at which a CREATING backup made through CreateBackup turns AVAILABLE. */
  completesAtMs?: number;
}

export interface VaultRecord {
  readonly name: string;
  readonly arn: string;
  readonly type: VaultType;
}

export interface RecoveryPointRecord {
  readonly arn: string;
  readonly vaultName: string;
  /** The table's ARN; a cross-region copy keeps its source table's. */
  readonly resourceArn: string;
  readonly status: RecoveryPointStatus;
  readonly createdAt: Date;
}

export interface TopicRecord {
  readonly name: string;
  readonly arn: string;
}

/** One S3 object as PutObject stored it. */
export interface S3ObjectRecord {
  readonly key: string;
  /** The body, decoded as UTF-8. */
  readonly body: string;
  readonly contentType?: string;
  readonly lastModified: Date;
}

/** An S3 bucket: its name is unique in the (simulated) partition, its objects live in one region. */
export interface BucketRecord {
  readonly name: string;
  readonly region: string;
  readonly objects: Map<string, S3ObjectRecord>;
}

/** Security Hub in one region: off until enabled, as in a new account. */
export interface SecurityHubState {
  enabled: boolean;
  /** Imported findings by Id, as last imported. */
  readonly findings: Map<string, AwsSecurityFinding>;
}

export interface RegionState {
  readonly tables: Map<string, TableRecord>;
  /** Native DynamoDB backups, including those of deleted tables. */
  readonly backups: NativeBackupRecord[];
  readonly vaults: Map<string, VaultRecord>;
  /** Recovery points stored in this region's vaults. */
  readonly recoveryPoints: RecoveryPointRecord[];
  readonly topics: Map<string, TopicRecord>;
  /** Tags by resource ARN (kept after the resource is deleted). */
  readonly tags: Map<string, Record<string, string>>;
  readonly securityHub: SecurityHubState;
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

export type InvocationType = 'RequestResponse' | 'Event';

/** One Lambda invocation, synchronous or asynchronous. */
export interface InvocationRecord {
  id: string;
  functionName: string;
  invocationType: InvocationType;
  region: string;
  event: unknown;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** Handler runs, retries included (async only retries, see `asyncRetryAttempts`). */
  attempts: number;
  result?: unknown;
  error?: Error;
}

/** One call reaching the account, as the operation models see it. */
export interface CallInfo {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly operation: string;
  /**
   * Access key id of the credentials the SDK signed the call with (the identity it resolved), or
   * undefined when the call was not signed with AWS credentials.
   */
  readonly accessKeyId: string | undefined;
}

/** Where an ARN is: the part of a CallInfo that ARNs are built from. */
export type ArnScope = Pick<CallInfo, 'partition' | 'region' | 'accountId'>;

/** The Lambda functions registered on the account, as the Invoke model uses them. */
export interface FunctionHost {
  has(name: string): boolean;
  /**
   * Records an invocation and runs it: a RequestResponse one to completion before this resolves, an
   * Event one after the Invoke call has returned.
   */
  invoke(name: string, type: InvocationType, event: unknown, region: string): Promise<InvocationRecord>;
}

/** What the operation models read and write; implemented by SimulatedAccount. */
export interface SimWorld {
  readonly accountId: string;
  readonly ids: IdSource;
  readonly published: PublishedMessage[];
  readonly functions: FunctionHost;
  readonly enforceBackupInUse: boolean;
  /** S3 buckets by name. */
  readonly buckets: Map<string, BucketRecord>;
  regionState(region: string): RegionState;
  /** The page size the service uses for a request asking for `requested` items. */
  pageSize(operation: string, requested: number): number;
  /** Scaled ms after which a backup made by CreateBackup becomes AVAILABLE. */
  backupCompletionDelayMs(): number;
}

/** Effective status of a native backup at `nowMs` (a CREATING backup with a due time completes). */
export function settleBackup(backup: NativeBackupRecord, nowMs: number): NativeBackupStatus {
  if (backup.status === 'CREATING' && backup.completesAtMs !== undefined && nowMs >= backup.completesAtMs) {
    backup.status = 'AVAILABLE';
    delete backup.completesAtMs;
  }
  return backup.status;
}
