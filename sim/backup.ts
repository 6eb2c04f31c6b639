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
import { requireModelledMembers } from './modelled';
import type { ArnScope, CallInfo, RecoveryPointRecord, SimWorld } from './state';

/** MaxResults range of every AWS Backup List* operation modelled here (API reference: 1–1000). */
const MAX_RESULTS = 1000;
const VAULT_TYPES = ['BACKUP_VAULT', 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT', 'RESTORE_ACCESS_BACKUP_VAULT'];

export function vaultArnOf(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:backup:${scope.region}:${scope.accountId}:backup-vault:${name}`;
}

export function recoveryPointArnOf(scope: ArnScope, id: string): string {
  return `arn:${scope.partition}:backup:${scope.region}:${scope.accountId}:recovery-point:${id}`;
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

/**
 * Pages `items` (already in list order) with an opaque token holding the key of the last item
 * returned, so pages stay stable when items are added between calls (items are never removed).
 */
function paginate<T>(
  operation: string,
  items: T[],
  keyOf: (item: T) => string,
  pageSize: number,
  token: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const [tokenOperation, lastKey] = Buffer.from(token, 'base64url').toString('utf8').split('\n');
    const index = items.findIndex((item) => keyOf(item) === lastKey);
    if (tokenOperation !== operation || index < 0)
      throw backupErrors.invalidParameterValue('Invalid NextToken');
    start = index + 1;
  }
  const page = items.slice(start, start + pageSize);
  const last = page[page.length - 1];
  const more = start + page.length < items.length;
  return more && last !== undefined
    ? { page, nextToken: Buffer.from(`${operation}\n${keyOf(last)}`).toString('base64url') }
    : { page };
}

/** Newest first, ARN as the tie-break. */
function compareRecoveryPoints(a: RecoveryPointRecord, b: RecoveryPointRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
}

export function listBackupVaults(
  world: SimWorld,
  call: CallInfo,
  input: ListBackupVaultsCommandInput,
): ListBackupVaultsOutput {
  requireModelledMembers(call.operation, input, ['ByVaultType', 'MaxResults', 'NextToken']);
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
  const list: BackupVaultListMember[] = page.map((v) => ({
    BackupVaultName: v.name,
    BackupVaultArn: v.arn,
    VaultType: v.type,
    NumberOfRecoveryPoints: state.recoveryPoints.filter((rp) => rp.vaultName === v.name).length,
  }));
  return { BackupVaultList: list, ...(nextToken ? { NextToken: nextToken } : {}) };
}

export function listRecoveryPointsByBackupVault(
  world: SimWorld,
  call: CallInfo,
  input: ListRecoveryPointsByBackupVaultCommandInput,
): ListRecoveryPointsByBackupVaultOutput {
  requireModelledMembers(call.operation, input, [
    'BackupVaultName',
    'ByResourceType',
    'MaxResults',
    'NextToken',
  ]);
  if (!input.BackupVaultName) throw backupErrors.missingParameterValue('BackupVaultName');
  const maxResults = validateMaxResults(input.MaxResults);
  const state = world.regionState(call.region);
  const vault = state.vaults.get(input.BackupVaultName);
  if (!vault) {
    throw backupErrors.resourceNotFound(
      `Backup vault ${input.BackupVaultName} does not exist in account ${call.accountId}, region ${call.region}`,
    );
  }
  // Every simulated recovery point is a DynamoDB one.
  const typeMatches = input.ByResourceType === undefined || input.ByResourceType === 'DynamoDB';
  const points = state.recoveryPoints
    .filter((rp) => typeMatches && rp.vaultName === vault.name)
    .sort(compareRecoveryPoints);
  const { page, nextToken } = paginate(
    call.operation,
    points,
    (rp) => rp.arn,
    world.pageSize(call.operation, maxResults),
    input.NextToken,
  );
  const recoveryPoints: RecoveryPointByBackupVault[] = page.map((rp) => ({
    RecoveryPointArn: rp.arn,
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    ResourceArn: rp.resourceArn,
    ResourceType: 'DynamoDB',
    Status: rp.status,
    CreationDate: new Date(rp.createdAt.getTime()),
  }));
  return { RecoveryPoints: recoveryPoints, ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** The recovery points of one resource in this region's vaults; the items carry no ResourceArn. */
export function listRecoveryPointsByResource(
  world: SimWorld,
  call: CallInfo,
  input: ListRecoveryPointsByResourceCommandInput,
): ListRecoveryPointsByResourceOutput {
  requireModelledMembers(call.operation, input, ['ResourceArn', 'MaxResults', 'NextToken']);
  if (!input.ResourceArn) throw backupErrors.missingParameterValue('ResourceArn');
  if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+/.test(input.ResourceArn)) {
    throw backupErrors.invalidParameterValue(`Invalid ARN: ${input.ResourceArn}`);
  }
  const maxResults = validateMaxResults(input.MaxResults);
  const points = world
    .regionState(call.region)
    .recoveryPoints.filter((rp) => rp.resourceArn === input.ResourceArn)
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
    BackupVaultName: rp.vaultName,
    Status: rp.status,
    CreationDate: new Date(rp.createdAt.getTime()),
  }));
  return { RecoveryPoints: recoveryPoints, ...(nextToken ? { NextToken: nextToken } : {}) };
}
