import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  BackupClient,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, ListBackupsCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { collectFindings, summarize } from '../lambda/shared/audit-region';
import { Budget, manualBudget, NOT_AUDITED_REASON, UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { listNativeBackups } from '../lambda/shared/listing/native-backups';
import { createPacer, UNLIMITED_RATES } from '../lambda/shared/pacing';

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const clients = () => ({
  dynamodb: new DynamoDBClient({ region: REGION }),
  backup: new BackupClient({ region: REGION }),
  tagging: new ResourceGroupsTaggingAPIClient({ region: REGION }),
  securityhub: new SecurityHubClient({ region: REGION }),
});
const run = (budget: Budget = UNLIMITED_BUDGET) =>
  collectFindings(clients(), { region: REGION, accountId: ACCOUNT, rates: UNLIMITED_RATES, budget });

function summary(table: string, status: string, n = 0) {
  return {
    TableName: table,
    TableArn: arnOf(table),
    BackupArn: `${arnOf(table)}/backup/0${n}`,
    BackupStatus: status as 'AVAILABLE',
    BackupType: 'USER' as const,
    BackupCreationDateTime: new Date(Date.UTC(2026, 10, 1 + n)),
  };
}

beforeEach(() => {
  ddb.reset();
  backup.reset();
  tagging.reset();
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: '' });
  backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });
  backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
});

