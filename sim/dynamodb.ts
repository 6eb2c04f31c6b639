/** The DynamoDB control-plane operations the simulated account models. */
import type {
  BackupDetails,
  BackupSummary,
  CreateBackupCommandInput,
  CreateBackupOutput,
  DescribeTableCommandInput,
  DescribeTableOutput,
  ListBackupsCommandInput,
  ListBackupsOutput,
  ListTablesCommandInput,
  ListTablesOutput,
} from '@aws-sdk/client-dynamodb';
import { dynamodbErrors } from './errors';
import type { IdSource } from './ids';
import { requireModelledMembers } from './modelled';
import {
  settleBackup,
  type ArnScope,
  type CallInfo,
  type NativeBackupRecord,
  type NativeBackupStatus,
  type NativeBackupType,
  type SimWorld,
  type TableRecord,
} from './state';

const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const BACKUP_TYPE_FILTERS = ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'];

export function tableArnOf(scope: ArnScope, tableName: string): string {
  return `arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${tableName}`;
}

/** A table name from a name or a table ARN (both are accepted wherever the API says "name or ARN"). */
function tableNameFrom(nameOrArn: string): string {
  const match = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
}

export function isValidName(name: string): boolean {
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
    tableName: table.name,
    tableArn: table.arn,
    tableId: table.id,
    type: opts.type,
    status: opts.status,
    createdAt: new Date(ms),
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBackups(a: NativeBackupRecord, b: NativeBackupRecord): number {
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
    BackupStatus: status,
    BackupType: backup.type,
    BackupCreationDateTime: new Date(backup.createdAt.getTime()),
  };
}

export function listTables(world: SimWorld, call: CallInfo, input: ListTablesCommandInput): ListTablesOutput {
  requireModelledMembers(call.operation, input, ['Limit', 'ExclusiveStartTableName']);
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
  requireModelledMembers(call.operation, input, ['TableName']);
  const violations = tableNameViolations('tableName', input.TableName);
  if (violations.length > 0) throw dynamodbErrors.validation(violations);
  const name = tableNameFrom(input.TableName ?? '');
  const table = world.regionState(call.region).tables.get(name);
  if (!table) throw dynamodbErrors.resourceNotFound(name);
  return {
    Table: {
      TableName: table.name,
      TableArn: table.arn,
      TableId: table.id,
      TableStatus: table.status,
      CreationDateTime: new Date(table.createdAt.getTime()),
    },
  };
}

/**
 * The region's native backups, oldest first. AWS Backup recovery points live in AWS Backup only:
 * ListBackups never returns them, whatever BackupType says (AWS_BACKUP included).
 */
export function listBackups(
  world: SimWorld,
  call: CallInfo,
  input: ListBackupsCommandInput,
): ListBackupsOutput {
  requireModelledMembers(call.operation, input, [
    'TableName',
    'BackupType',
    'TimeRangeLowerBound',
    'Limit',
    'ExclusiveStartBackupArn',
  ]);
  const violations = limitViolations('limit', input.Limit, 100);
  const backupType = input.BackupType ?? 'USER';
  if (!BACKUP_TYPE_FILTERS.includes(backupType)) {
    violations.push(
      `Value '${backupType}' at 'backupType' failed to satisfy constraint: Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]`,
    );
  }
  if (violations.length > 0) throw dynamodbErrors.validation(violations);

  const lower = input.TimeRangeLowerBound?.getTime();
  const matching = world
    .regionState(call.region)
    .backups.filter((b) => backupType === 'ALL' || b.type === backupType)
    .filter((b) => input.TableName === undefined || b.tableName === tableNameFrom(input.TableName))
    // The lower bound is inclusive.
    .filter((b) => lower === undefined || b.createdAt.getTime() >= lower)
    .sort(compareBackups);

  let remaining = matching;
  const startArn = input.ExclusiveStartBackupArn;
  if (startArn !== undefined) {
    // Backups are never removed (a deleted one stays listed as DELETED), so a token stays in the list.
    const index = matching.findIndex((b) => b.arn === startArn);
    if (index < 0) throw dynamodbErrors.validationMessage(`Invalid ExclusiveStartBackupArn: ${startArn}`);
    remaining = matching.slice(index + 1);
  }
  const size = world.pageSize(call.operation, input.Limit ?? 100);
  const page = remaining.slice(0, size);
  const last = page[page.length - 1];
  const nowMs = Date.now();
  const summaries: BackupSummary[] = page.map((b) => ({
    TableName: b.tableName,
    TableId: b.tableId,
    TableArn: b.tableArn,
    ...backupDetails(b, settleBackup(b, nowMs)),
  }));
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
  requireModelledMembers(call.operation, input, ['TableName', 'BackupName']);
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
