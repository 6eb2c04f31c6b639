/** The catalogue of modelled operations: which client's command is answered by which model. */
import { assumeRole } from './assume-role';
import { listBackupVaults, listRecoveryPointsByBackupVault, listRecoveryPointsByResource } from './backup';
import { createBackup, describeTable, listBackups, listTables } from './dynamodb';
import type { ServiceName } from './errors';
import { invoke } from './lambda';
import { listAccounts } from './list-accounts';
import { notModelled } from './modelled';
import { getObject, putObject } from './s3';
import { batchImportFindings, getFindings } from './securityhub';
import { publish } from './sns';
import type { CallInfo, SimWorld } from './state';
import { getCallerIdentity } from './sts';
import { getResources } from './tagging';

export type OperationModel = (world: SimWorld, call: CallInfo, input: never) => unknown;

const OPERATIONS: Readonly<Record<ServiceName, Readonly<Record<string, OperationModel>>>> = {
  dynamodb: {
    ListTables: listTables,
    DescribeTable: describeTable,
    ListBackups: listBackups,
    CreateBackup: createBackup,
  },
  backup: {
    ListBackupVaults: listBackupVaults,
    ListRecoveryPointsByBackupVault: listRecoveryPointsByBackupVault,
    ListRecoveryPointsByResource: listRecoveryPointsByResource,
  },
  sns: { Publish: publish },
  lambda: { Invoke: invoke },
  sts: { GetCallerIdentity: getCallerIdentity, AssumeRole: assumeRole },
  tagging: { GetResources: getResources },
  s3: { PutObject: putObject, GetObject: getObject },
  securityhub: { BatchImportFindings: batchImportFindings, GetFindings: getFindings },
  // A plain account is in no organization; SimulatedOrganization answers these itself (sim/organization.ts).
  organizations: { ListAccounts: listAccounts },
};

const SERVICE_BY_CLIENT: Readonly<Record<string, ServiceName>> = {
  DynamoDBClient: 'dynamodb',
  BackupClient: 'backup',
  SNSClient: 'sns',
  LambdaClient: 'lambda',
  STSClient: 'sts',
  ResourceGroupsTaggingAPIClient: 'tagging',
  S3Client: 's3',
  SecurityHubClient: 'securityhub',
  OrganizationsClient: 'organizations',
};

/** `ListBackupsCommand` → `ListBackups`. */
export function operationName(commandName: string): string {
  return commandName.replace(/Command$/, '');
}

/** The model of a client's command; throws for anything not modelled. */
export function operationFor(
  clientName: string,
  commandName: string,
): { service: ServiceName; operation: string; model: OperationModel } {
  const service = SERVICE_BY_CLIENT[clientName];
  const operation = operationName(commandName);
  const model = service ? OPERATIONS[service][operation] : undefined;
  if (!service || !model) {
    throw notModelled(`${clientName || 'this client'}.${operation || '(unknown command)'}`);
  }
  return { service, operation, model };
}