describe('one region audit', () => {
  it('judges every table of the region from one account-wide backup listing', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', 'payments', 'sessions'] });
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [
        summary('orders', 'AVAILABLE'),
        summary('payments', 'CREATING'),
        summary('gone', 'AVAILABLE'),
      ],
    });

    const { findings } = await run();

    expect(findings.map((f) => [f.tableName, f.status])).toEqual([
      ['orders', 'COMPLIANT'],
      ['payments', 'NON_COMPLIANT'],
      ['sessions', 'NON_COMPLIANT'],
    ]);
    expect(findings[0]?.tableArn).toBe(arnOf('orders'));
    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(ListBackupsCommand, { BackupType: 'ALL', Limit: 100 });
    expect(ddb).not.toHaveReceivedCommandWith(ListBackupsCommand, { TableName: expect.anything() });
  });

  it('audits every table past the first pages of ListTables and ListBackups', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `table-${String(i).padStart(3, '0')}`);
    ddb
      .on(ListTablesCommand)
      .resolves({ TableNames: names.slice(0, 100), LastEvaluatedTableName: names[99] })
      .on(ListTablesCommand, { ExclusiveStartTableName: names[99] })
      .resolves({ TableNames: names.slice(100, 200), LastEvaluatedTableName: names[199] })
      .on(ListTablesCommand, { ExclusiveStartTableName: names[199] })
      .resolves({ TableNames: names.slice(200) });
    const backups = names.slice(0, 240).map((n) => summary(n, 'AVAILABLE'));
    ddb
      .on(ListBackupsCommand)
      .resolves({ BackupSummaries: backups.slice(0, 100), LastEvaluatedBackupArn: backups[99]?.BackupArn })
      .on(ListBackupsCommand, { ExclusiveStartBackupArn: backups[99]?.BackupArn })
      .resolves({ BackupSummaries: backups.slice(100, 200), LastEvaluatedBackupArn: backups[199]?.BackupArn })
      .on(ListBackupsCommand, { ExclusiveStartBackupArn: backups[199]?.BackupArn })
      .resolves({ BackupSummaries: backups.slice(200) });

    const { findings, tableListComplete } = await run();

    expect(tableListComplete).toBe(true);
    expect(summarize(findings)).toEqual({
      tables: 250,
      compliant: 240,
      nonCompliant: 10,
      errors: 0,
      exempt: 0,
    });
    expect(ddb).toHaveReceivedCommandTimes(ListTablesCommand, 3);
    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 3);
  });

  it('asks AWS Backup only about tables without a usable native backup', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', 'payments'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [summary('orders', 'AVAILABLE')] });
    backup.on(ListRecoveryPointsByResourceCommand, { ResourceArn: arnOf('payments') }).resolves({
      RecoveryPoints: [{ Status: 'COMPLETED', CreationDate: new Date('2026-11-20T00:00:00Z') }],
    });

    const { findings } = await run();

    expect(findings.map((f) => f.status)).toEqual(['COMPLIANT', 'COMPLIANT']);
    expect(findings[1]?.lastBackupAt).toBe('2026-11-20T00:00:00.000Z');
    expect(backup).toHaveReceivedCommandTimes(ListRecoveryPointsByResourceCommand, 1);
    expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByResourceCommand, {
      ResourceArn: arnOf('payments'),
    });
  });

  it('reads recovery points vault by vault when that takes fewer calls than asking table by table', async () => {
    const names = ['a-table', 'b-table', 'c-table', 'd-table', 'e-table'];
    ddb.on(ListTablesCommand).resolves({ TableNames: names });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    backup.on(ListBackupVaultsCommand).resolves({
      BackupVaultList: [
        { BackupVaultName: 'Default', BackupVaultArn: 'arn:vault:Default', NumberOfRecoveryPoints: 3 },
        { BackupVaultName: 'empty', BackupVaultArn: 'arn:vault:empty', NumberOfRecoveryPoints: 0 },
      ],
    });
    backup.on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'Default' }).resolves({
      RecoveryPoints: [
        { ResourceArn: arnOf('a-table'), Status: 'COMPLETED' },
        { ResourceArn: arnOf('b-table'), Status: 'PARTIAL' },
        { ResourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/c-table`, Status: 'COMPLETED' },
      ],
    });
    // NumberOfRecoveryPoints is only an approximation: a vault that says 0 is read all the same.
    backup
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'empty' })
      .resolves({ RecoveryPoints: [{ ResourceArn: arnOf('d-table'), Status: 'COMPLETED' }] });

    const { findings, recoveryPointStrategy } = await run();

    expect(recoveryPointStrategy).toBe('vaults');
    expect(findings.map((f) => [f.tableName, f.status])).toEqual([
      ['a-table', 'COMPLIANT'],
      ['b-table', 'NON_COMPLIANT'],
      ['c-table', 'NON_COMPLIANT'], // a copy of another region's c-table proves nothing here
      ['d-table', 'COMPLIANT'],
      ['e-table', 'NON_COMPLIANT'],
    ]);
    expect(findings[1]?.reason).toContain('PARTIAL');
    expect(backup).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'Default',
      ByResourceType: 'DynamoDB',
    });
    expect(backup).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 2);
    expect(backup).not.toHaveReceivedCommand(ListRecoveryPointsByResourceCommand);
  });

  it('falls back to per-table look-ups for the tables a vault it cannot read might cover', async () => {
    const names = ['a-table', 'b-table', 'c-table', 'd-table'];
    ddb.on(ListTablesCommand).resolves({ TableNames: names });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    backup.on(ListBackupVaultsCommand).resolves({
      BackupVaultList: [
        { BackupVaultName: 'Default', BackupVaultArn: 'arn:vault:Default', NumberOfRecoveryPoints: 1 },
        { BackupVaultName: 'locked', BackupVaultArn: 'arn:vault:locked', NumberOfRecoveryPoints: 1 },
      ],
    });
    backup
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'Default' })
      .resolves({ RecoveryPoints: [{ ResourceArn: arnOf('a-table'), Status: 'COMPLETED' }] })
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'locked' })
      .rejects(Object.assign(new Error('denied by vault policy'), { name: 'AccessDeniedException' }));
    backup
      .on(ListRecoveryPointsByResourceCommand, { ResourceArn: arnOf('d-table') })
      .resolves({ RecoveryPoints: [{ Status: 'COMPLETED' }] });

    const { findings, recoveryPointStrategy } = await run();

    expect(recoveryPointStrategy).toBe('vaults+perTable');
    expect(findings.map((f) => f.status)).toEqual([
      'COMPLIANT',
      'NON_COMPLIANT',
      'NON_COMPLIANT',
      'COMPLIANT',
    ]);
    expect(backup).toHaveReceivedCommandTimes(ListRecoveryPointsByResourceCommand, 3);
    expect(backup).not.toHaveReceivedCommandWith(ListRecoveryPointsByResourceCommand, {
      ResourceArn: arnOf('a-table'),
    });
  });

  it('turns one table whose AWS Backup look-up fails into ERROR without failing the others', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', 'payments'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    backup
      .on(ListRecoveryPointsByResourceCommand, { ResourceArn: arnOf('orders') })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    const { findings } = await run();

    expect(findings[0]).toMatchObject({ tableName: 'orders', status: 'ERROR' });
    expect(findings[0]?.reason).toContain('ThrottlingException');
    expect(findings[1]).toMatchObject({ tableName: 'payments', status: 'NON_COMPLIANT' });
  });

  it('keeps proven tables compliant and reports the rest as ERROR when ListBackups fails part-way', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', 'payments', 'sessions'] });
    ddb
      .on(ListBackupsCommand)
      .resolves({ BackupSummaries: [summary('orders', 'AVAILABLE')], LastEvaluatedBackupArn: 'next' })
      .on(ListBackupsCommand, { ExclusiveStartBackupArn: 'next' })
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    backup
      .on(ListRecoveryPointsByResourceCommand, { ResourceArn: arnOf('sessions') })
      .resolves({ RecoveryPoints: [{ Status: 'COMPLETED' }] });

    const { findings } = await run();

    expect(findings.map((f) => [f.tableName, f.status])).toEqual([
      ['orders', 'COMPLIANT'],
      ['payments', 'ERROR'],
      ['sessions', 'COMPLIANT'],
    ]);
    expect(findings[1]?.reason).toMatch(/native backups could not be listed \(AccessDeniedException/);
  });

  it('fails the region when its tables cannot be listed at all', async () => {
    ddb.on(ListTablesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(run()).rejects.toThrow('denied');
  });

  it('reports the tables it could not reach before the time budget ran out as not audited', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', 'payments', 'sessions'] });
    let exhausted = false;
    ddb.on(ListBackupsCommand).callsFake(() => {
      exhausted = true; // the deadline passes while the first page is read
      return { BackupSummaries: [summary('orders', 'AVAILABLE')], LastEvaluatedBackupArn: 'next' };
    });

    const { findings } = await run(manualBudget(() => exhausted));

    expect(findings.map((f) => [f.tableName, f.status])).toEqual([
      ['orders', 'COMPLIANT'],
      ['payments', 'ERROR'],
      ['sessions', 'ERROR'],
    ]);
    expect(findings[1]?.reason).toBe('Not audited: time budget exhausted before this table was reached.');
    expect(backup).not.toHaveReceivedCommand(ListRecoveryPointsByResourceCommand);
    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 1);
  });
});

describe('the time budget and the listings', () => {
  it('never reports a native listing that completed on its last page as incomplete', async () => {
    let exhausted = false;
    ddb.on(ListBackupsCommand).callsFake(() => {
      exhausted = true; // the deadline passes while the last (only) page is read
      return { BackupSummaries: [summary('orders', 'AVAILABLE')] };
    });

    const index = await listNativeBackups(
      new DynamoDBClient({ region: REGION }),
      createPacer(Infinity),
      manualBudget(() => exhausted),
    );

    expect(index.incomplete).toBeUndefined();
    expect(index.byTable.get('orders')).toHaveLength(1);
  });

  it('stops listing backup vaults at the deadline and leaves the tables it could not check unaudited', async () => {
    ddb.on(ListTablesCommand).resolves({ TableNames: ['a-table', 'b-table', 'c-table', 'd-table'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    let exhausted = false;
    backup.on(ListBackupVaultsCommand).callsFake(() => {
      exhausted = true;
      return {
        BackupVaultList: [{ BackupVaultName: 'Default', BackupVaultArn: 'arn:v' }],
        NextToken: 'more',
      };
    });

    const { findings } = await run(manualBudget(() => exhausted));

    expect(backup).toHaveReceivedCommandTimes(ListBackupVaultsCommand, 1);
    expect(backup).not.toHaveReceivedCommand(ListRecoveryPointsByBackupVaultCommand);
    expect(backup).not.toHaveReceivedCommand(ListRecoveryPointsByResourceCommand);
    expect(findings.map((f) => f.status)).toEqual(['ERROR', 'ERROR', 'ERROR', 'ERROR']);
    expect(findings.every((f) => f.reason === NOT_AUDITED_REASON)).toBe(true);
  });
});
