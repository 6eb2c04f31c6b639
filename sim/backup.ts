/** The AWS Backup list operations the simulated account models. */
import type {
  BackupVaultListMember,
  ListBackupVaultsCommandInput,
  ListBackupVaultsOutput,
  ListRecoveryPointsByBackupVaultCommandInput,
  ListRecoveryPointsByBackupVaultOutput,
  ListRecoveryPointsByResourceCommandInput,
  ListRecoveryPointsByResourceOutput,
  RecoveryPointByBackupVault,
  RecoveryPointByResource,
} from '@aws-sdk/client-backup';
import { backupErrors } from './errors';
import type { CallInfo, RecoveryPointRecord, SimWorld, VaultRecord } from './state';

/** MaxResults range of every AWS Backup List* operation modelled here (API reference: 1–1000). */
const MAX_RESULTS = 1000;
const VAULT_TYPES = ['BACKUP_VAULT', 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', 'RESTORE_ACCESS_BACKUP_VAULT'];

export function vaultArnOf(call: Pick<CallInfo, 'partition' | 'region' | 'accountId'>, name: string): string {
  return `arn:${call.partition}:backup:${call.region}:${call.accountId}:backup-vault:${name}`;
}

function validateMaxResults(value: number | undefined): number {
  if (value === undefined) return MAX_RESULTS;
  if (!Number.isInteger(value) || value < 1) {
    throw backupErrors.validation(
      `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  if (value > MAX_RESULTS) {
    throw backupErrors.validation(
      `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RESULTS}`,
    );
  }
  return value;
}

/** Opaque page tokens that remember the last item returned, so pages stay stable under inserts. */
function encodeToken(operation: string, index: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ o: operation, i: index, k: lastKey })).toString('base64url');
}

function decodeToken(
  operation: string,
  token: string | undefined,
): { index: number; lastKey: string } | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'o' in parsed &&
      'i' in parsed &&
      'k' in parsed &&
      parsed.o === operation &&
      typeof parsed.i === 'number' &&
      typeof parsed.k === 'string'
    ) {
      return { index: parsed.i, lastKey: parsed.k };
    }
  } catch {
    // fall through to the service's error
  }
  throw backupErrors.invalidParameterValue('Invalid NextToken');
}

/** Pages `items` (already in list order) by `keyOf`, resuming after the token's last key. */
function paginate<T>(
  operation: string,
  items: T[],
  keyOf: (item: T) => string,
  pageSize: number,
  token: string | undefined,
): { page: T[]; nextToken?: string } {
  const after = decodeToken(operation, token);
  let start = 0;
  if (after) {
    const index = items.findIndex((item) => keyOf(item) === after.lastKey);
    start = index >= 0 ? index + 1 : Math.min(after.index, items.length);
  }
  const page = items.slice(start, start + pageSize);
  const last = page[page.length - 1];
  const more = start + page.length < items.length;
  return more && last !== undefined
    ? { page, nextToken: encodeToken(operation, start + page.length, keyOf(last)) }
    : { page };
}

/** Newest first, ARN as the tie-break. */
function compareRecoveryPoints(a: RecoveryPointRecord, b: RecoveryPointRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
}

function completionDate(rp: RecoveryPointRecord): Date | undefined {
  if (rp.status === 'CREATING') return undefined;
  return new Date((rp.completedAt ?? new Date(rp.createdAt.getTime() + 10 * 60 * 1000)).getTime());
}

export function listBackupVaults(
  world: SimWorld,
  call: CallInfo,
  input: ListBackupVaultsCommandInput,
): ListBackupVaultsOutput {
  const maxResults = validateMaxResults(input.MaxResults);
  if (input.ByVaultType !== undefined && !VAULT_TYPES.includes(input.ByVaultType)) {
    throw backupErrors.invalidParameterValue(`Invalid value for ByVaultType: ${input.ByVaultType}`);
  }
  const state = world.regionState(call.region);
  const vaults = [...state.vaults.values()]
    .filter((v) => input.ByVaultType === undefined || v.type === input.ByVaultType)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, nextToken } = paginate(
    call.operation,
    vaults,
    (v) => v.name,
    world.pageSize(call.operation, maxResults),
    input.NextToken,
  );
  const list: BackupVaultListMember[] = page.map((v: VaultRecord) => ({
    BackupVaultName: v.name,
    BackupVaultArn: v.arn,
    VaultType: v.type,
    VaultState: 'AVAILABLE',
    CreationDate: new Date(v.createdAt.getTime()),
    NumberOfRecoveryPoints: state.recoveryPoints.filter((rp) => rp.vaultName === v.name).length,
    Locked: false,
  }));
  return { BackupVaultList: list, ...(nextToken ? { NextToken: nextToken } : {}) };
}

export function listRecoveryPointsByBackupVault(
  world: SimWorld,
  call: CallInfo,
  input: ListRecoveryPointsByBackupVaultCommandInput,
): ListRecoveryPointsByBackupVaultOutput {
  if (!input.BackupVaultName) throw backupErrors.missingParameterValue('BackupVaultName');
  const maxResults = validateMaxResults(input.MaxResults);
  const state = world.regionState(call.region);
  const vault = state.vaults.get(input.BackupVaultName);
  if (!vault || (input.BackupVaultAccountId !== undefined && input.BackupVaultAccountId !== call.accountId)) {
    throw backupErrors.resourceNotFound(
      `Backup vault ${input.BackupVaultName} does not exist in account ${call.accountId}, region ${call.region}`,
    );
  }
  const before = input.ByCreatedBefore?.getTime();
  const after = input.ByCreatedAfter?.getTime();
  // Every simulated recovery point is a DynamoDB one and none is a composite (parent/child) one.
  const typeMatches = input.ByResourceType === undefined || input.ByResourceType === 'DynamoDB';
  const parentMatches = input.ByParentRecoveryPointArn === undefined;
  const points = state.recoveryPoints
    .filter((rp) => typeMatches && parentMatches && rp.vaultName === vault.name)
    .filter((rp) => input.ByResourceArn === undefined || rp.resourceArn === input.ByResourceArn)
    .filter((rp) => input.ByBackupPlanId === undefined || rp.backupPlanId === input.ByBackupPlanId)
    .filter((rp) => before === undefined || rp.createdAt.getTime() < before)
    .filter((rp) => after === undefined || rp.createdAt.getTime() > after)
    .sort(compareRecoveryPoints);
  const { page, nextToken } = paginate(
    call.operation,
    points,
    (rp) => rp.arn,
    world.pageSize(call.operation, maxResults),
    input.NextToken,
  );
  const recoveryPoints: RecoveryPointByBackupVault[] = page.map((rp) => {
    const completed = completionDate(rp);
    return {
      RecoveryPointArn: rp.arn,
      BackupVaultName: vault.name,
      BackupVaultArn: vault.arn,
      ResourceArn: rp.resourceArn,
      ResourceType: 'DynamoDB',
      IamRoleArn: `arn:${call.partition}:iam::${call.accountId}:role/service-role/AWSBackupDefaultServiceRole`,
      Status: rp.status,
      CreationDate: new Date(rp.createdAt.getTime()),
      ...(completed ? { CompletionDate: completed } : {}),
      BackupSizeInBytes: rp.sizeBytes,
      IsEncrypted: true,
      IsParent: false,
      ResourceName: rp.resourceName,
      VaultType: vault.type,
      ...(rp.backupPlanId ? { CreatedBy: { BackupPlanId: rp.backupPlanId } } : {}),
    };
  });
  return { RecoveryPoints: recoveryPoints, ...(nextToken ? { NextToken: nextToken } : {}) };
}

export function listRecoveryPointsByResource(
  world: SimWorld,
  call: CallInfo,
  input: ListRecoveryPointsByResourceCommandInput,
): ListRecoveryPointsByResourceOutput {
  if (!input.ResourceArn) throw backupErrors.missingParameterValue('ResourceArn');
  if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+/.test(input.ResourceArn)) {
    throw backupErrors.invalidParameterValue(`Invalid ARN: ${input.ResourceArn}`);
  }
  const maxResults = validateMaxResults(input.MaxResults);
  const state = world.regionState(call.region);
  // Every simulated recovery point is managed by AWS Backup, so ManagedByAWSBackupOnly changes nothing.
  const points = state.recoveryPoints
    .filter((rp) => rp.resourceArn === input.ResourceArn)
    .sort(compareRecoveryPoints);
  const { page, nextToken } = paginate(
    call.operation,
    points,
    (rp) => rp.arn,
    world.pageSize(call.operation, maxResults),
    input.NextToken,
  );
  const recoveryPoints: RecoveryPointByResource[] = page.map((rp) => ({
    RecoveryPointArn: rp.arn,
    CreationDate: new Date(rp.createdAt.getTime()),
    Status: rp.status,
    BackupSizeBytes: rp.sizeBytes,
    BackupVaultName: rp.vaultName,
    IsParent: false,
    ResourceName: rp.resourceName,
    VaultType: state.vaults.get(rp.vaultName)?.type ?? 'BACKUP_VAULT',
  }));
  return { RecoveryPoints: recoveryPoints, ...(nextToken ? { NextToken: nextToken } : {}) };
}
