import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  BackupClient,
  ListBackupVaultsCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, ListBackupsCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { auditRegion, RegionAuditConfig } from '../lambda/audit/audit';
import { REMEDIATION_BATCH_SIZE } from '../lambda/audit/remediation-request';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';

const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const sns = mockClient(SNSClient);
const lambda = mockClient(LambdaClient);
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:findings`;
const arnOf = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
const config = (autoRemediation: boolean): RegionAuditConfig => ({
  region: REGION,
  accountId: ACCOUNT,
  topicArn: TOPIC,
  autoRemediation,
  remediationFunctionName: 'remediate-fn',
});
const audit = (autoRemediation = false) =>
  auditRegion(
    {
      clients: {
        dynamodb: new DynamoDBClient({ region: REGION }),
        backup: new BackupClient({ region: REGION }),
        tagging: new ResourceGroupsTaggingAPIClient({ region: REGION }),
        securityhub: new SecurityHubClient({ region: REGION }),
      },
      sns: new SNSClient({ region: 'us-east-1' }),
      lambda: new LambdaClient({ region: 'us-east-1' }),
      logger,
      rates: UNLIMITED_RATES,
      budget: UNLIMITED_BUDGET,
      now: () => new Date('2026-11-28T06:00:00Z'),
    },
    config(autoRemediation),
  ).then((audited) => audited.report);

function tablesWithBackups(names: string[], available: string[]) {
  ddb.on(ListTablesCommand).resolves({ TableNames: names });
  ddb.on(ListBackupsCommand).resolves({
    BackupSummaries: available.map((t) => ({
      TableName: t,
      TableArn: arnOf(t),
      BackupStatus: 'AVAILABLE',
      BackupCreationDateTime: new Date('2026-11-27T00:00:00Z'),
    })),
  });
}

beforeEach(() => {
  for (const m of [ddb, backup, sns, lambda, tagging]) m.reset();
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: '' });
  backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });
  backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
});

describe('audit of one region', () => {
  it('returns the report of docs/design.md with one finding per table, compliant ones included', async () => {
    tablesWithBackups(['orders', 'payments'], ['orders']);

    const report = await audit();

    expect(report).toMatchObject({
      region: REGION,
      accountId: ACCOUNT,
      startedAt: '2026-11-28T06:00:00.000Z',
      finishedAt: '2026-11-28T06:00:00.000Z',
      summary: { tables: 2, compliant: 1, nonCompliant: 1, errors: 0 },
      remediationRequested: 0,
    });
    expect(report.findings).toHaveLength(2);
    expect(report.findings[0]).toEqual({
      ruleId: 'DynamoDB-005',
      region: REGION,
      tableName: 'orders',
      tableArn: arnOf('orders'),
      status: 'COMPLIANT',
      reason: expect.any(String),
      lastBackupAt: '2026-11-27T00:00:00.000Z',
    });
  });

  it('publishes one digest naming the failing tables, with status and region attributes', async () => {
    tablesWithBackups(['orders', 'payments', 'sessions'], ['orders']);

    await audit();

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: {
        status: { DataType: 'String', StringValue: 'NON_COMPLIANT' },
        region: { DataType: 'String', StringValue: REGION },
      },
    });
    const email = JSON.parse(input?.Message ?? '{}').email as string;
    expect(email).toContain('payments');
    expect(email).toContain('sessions');
    expect(email).toContain(`aws dynamodb create-backup --region ${REGION} --table-name payments`);
  });

  it('stays quiet when every table is compliant', async () => {
    tablesWithBackups(['orders'], ['orders']);
    const report = await audit();
    expect(report.summary.compliant).toBe(1);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('does not invoke remediation when auto-remediation is off', async () => {
    tablesWithBackups(['orders'], []);
    await audit(false);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
  });

  it('hands only NON_COMPLIANT tables to the remediation function, asynchronously, when enabled', async () => {
    tablesWithBackups(['orders', 'payments', 'broken'], ['orders']);
    backup
      .on(ListRecoveryPointsByResourceCommand, { ResourceArn: arnOf('broken') })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    const report = await audit(true);

    expect(report.summary).toEqual({ tables: 3, compliant: 1, nonCompliant: 1, errors: 1, exempt: 0 });
    expect(report.remediationRequested).toBe(1);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 1);
    const invoke = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: 'remediate-fn', InvocationType: 'Event' });
    expect(JSON.parse(Buffer.from(invoke?.Payload as Uint8Array).toString())).toEqual({
      tables: [{ tableArn: arnOf('payments') }],
    });
    const email = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}')
      .email as string;
    expect(email).toContain('Auto-remediation is ON');
  });

  it('splits a large remediation request into batches', async () => {
    const names = Array.from({ length: REMEDIATION_BATCH_SIZE + 20 }, (_, i) => `t-${i}`);
    tablesWithBackups(names, []);

    const report = await audit(true);

    expect(report.remediationRequested).toBe(names.length);
    expect(lambda).toHaveReceivedCommandTimes(InvokeCommand, 2);
  });

  it('still publishes the digest, saying remediation failed, when the remediation function cannot be invoked', async () => {
    tablesWithBackups(['orders'], []);
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('no such function'), { name: 'ResourceNotFoundException' }));

    const report = await audit(true);

    expect(report.remediationRequested).toBe(0);
    const email = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}')
      .email as string;
    expect(email).toContain('could not be requested');
  });

  it('counts the batches already handed over when a later remediation batch fails', async () => {
    const names = Array.from({ length: REMEDIATION_BATCH_SIZE + 20 }, (_, i) => `t-${i}`);
    tablesWithBackups(names, []);
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 202 })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));

    const report = await audit(true);

    expect(report.remediationRequested).toBe(REMEDIATION_BATCH_SIZE);
    const email = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}')
      .email as string;
    expect(email).toContain(`${REMEDIATION_BATCH_SIZE} of ${names.length} tables were handed over`);
  });

  it('sends one alert and reports the failure, without throwing, when the tables cannot be listed', async () => {
    ddb
      .on(ListTablesCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    const report = await audit();

    expect(report.failure).toBe('ListTables failed: AccessDeniedException: not authorized');
    expect(report.findings).toEqual([]);
    expect(report.summary.tables).toBe(0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toMatch(/audit of eu-west-1 failed/);
    expect(input?.MessageAttributes?.status?.StringValue).toBe('ERROR');
    expect(JSON.parse(input?.Message ?? '{}').email).toContain('AccessDeniedException: not authorized');
  });

  it('throws the original error, not the publish error, when the failure alert cannot be sent', async () => {
    ddb
      .on(ListTablesCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    sns.on(PublishCommand).rejects(Object.assign(new Error('topic gone'), { name: 'NotFoundException' }));

    await expect(audit()).rejects.toThrow('not authorized');

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(logger.error).toHaveBeenCalledWith(
      'Could not publish the audit failure alert',
      expect.objectContaining({ message: 'topic gone' }),
    );
  });
});
