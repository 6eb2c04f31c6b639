import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  BackupClient,
  ListBackupVaultsCommand,
  ListRecoveryPointsByResourceCommand,
} from '@aws-sdk/client-backup';
import { DynamoDBClient, ListBackupsCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../lambda/audit/index';
import { AuditReport } from '../lambda/shared/types';

const sfn = mockClient(SFNClient);
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:auditor-audit-run';
const ddb = mockClient(DynamoDBClient);
const backup = mockClient(BackupClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
const sns = mockClient(SNSClient);
const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:audit';
const context = {
  invokedFunctionArn: FUNCTION_ARN,
  functionName: 'audit',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

const scheduledEvent = {
  version: '0',
  id: 'e-1',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-28T06:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {},
};

function setEnv(auditRegions: string): void {
  Object.assign(process.env, {
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings',
    AUTO_REMEDIATION: 'false',
    REMEDIATION_FUNCTION_NAME: 'remediate',
    AUDIT_REGIONS: auditRegions,
    AWS_REGION: 'us-east-1',
    MAX_BACKUP_AGE_HOURS: '0',
    EXEMPT_TABLES: '',
    VERIFY_TABLE_IDENTITY: 'false',
    REPORT_BUCKET: 'auditor-reports',
    SECURITY_HUB_FINDINGS: 'false',
    AUDIT_ACCOUNTS: '',
    MEMBER_ROLE_NAME: 'DynamoDbBackupAuditorMember',
    STATE_MACHINE_ARN,
  });
}

const awsCalls = () => [sfn, ddb, backup, sns, lambda, s3, tagging].reduce((n, m) => n + m.calls().length, 0);

beforeEach(() => {
  for (const m of [sfn, ddb, backup, sns, lambda, tagging, s3]) m.reset();
  s3.on(PutObjectCommand).resolves({});
  tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: '' });
  lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  setEnv('');
});

describe('audit handler: starting a run', () => {
  it.each([
    ['{} (a manual run)', {}],
    ['the EventBridge scheduled event', scheduledEvent],
  ])('starts one execution of the run state machine on %s and returns it', async (_what, event) => {
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:e-1`,
      startDate: new Date('2026-11-28T06:00:00Z'),
    });

    const started = await handler(event, context);

    expect(started).toEqual({
      executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:e-1`,
      startedAt: '2026-11-28T06:00:00.000Z',
    });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      input: '{}',
    });
    expect(ddb.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });
});

describe('audit handler: accounts', () => {
  it('refuses an account this stack does not audit, before any AWS call', async () => {
    setEnv('eu-west-1');
    process.env.AUDIT_ACCOUNTS = '444455556666';

    await expect(handler({ region: 'eu-west-1', accountId: '999988887777' }, context)).rejects.toThrow(
      'Account 999988887777 is not audited by this stack',
    );
    expect(awsCalls()).toBe(0);
  });

  it.each([
    [{ region: 'eu-west-1', accountId: '12345' }, /"accountId" must be a 12-digit account id/],
    [{ region: 'eu-west-1', runId: 'x' }, /"runId" is not a run id/],
    [{ region: 'eu-west-1', notify: 'yes' }, /"notify" must be true or false/],
  ])('refuses the malformed item %j before any AWS call', async (event, message) => {
    setEnv('eu-west-1');

    await expect(handler(event, context)).rejects.toThrow(message);
    expect(awsCalls()).toBe(0);
  });
});

