import {
  CreateBackupCommand,
  CreateBackupCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

// The handler's configuration, as the stack sets it, before the handler module is loaded.
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:findings';
Object.assign(process.env, { TOPIC_ARN: TOPIC, AUDIT_REGIONS: '', AWS_REGION: 'us-east-1' });

const ddb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);
const ACCOUNT = '123456789012';
const context = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:remediate`,
  functionName: 'remediate',
  functionVersion: '$LATEST',
  awsRequestId: 'request-1',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;
const arnOf = (name: string, region = 'us-east-1', account = ACCOUNT) =>
  `arn:${region.startsWith('cn-') ? 'aws-cn' : 'aws'}:dynamodb:${region}:${account}:table/${name}`;
const eventOf = (...tableArns: string[]) => ({ tables: tableArns.map((tableArn) => ({ tableArn })) });

type Handler = typeof import('../lambda/remediate/index').handler;
let handler: Handler;

beforeAll(async () => {
  ({ handler } = await import('../lambda/remediate/index'));
});

beforeEach(() => {
  ddb.reset();
  sns.reset();
  Object.assign(process.env, { TOPIC_ARN: TOPIC, AUDIT_REGIONS: '', AWS_REGION: 'us-east-1' });
  ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
  ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  ddb.on(CreateBackupCommand).callsFake((input: CreateBackupCommandInput) => ({
    BackupDetails: {
      BackupArn: `${arnOf(input.TableName ?? '')}/backup/0001`,
      BackupName: input.BackupName,
    },
  }));
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
});

describe('remediation handler', () => {
  it('backs up the tables of the event and returns one result per table', async () => {
    const response = await handler(eventOf(arnOf('orders'), arnOf('payments')), context);

    expect(response.results).toHaveLength(2);
    for (const name of ['orders', 'payments']) {
      expect(response.results).toContainEqual({
        tableArn: arnOf(name),
        status: 'CREATED',
        backupName: expect.stringMatching(new RegExp(`^${name}-autobackup-\\d{8}T\\d{6}Z$`)),
        backupArn: `${arnOf(name)}/backup/0001`,
      });
      expect(ddb).toHaveReceivedCommandWith(CreateBackupCommand, { TableName: name });
    }
  });

  it('publishes one summary to the TOPIC_ARN topic', async () => {
    await handler(eventOf(arnOf('orders')), context);

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: {
        status: { DataType: 'String', StringValue: 'REMEDIATED' },
        region: { DataType: 'String', StringValue: 'us-east-1' },
      },
    });
  });

  it("uses a DynamoDB client of the table's own region", async () => {
    process.env.AUDIT_REGIONS = 'eu-west-1';

    await handler(eventOf(arnOf('orders', 'eu-west-1')), context);

    const call = ddb.commandCalls(CreateBackupCommand)[0];
    expect(call).toBeDefined();
    expect(await (call?.thisValue as DynamoDBClient).config.region()).toBe('eu-west-1');
  });

  it('rejects tables of another account than the one in the invoked function ARN', async () => {
    const { results } = await handler(eventOf(arnOf('orders', 'us-east-1', '210987654321')), context);

    expect(results).toEqual([
      {
        tableArn: arnOf('orders', 'us-east-1', '210987654321'),
        status: 'REJECTED',
        reason: expect.any(String),
      },
    ]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['', ['us-east-1'], ['eu-west-1']],
    ['eu-west-1, ap-south-1', ['eu-west-1', 'ap-south-1'], ['us-east-1']],
    ['ALL', ['us-east-1', 'eu-west-1', 'ap-south-1'], ['cn-north-1']],
  ])(
    'with AUDIT_REGIONS "%s" backs up tables in %j and rejects those in %j',
    async (setting, ok, refused) => {
      process.env.AUDIT_REGIONS = setting;

      const { results } = await handler(
        eventOf(...[...ok, ...refused].map((r) => arnOf('orders', r))),
        context,
      );

      for (const region of ok)
        expect(results.find((r) => r.tableArn === arnOf('orders', region))?.status).toBe('CREATED');
      for (const region of refused)
        expect(results.find((r) => r.tableArn === arnOf('orders', region))?.status).toBe('REJECTED');
      expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, ok.length);
    },
  );

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['{}', {}],
    ['{"tables":"x"}', { tables: 'x' }],
    ['[]', []],
  ])('throws for the event %s before any AWS call', async (_what, event) => {
    await expect(handler(event, context)).rejects.toThrow(/tables/);

    expect(ddb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('returns no results and publishes nothing for {"tables":[]}', async () => {
    const response = await handler({ tables: [] }, context);

    expect(response).toEqual({ results: [] });
    expect(ddb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('fails fast without TOPIC_ARN, before any AWS call', async () => {
    delete process.env.TOPIC_ARN;

    await expect(handler(eventOf(arnOf('orders')), context)).rejects.toThrow(/TOPIC_ARN/);

    expect(ddb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('fails fast on a malformed AUDIT_REGIONS, before any AWS call', async () => {
    process.env.AUDIT_REGIONS = 'eu-west-1,not a region';

    await expect(handler(eventOf(arnOf('orders')), context)).rejects.toThrow(/not a region/);

    expect(ddb.calls()).toHaveLength(0);
  });

  it('fails fast when the account id cannot be read from the context', async () => {
    const broken = { ...context, invokedFunctionArn: 'remediate' } as Context;

    await expect(handler(eventOf(arnOf('orders')), broken)).rejects.toThrow(/account id/);

    expect(ddb.calls()).toHaveLength(0);
  });
});
