/** The DynamoDB control-plane operations the simulated account models. */
import type {
  BackupDetails,
  BackupSummary,
  CreateBackupCommandInput,
  CreateBackupOutput,
  DescribeBackupCommandInput,
  DescribeBackupOutput,
  DescribeContinuousBackupsCommandInput,
  DescribeContinuousBackupsOutput,
  DescribeTableCommandInput,
  DescribeTableOutput,
  ListBackupsCommandInput,
  ListBackupsOutput,
  ListTablesCommandInput,
  ListTablesOutput,
} from '@aws-sdk/client-dynamodb';
import { dynamodbErrors } from './errors';
import type { IdSource } from './ids';
import {
  settleBackup,
  type CallInfo,
  type NativeBackupRecord,
  type NativeBackupStatus,
  type NativeBackupType,
  type SimWorld,
  type TableRecord,
} from './state';

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** SYSTEM backups are kept 35 days and carry an expiry time. */
const SYSTEM_BACKUP_RETENTION_MS = 35 * DAY_MS;

export function tableArnOf(call: Pick<CallInfo, 'partition' | 'region' | 'accountId'>, tableName: string) {
  return `arn:${call.partition}:dynamodb:${call.region}:${call.accountId}:table/${tableName}`;
}

/** A table name from a name or a table ARN (both are accepted wherever the API says "name or ARN"). */
export function tableNameFrom(nameOrArn: string): string {
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

export function isValidTableName(name: string): boolean {
  return name.length >= 3 && name.length <= 255 && NAME_PATTERN.test(name);
}

/** Builds a native backup record with an ARN shaped like DynamoDB's (`.../backup/<14-digit ms>-<8 hex>`). */
export function newNativeBackup(
  ids: IdSource,
  table: TableRecord,
  opts: { name: string; status: NativeBackupStatus; type: NativeBackupType; createdAt: Date },
): NativeBackupRecord {
  const ms = opts.createdAt.getTime();
  return {
    arn: `${table.arn}/backup/${String(ms).padStart(14, '0')}-${ids.hex(8)}`,
    name: opts.name,
    region: table.region,
    tableName: table.name,
    tableArn: table.arn,
    tableId: table.id,
    tableCreatedAt: table.createdAt,
    tableItemCount: table.itemCount,
    type: opts.type,
    status: opts.status,
    createdAt: new Date(ms),
    sizeBytes: table.sizeBytes,
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBackups(a: { createdAt: Date; arn: string }, b: { createdAt: Date; arn: string }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || compareStrings(a.arn, b.arn);
}

function limitViolations(member: string, value: number | undefined, max: number): string[] {
  if (value === undefined) return [];
  if (!Number.isInteger(value) || value < 1) {
    return [
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    ];
  }
  if (value > max) {
    return [
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    ];
  }
  return [];
}

function nameViolations(member: string, value: string | undefined): string[] {
  if (value === undefined) {
    return [`Value null at '${member}' failed to satisfy constraint: Member must not be null`];
  }
  const out: string[] = [];
  if (value.length < 3) {
    out.push(
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 3`,
    );
  }
  if (value.length > 255) {
    out.push(
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
  }
  if (!NAME_PATTERN.test(value)) {
    out.push(
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  }
  return out;
}

function tableNameViolations(member: string, value: string | undefined): string[] {
  if (value === undefined) {
    return [`Value null at '${member}' failed to satisfy constraint: Member must not be null`];
  }
  return value.startsWith('arn:') ? [] : nameViolations(member, value);
}

function backupDetails(backup: NativeBackupRecord, status: NativeBackupStatus): BackupDetails {
  return {
    BackupArn: backup.arn,
    BackupName: backup.name,
    ...(status === 'CREATING' ? {} : { BackupSizeBytes: backup.sizeBytes }),
    BackupStatus: status,
    BackupType: backup.type,
    BackupCreationDateTime: new Date(backup.createdAt.getTime()),
    ...(backup.type === 'SYSTEM'
      ? { BackupExpiryDateTime: new Date(backup.createdAt.getTime() + SYSTEM_BACKUP_RETENTION_MS) }
      : {}),
  };
}

export function listTables(world: SimWorld, call: CallInfo, input: ListTablesCommandInput): ListTablesOutput {
  const violations = limitViolations('limit', input.Limit, 100);
  if (violations.length > 0) throw dynamodbErrors.validation(violations);
  const size = world.pageSize(call.operation, input.Limit ?? 100);
  const start = input.ExclusiveStartTableName;
  const names = [...world.regionState(call.region).tables.keys()]
    .sort(compareStrings)
    .filter((name) => start === undefined || name > start);
  const page = names.slice(0, size);
  const last = page[page.length - 1];
  // Like DynamoDB, a full page carries LastEvaluatedTableName even when nothing follows it.
  return {
    TableNames: page,
    ...(page.length === size && last !== undefined ? { LastEvaluatedTableName: last } : {}),
  };
}

export function describeTable(
  world: SimWorld,
  call: CallInfo,
  input: DescribeTableCommandInput,
): DescribeTableOutput {
  const violations = tableNameViolations('tableName', input.TableName);
  if (violations.length > 0) throw dynamodbErrors.validation(violations);
  const name = tableNameFrom(input.TableName ?? '');
  const table = world.regionState(call.region).tables.get(name);
  if (!table) throw dynamodbErrors.resourceNotFound(name);
  return {
    Table: {
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      TableName: table.name,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TableStatus: table.status,
      CreationDateTime: new Date(table.createdAt.getTime()),
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      TableSizeBytes: table.sizeBytes,
      ItemCount: table.itemCount,
      TableArn: table.arn,
      TableId: table.id,
      BillingModeSummary: {
        BillingMode: 'PAY_PER_REQUEST',
        LastUpdateToPayPerRequestDateTime: new Date(table.createdAt.getTime()),
      },
      DeletionProtectionEnabled: false,
    },
  };
}

const BACKUP_TYPE_FILTERS = ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'];

export function listBackups(
  world: SimWorld,
  call: CallInfo,
  input: ListBackupsCommandInput,
): ListBackupsOutput {
  const violations = limitViolations('limit', input.Limit, 100);
  const backupType = input.BackupType ?? 'USER';
  if (!BACKUP_TYPE_FILTERS.includes(backupType)) {
    violations.push(
      `Value '${backupType}' at 'backupType' failed to satisfy constraint: Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]`,
    );
  }
  if (input.TableName !== undefined) violations.push(...tableNameViolations('tableName', input.TableName));
  if (violations.length > 0) throw dynamodbErrors.validation(violations);

  const lower = input.TimeRangeLowerBound?.getTime();
  const upper = input.TimeRangeUpperBound?.getTime();
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw dynamodbErrors.validationMessage(
      'TimeRangeLowerBound must be less than or equal to TimeRangeUpperBound',
    );
  }
  const tableName = input.TableName === undefined ? undefined : tableNameFrom(input.TableName);
  const nowMs = Date.now();
  const matching = world
    .regionState(call.region)
    // AWS Backup recovery points live in AWS Backup only: ListBackups never returns them,
    // whatever BackupType says (AWS_BACKUP included).
    .backups.filter((b) => backupType === 'ALL' || b.type === backupType)
    .filter((b) => tableName === undefined || b.tableName === tableName)
    // Lower bound inclusive, upper bound exclusive.
    .filter((b) => lower === undefined || b.createdAt.getTime() >= lower)
    .filter((b) => upper === undefined || b.createdAt.getTime() < upper)
    .sort(compareBackups);

  let remaining = matching;
  const startArn = input.ExclusiveStartBackupArn;
  if (startArn !== undefined) {
    const index = matching.findIndex((b) => b.arn === startArn);
    if (index >= 0) {
      remaining = matching.slice(index + 1);
    } else {
      // A start ARN that is no longer listed still marks a position: its creation time is in the ARN.
      const match = /\/backup\/(\d{14})-[0-9a-f]+$/.exec(startArn);
      if (!match?.[1]) throw dynamodbErrors.validationMessage(`Invalid ExclusiveStartBackupArn: ${startArn}`);
      const marker = { createdAt: new Date(Number(match[1])), arn: startArn };
      remaining = matching.filter((b) => compareBackups(b, marker) > 0);
    }
  }
  const size = world.pageSize(call.operation, input.Limit ?? 100);
  const page = remaining.slice(0, size);
  const last = page[page.length - 1];
  const summaries: BackupSummary[] = page.map((b) => {
    const status = settleBackup(b, nowMs);
    return {
      TableName: b.tableName,
      TableId: b.tableId,
      TableArn: b.tableArn,
      ...backupDetails(b, status),
    };
  });
  // A full page carries LastEvaluatedBackupArn even when nothing follows ("may or may not" mean more).
  return {
    BackupSummaries: summaries,
    ...(page.length === size && last !== undefined ? { LastEvaluatedBackupArn: last.arn } : {}),
  };
}

export function createBackup(
  world: SimWorld,
  call: CallInfo,
  input: CreateBackupCommandInput,
): CreateBackupOutput {
  const violations = [
    ...tableNameViolations('tableName', input.TableName),
    ...nameViolations('backupName', input.BackupName),
  ];
  if (violations.length > 0) throw dynamodbErrors.validation(violations);
  const state = world.regionState(call.region);
  const name = tableNameFrom(input.TableName ?? '');
  const table = state.tables.get(name);
  if (!table) throw dynamodbErrors.tableNotFound(name);
  if (table.status === 'CREATING' || table.status === 'DELETING') {
    throw dynamodbErrors.tableInUse(table.name, table.status);
  }
  const nowMs = Date.now();
  if (
    world.enforceBackupInUse &&
    state.backups.some((b) => b.tableId === table.id && settleBackup(b, nowMs) === 'CREATING')
  ) {
    throw dynamodbErrors.backupInUse(table.name);
  }
  const delay = world.backupCompletionDelayMs();
  const backup = newNativeBackup(world.ids, table, {
    name: input.BackupName ?? '',
    status: delay > 0 ? 'CREATING' : 'AVAILABLE',
    type: 'USER',
    createdAt: new Date(nowMs),
  });
  if (delay > 0) backup.completesAtMs = nowMs + delay;
  state.backups.push(backup);
  // The response always reports CREATING, as DynamoDB's does.
  return { BackupDetails: backupDetails(backup, 'CREATING') };
}

export function describeBackup(
  world: SimWorld,
  call: CallInfo,
  input: DescribeBackupCommandInput,
): DescribeBackupOutput {
  if (input.BackupArn === undefined) {
    throw dynamodbErrors.validation([
      "Value null at 'backupArn' failed to satisfy constraint: Member must not be null",
    ]);
  }
  const backup = world.regionState(call.region).backups.find((b) => b.arn === input.BackupArn);
  if (!backup) throw dynamodbErrors.backupNotFound(input.BackupArn);
  const status = settleBackup(backup, Date.now());
  return {
    BackupDescription: {
      BackupDetails: backupDetails(backup, status),
      SourceTableDetails: {
        TableName: backup.tableName,
        TableId: backup.tableId,
        TableArn: backup.tableArn,
        TableSizeBytes: backup.sizeBytes,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        TableCreationDateTime: new Date(backup.tableCreatedAt.getTime()),
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        ItemCount: backup.tableItemCount,
        BillingMode: 'PAY_PER_REQUEST',
      },
      SourceTableFeatureDetails: {},
    },
  };
}

export function describeContinuousBackups(
  world: SimWorld,
  call: CallInfo,
  input: DescribeContinuousBackupsCommandInput,
): DescribeContinuousBackupsOutput {
  const violations = tableNameViolations('tableName', input.TableName);
  if (violations.length > 0) throw dynamodbErrors.validation(violations);
  const name = tableNameFrom(input.TableName ?? '');
  const table = world.regionState(call.region).tables.get(name);
  if (!table) throw dynamodbErrors.tableNotFound(name);
  const now = Date.now();
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: table.pointInTimeRecovery
        ? {
            PointInTimeRecoveryStatus: 'ENABLED',
            RecoveryPeriodInDays: 35,
            EarliestRestorableDateTime: new Date(Math.max(table.createdAt.getTime(), now - 35 * DAY_MS)),
            LatestRestorableDateTime: new Date(now - 5 * 60 * 1000),
          }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  };
}