describe('audit handler: region audit', () => {
  it('audits the region named in the event and returns its report', async () => {
    setEnv('eu-west-1');
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [{ TableName: 'orders', BackupStatus: 'AVAILABLE' }],
    });
    backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });

    const report = await handler({ region: 'eu-west-1' }, context);

    expect(report).toMatchObject({
      region: 'eu-west-1',
      accountId: '123456789012',
      summary: { tables: 1, compliant: 1 },
    });
    expect(ddb).toHaveReceivedCommand(ListTablesCommand);
  });

  it('applies the policy the stack configured: age limit and exempt tables', async () => {
    setEnv('eu-west-1');
    Object.assign(process.env, { MAX_BACKUP_AGE_HOURS: '24', EXEMPT_TABLES: 'dev-*' });
    ddb.on(ListTablesCommand).resolves({ TableNames: ['dev-cache', 'orders'] });
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [
        {
          TableName: 'orders',
          BackupStatus: 'AVAILABLE',
          BackupCreationDateTime: new Date(Date.now() - 3 * 86_400_000),
        },
      ],
    });
    backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [] });
    backup.on(ListRecoveryPointsByResourceCommand).resolves({ RecoveryPoints: [] });

    const report = (await handler({ region: 'eu-west-1' }, context)) as AuditReport;

    expect(report.findings.map((f) => [f.tableName, f.status])).toEqual([
      ['dev-cache', 'EXEMPT'],
      ['orders', 'NON_COMPLIANT'],
    ]);
    expect(report.findings[1]?.reason).toMatch(/3 days old .*; the limit is 24 hours\./);
  });

  it('refuses to run with a malformed policy setting, before any AWS call', async () => {
    setEnv('eu-west-1');
    process.env.MAX_BACKUP_AGE_HOURS = 'a week';

    await expect(handler({ region: 'eu-west-1' }, context)).rejects.toThrow(
      /MAX_BACKUP_AGE_HOURS must be a whole number/,
    );
    expect(awsCalls()).toBe(0);
  });

  it('watches the remaining invocation time: near the timeout it publishes and returns what it has', async () => {
    setEnv('eu-west-1');
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders', 'payments'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
    const nearTimeout = { ...context, getRemainingTimeInMillis: () => 5_000 } as Context;

    const report = await handler({ region: 'eu-west-1' }, nearTimeout);

    expect(report).toMatchObject({ summary: { tables: 2, errors: 2 } });
    const findings = (report as { findings: { reason: string }[] }).findings;
    expect(findings.every((f) => /time budget exhausted/.test(f.reason))).toBe(true);
    expect(ddb).not.toHaveReceivedCommand(ListBackupsCommand);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it.each([
    [{ region: 'eu-west-one' }, /not a well-formed AWS region name/],
    [{ region: 42 }, /must be a string/],
    [{ region: '' }, /not a well-formed/],
    ['{"region":"eu-west-1"}', /must be a JSON object/],
    [null, /must be a JSON object/],
    [[{ region: 'eu-west-1' }], /must be a JSON object/],
  ])('rejects the malformed event %p before any AWS call', async (event, message) => {
    await expect(handler(event, context)).rejects.toThrow(message);
    expect(awsCalls()).toBe(0);
  });

  it('refuses a well-formed region this stack does not audit, before any AWS call', async () => {
    setEnv('eu-west-1');
    await expect(handler({ region: 'ap-northeast-3' }, context)).rejects.toThrow(/not audited by this stack/);
    expect(awsCalls()).toBe(0);
  });

  it('writes the region’s report to the bucket named by REPORT_BUCKET, in this account only', async () => {
    setEnv('eu-west-1');
    ddb.on(ListTablesCommand).resolves({ TableNames: ['orders'] });
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });

    await handler({ region: 'eu-west-1' }, context);

    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
    for (const directory of ['findings', 'reports']) {
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: 'auditor-reports',
        Key: expect.stringMatching(
          new RegExp(`^${directory}/date=\\d{4}-\\d{2}-\\d{2}/123456789012-eu-west-1-`),
        ),
        ExpectedBucketOwner: '123456789012',
      });
    }
  });

  it.each([
    ['REPORT_BUCKET', undefined, 'Environment variable REPORT_BUCKET is required'],
    ['SECURITY_HUB_FINDINGS', 'yes', 'SECURITY_HUB_FINDINGS must be "true" or "false"'],
  ])('refuses a region audit when %s is %p, before any AWS call', async (name, value, message) => {
    setEnv('eu-west-1');
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;

    await expect(handler({ region: 'eu-west-1' }, context)).rejects.toThrow(message);
    expect(awsCalls()).toBe(0);
  });

  it('fails fast with a clear message when its configuration is missing', async () => {
    delete process.env.TOPIC_ARN;
    await expect(handler({ region: 'us-east-1' }, context)).rejects.toThrow(
      'Environment variable TOPIC_ARN is required',
    );
    expect(awsCalls()).toBe(0);
  });
});
