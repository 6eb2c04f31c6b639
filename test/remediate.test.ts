import {
  BackupInUseException,
  BackupSummary,
  ContinuousBackupsUnavailableException,
  CreateBackupCommand,
  CreateBackupCommandInput,
  CreateBackupCommandOutput,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  LimitExceededException,
  ListBackupsCommand,
  ResourceNotFoundException,
  TableInUseException,
  TableNotFoundException,
  TableStatus,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidRemediationEventError, MAX_TABLES_PER_EVENT } from '../lambda/remediate/event';
import { runRemediation } from '../lambda/remediate/run';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { AuditRegions } from '../lambda/shared/regions';
import { RemediationResult } from '../lambda/shared/types';

const ddb = mockClient(DynamoDBClient);
const sns = mockClient(SNSClient);

const ACCOUNT = '123456789012';
const HOME = 'us-east-1';
const TOPIC = `arn:aws:sns:${HOME}:${ACCOUNT}:findings`;
const NOW = new Date('2026-11-28T06:07:08.901Z');
const STAMP = '20261128T060708Z';
const VALID_BACKUP_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const arnOf = (name: string, region = HOME, account = ACCOUNT, partition = 'aws') =>
  `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
const backupArnOf = (tableName: string, region = HOME) =>
  `${arnOf(tableName, region)}/backup/01764309-abcdef`;
const eventOf = (...tableArns: string[]) => ({ tables: tableArns.map((tableArn) => ({ tableArn })) });
const limitExceeded = () =>
  new LimitExceededException({ message: 'Too many on-demand backups in progress', $metadata: {} });

const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

interface RunOptions {
  auditRegions?: AuditRegions;
  now?: Date;
}

/** The remediation core with mocked clients, no pacing and a fixed clock. */
function remediate(event: unknown, options: RunOptions = {}) {
  return runRemediation(
    {
      dynamodbFor: (region) => new DynamoDBClient({ region }),
      sns: new SNSClient({ region: HOME }),
      topicArn: TOPIC,
      logger,
      rates: UNLIMITED_RATES,
      now: () => options.now ?? NOW,
    },
    { accountId: ACCOUNT, homeRegion: HOME, auditRegions: options.auditRegions ?? { kind: 'home' } },
    event,
  );
}

const resultOf = (results: RemediationResult[], tableArn: string) =>
  results.find((r) => r.tableArn === tableArn);

/** A USER backup summary as an account-wide ListBackups returns it. */
const summary = (
  tableName: string,
  backupName: string,
  status: BackupSummary['BackupStatus'] = 'AVAILABLE',
): BackupSummary => ({
  TableName: tableName,
  TableArn: arnOf(tableName),
  BackupName: backupName,
  BackupArn: `${arnOf(tableName)}/backup/${backupName.length}`,
  BackupStatus: status,
  BackupType: 'USER',
  BackupCreationDateTime: new Date(NOW.getTime() - 10 * 60 * 1000),
});

/** What CreateBackup answers for a backup it started. */
const createdBackup = (tableName: string, backupName: string): CreateBackupCommandOutput => ({
  BackupDetails: {
    BackupArn: backupArnOf(tableName),
    BackupName: backupName,
    BackupStatus: 'CREATING',
    BackupType: 'USER',
    BackupCreationDateTime: NOW,
  },
  $metadata: {},
});

beforeEach(() => {
  ddb.reset();
  sns.reset();
  logger.info.mockClear();
  logger.warn.mockClear();
  logger.error.mockClear();
  ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [] });
  ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  ddb
    .on(CreateBackupCommand)
    .callsFake((input: CreateBackupCommandInput) =>
      createdBackup(input.TableName ?? '', input.BackupName ?? ''),
    );
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
});

describe('remediation: creating backups', () => {
  it('creates one backup per table named <table>-autobackup-<UTC time of the injected clock>', async () => {
    const { results } = await remediate(eventOf(arnOf('orders'), arnOf('payments')));

    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(CreateBackupCommand, {
      TableName: 'orders',
      BackupName: `orders-autobackup-${STAMP}`,
    });
    expect(ddb).toHaveReceivedCommandWith(CreateBackupCommand, {
      TableName: 'payments',
      BackupName: `payments-autobackup-${STAMP}`,
    });
    expect(results).toEqual(
      expect.arrayContaining([
        {
          tableArn: arnOf('orders'),
          status: 'CREATED',
          backupName: `orders-autobackup-${STAMP}`,
          backupArn: backupArnOf('orders'),
        },
        {
          tableArn: arnOf('payments'),
          status: 'CREATED',
          backupName: `payments-autobackup-${STAMP}`,
          backupArn: backupArnOf('payments'),
        },
      ]),
    );
    expect(results).toHaveLength(2);
  });

  it('takes the time in the backup name from the injected clock', async () => {
    await remediate(eventOf(arnOf('orders')), { now: new Date('2027-01-05T04:05:06Z') });

    expect(ddb).toHaveReceivedCommandWith(CreateBackupCommand, {
      TableName: 'orders',
      BackupName: 'orders-autobackup-20270105T040506Z',
    });
  });

  it('cuts the table part of a 255-character table name so the backup name is exactly 255 valid characters', async () => {
    const table = 'Orders_2026.v1-'.repeat(17);
    expect(table).toHaveLength(255);

    const { results } = await remediate(eventOf(arnOf(table)));

    const name = ddb.commandCalls(CreateBackupCommand)[0]?.args[0].input.BackupName ?? '';
    expect(name).toHaveLength(255);
    expect(name).toMatch(VALID_BACKUP_NAME);
    expect(name.endsWith(`-autobackup-${STAMP}`)).toBe(true);
    expect(table.startsWith(name.slice(0, name.length - `-autobackup-${STAMP}`.length))).toBe(true);
    expect(results).toEqual([expect.objectContaining({ status: 'CREATED', backupName: name })]);
  });

  it('returns results in the shape of docs/design.md { tableArn, status, backupName?, backupArn?, reason? }', async () => {
    ddb
      .on(DescribeTableCommand, { TableName: 'gone' })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    ddb.on(CreateBackupCommand, { TableName: 'broken' }).rejects(new Error('socket hang up'));

    const response = await remediate(
      eventOf(arnOf('orders'), arnOf('gone'), arnOf('broken'), arnOf('orders', HOME, '210987654321')),
    );

    expect(Object.keys(response)).toEqual(['results']);
    const allowed = ['tableArn', 'status', 'backupName', 'backupArn', 'reason'];
    for (const result of response.results) {
      expect(allowed).toEqual(expect.arrayContaining(Object.keys(result)));
      expect(typeof result.tableArn).toBe('string');
      expect(['CREATED', 'SKIPPED', 'FAILED', 'REJECTED']).toContain(result.status);
      if (result.status !== 'CREATED') expect(result.reason).toEqual(expect.any(String));
    }
    expect(response.results.map((r) => r.status).sort()).toEqual([
      'CREATED',
      'FAILED',
      'REJECTED',
      'SKIPPED',
    ]);
  });

  it('returns no results, and makes no AWS call, for an event with an empty tables array', async () => {
    const response = await remediate({ tables: [] });

    expect(response).toEqual({ results: [] });
    expect(ddb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('never sends a Delete command, whatever happens to the tables', async () => {
    ddb.on(DescribeTableCommand, { TableName: 'creating' }).resolves({ Table: { TableStatus: 'CREATING' } });
    ddb.on(CreateBackupCommand, { TableName: 'limited' }).rejects(limitExceeded());
    ddb.on(CreateBackupCommand, { TableName: 'broken' }).rejects(new Error('boom'));
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [summary('recent', `recent-autobackup-${STAMP}`)],
    });

    await remediate(
      eventOf(arnOf('orders'), arnOf('creating'), arnOf('limited'), arnOf('broken'), arnOf('recent')),
    );

    expect(ddb).not.toHaveReceivedCommand(DeleteBackupCommand);
    expect(ddb).not.toHaveReceivedCommand(DeleteTableCommand);
    const sent = new Set(ddb.calls().map((call) => (call.args[0] as object).constructor.name));
    expect([...sent].filter((name) => name.startsWith('Delete'))).toEqual([]);
    expect([...sent].sort()).toEqual(['CreateBackupCommand', 'DescribeTableCommand', 'ListBackupsCommand']);
  });
});

describe('remediation: tables that cannot be backed up now', () => {
  it.each<TableStatus>([
    'CREATING',
    'UPDATING',
    'DELETING',
    'ARCHIVING',
    'ARCHIVED',
    'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
  ])('skips a table that is %s instead of ACTIVE, without trying to back it up', async (status) => {
    ddb.on(DescribeTableCommand, { TableName: 'orders' }).resolves({ Table: { TableStatus: status } });

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results).toEqual([
      { tableArn: arnOf('orders'), status: 'SKIPPED', reason: expect.stringContaining(status) },
    ]);
    expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
  });

  it('skips a table that no longer exists (DescribeTable: ResourceNotFoundException)', async () => {
    ddb
      .on(DescribeTableCommand, { TableName: 'orders' })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results).toEqual([
      { tableArn: arnOf('orders'), status: 'SKIPPED', reason: expect.stringMatching(/no longer exists/) },
    ]);
    expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
  });

  it.each([
    ['TableNotFoundException', () => new TableNotFoundException({ message: 'gone', $metadata: {} })],
    ['TableInUseException', () => new TableInUseException({ message: 'being deleted', $metadata: {} })],
    ['BackupInUseException', () => new BackupInUseException({ message: 'backup running', $metadata: {} })],
  ])('skips a table when CreateBackup answers %s', async (_name, error) => {
    ddb.on(CreateBackupCommand, { TableName: 'orders' }).rejects(error());

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results).toEqual([{ tableArn: arnOf('orders'), status: 'SKIPPED', reason: expect.any(String) }]);
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
  });

  it('fails a table with the reason when DescribeTable fails otherwise, and goes on with the others', async () => {
    ddb.on(DescribeTableCommand, { TableName: 'orders' }).rejects(new Error('User is not authorized'));

    const { results } = await remediate(eventOf(arnOf('orders'), arnOf('payments')));

    expect(resultOf(results, arnOf('orders'))).toEqual({
      tableArn: arnOf('orders'),
      status: 'FAILED',
      reason: expect.stringContaining('User is not authorized'),
    });
    expect(resultOf(results, arnOf('payments'))?.status).toBe('CREATED');
  });

  it.each([
    [
      'ContinuousBackupsUnavailableException',
      () =>
        new ContinuousBackupsUnavailableException({ message: 'backups are being enabled', $metadata: {} }),
    ],
    ['an unexpected error', () => new Error('socket hang up')],
  ])('fails a table with the reason when CreateBackup answers %s', async (_what, error) => {
    const thrown = error();
    ddb.on(CreateBackupCommand, { TableName: 'orders' }).rejects(thrown);

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results).toEqual([
      { tableArn: arnOf('orders'), status: 'FAILED', reason: expect.stringContaining(thrown.message) },
    ]);
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
  });
});

describe('remediation: idempotency', () => {
  it('asks one account-wide ListBackups for USER backups of the last hour', async () => {
    await remediate(eventOf(arnOf('orders'), arnOf('payments')));

    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(ListBackupsCommand, {
      BackupType: 'USER',
      TimeRangeLowerBound: new Date('2026-11-28T05:07:08.901Z'),
    });
    expect(ddb.commandCalls(ListBackupsCommand)[0]?.args[0].input.TableName).toBeUndefined();
  });

  it.each<BackupSummary['BackupStatus']>(['CREATING', 'AVAILABLE'])(
    'skips a table this tool already backed up within the last hour (backup %s)',
    async (status) => {
      const previous = summary('orders', 'orders-autobackup-20261128T053000Z', status);
      ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [previous] });

      const { results } = await remediate(eventOf(arnOf('orders')));

      expect(results).toEqual([
        {
          tableArn: arnOf('orders'),
          status: 'SKIPPED',
          reason: expect.stringContaining(previous.BackupName ?? '?'),
          backupName: previous.BackupName,
          backupArn: previous.BackupArn,
        },
      ]);
      expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
      expect(ddb).not.toHaveReceivedCommand(DescribeTableCommand);
    },
  );

  it('recognises its own cut backup name of a 255-character table', async () => {
    const table = 'Orders_2026.v1-'.repeat(17);
    const first = await remediate(eventOf(arnOf(table)), { now: new Date('2026-11-28T05:30:00Z') });
    const name = first.results[0]?.backupName ?? '';
    ddb.on(ListBackupsCommand).resolves({ BackupSummaries: [summary(table, name, 'CREATING')] });

    const { results } = await remediate(eventOf(arnOf(table)));

    expect(results).toEqual([expect.objectContaining({ status: 'SKIPPED', backupName: name })]);
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
  });

  it('finds a recent auto-backup on a later page of ListBackups', async () => {
    ddb
      .on(ListBackupsCommand)
      .resolvesOnce({ BackupSummaries: [summary('other', 'nightly')], LastEvaluatedBackupArn: 'page-1-last' })
      .resolves({ BackupSummaries: [summary('orders', 'orders-autobackup-20261128T053000Z')] });

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(ddb).toHaveReceivedCommandWith(ListBackupsCommand, { ExclusiveStartBackupArn: 'page-1-last' });
    expect(results[0]?.status).toBe('SKIPPED');
    expect(ddb).not.toHaveReceivedCommand(CreateBackupCommand);
  });

  it("still backs up a table whose recent backup is someone else's (not an -autobackup- name)", async () => {
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [
        summary('orders', 'orders-before-migration'),
        summary('orders', 'manual-20261128T053000Z'),
      ],
    });

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results[0]?.status).toBe('CREATED');
    expect(ddb).toHaveReceivedCommandWith(CreateBackupCommand, { TableName: 'orders' });
  });

  it('still backs up a table whose recent auto-backup was DELETED', async () => {
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [summary('orders', 'orders-autobackup-20261128T053000Z', 'DELETED')],
    });

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results[0]?.status).toBe('CREATED');
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
  });

  it("still backs up 'orders' when the recent auto-backup is of 'orders-archive'", async () => {
    ddb.on(ListBackupsCommand).resolves({
      BackupSummaries: [summary('orders-archive', 'orders-archive-autobackup-20261128T053000Z')],
    });

    const { results } = await remediate(eventOf(arnOf('orders'), arnOf('orders-archive')));

    expect(resultOf(results, arnOf('orders'))?.status).toBe('CREATED');
    expect(resultOf(results, arnOf('orders-archive'))?.status).toBe('SKIPPED');
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
  });

  it('creates each backup once when the same event is processed twice', async () => {
    const created: BackupSummary[] = [];
    ddb.on(ListBackupsCommand).callsFake(() => ({ BackupSummaries: [...created] }));
    ddb.on(CreateBackupCommand).callsFake((input: CreateBackupCommandInput) => {
      const tableName = input.TableName ?? '';
      created.push(summary(tableName, input.BackupName ?? '', 'CREATING'));
      return createdBackup(tableName, input.BackupName ?? '');
    });
    const event = eventOf(arnOf('orders'), arnOf('payments'));

    const first = await remediate(event);
    const retry = await remediate(event, { now: new Date(NOW.getTime() + 5 * 60 * 1000) });

    expect(first.results.map((r) => r.status)).toEqual(['CREATED', 'CREATED']);
    expect(retry.results.map((r) => r.status)).toEqual(['SKIPPED', 'SKIPPED']);
    expect(ddb.commandCalls(CreateBackupCommand, { TableName: 'orders' })).toHaveLength(1);
    expect(ddb.commandCalls(CreateBackupCommand, { TableName: 'payments' })).toHaveLength(1);
  });

  it('still creates the backups when the recent backups cannot be listed', async () => {
    ddb.on(ListBackupsCommand).rejects(new Error('User is not authorized to perform dynamodb:ListBackups'));

    const { results } = await remediate(eventOf(arnOf('orders')));

    expect(results).toEqual([expect.objectContaining({ tableArn: arnOf('orders'), status: 'CREATED' })]);
    expect(logger.warn).toHaveBeenCalled();
  });

  it("lists backups once per region, and one region's listing failure does not stop the other region", async () => {
    ddb.on(ListBackupsCommand).callsFake(async (_input, getClient) => {
      if ((await getClient().config.region()) === 'eu-west-1') throw new Error('Rate exceeded');
      return { BackupSummaries: [summary('payments', 'payments-autobackup-20261128T053000Z')] };
    });
    const auditRegions: AuditRegions = { kind: 'list', regions: [HOME, 'eu-west-1'] };

    const { results } = await remediate(
      eventOf(arnOf('orders', 'eu-west-1'), arnOf('payments'), arnOf('payments', 'eu-west-1')),
      { auditRegions },
    );

    expect(ddb).toHaveReceivedCommandTimes(ListBackupsCommand, 2);
    expect(resultOf(results, arnOf('orders', 'eu-west-1'))?.status).toBe('CREATED');
    expect(resultOf(results, arnOf('payments', 'eu-west-1'))?.status).toBe('CREATED');
    expect(resultOf(results, arnOf('payments'))?.status).toBe('SKIPPED');
  });
});

describe('remediation: the event', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
    ['a string', 'orders'],
    ['an array', [{ tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' }]],
    ['tables as a string', { tables: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' }],
    ['tables as an object', { tables: { tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' } }],
  ])('rejects an event that is %s before any AWS call', async (_what, event) => {
    await expect(remediate(event)).rejects.toThrow(InvalidRemediationEventError);

    expect(ddb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it(`rejects an event of more than ${MAX_TABLES_PER_EVENT} tables before any AWS call`, async () => {
    const arns = Array.from({ length: MAX_TABLES_PER_EVENT + 1 }, (_, i) => arnOf(`table-${i}`));

    await expect(remediate(eventOf(...arns))).rejects.toThrow(InvalidRemediationEventError);

    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['a malformed ARN', 'not-an-arn'],
    ['an ARN of another service', `arn:aws:s3:::orders`],
    ['an index ARN', `${arnOf('orders')}/index/by-customer`],
    ['a table of another account', arnOf('orders', HOME, '210987654321')],
    ['an account id that is not 12 digits', arnOf('orders', HOME, '1234')],
    ['a region that is not audited', arnOf('orders', 'eu-west-1')],
    ['a malformed region', arnOf('orders', 'EU_WEST_1')],
    ['the wrong partition for the region', arnOf('orders', HOME, ACCOUNT, 'aws-cn')],
    ['a table name with bad characters', arnOf('orders;rm')],
    ['a table name with a space', arnOf('my orders')],
    ['a table name shorter than 3 characters', arnOf('ab')],
    ['a table name longer than 255 characters', arnOf('t'.repeat(256))],
  ])('rejects %s without any DynamoDB call', async (_what, tableArn) => {
    const { results } = await remediate(eventOf(tableArn));

    expect(results).toEqual([{ tableArn, status: 'REJECTED', reason: expect.any(String) }]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    ['an entry without tableArn', {}],
    ['an entry with a numeric tableArn', { tableArn: 42 }],
    ['a null entry', null],
  ])('rejects %s and still processes the valid ones', async (_what, entry) => {
    const { results } = await remediate({ tables: [entry, { tableArn: arnOf('orders') }] });

    expect(results.map((r) => r.status).sort()).toEqual(['CREATED', 'REJECTED']);
    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
  });

  it('says which account a table of another account belongs to', async () => {
    const { results } = await remediate(eventOf(arnOf('orders', HOME, '210987654321')));

    expect(results[0]?.reason).toContain('210987654321');
  });

  it('accepts only the home region when AuditRegions is empty', async () => {
    const { results } = await remediate(eventOf(arnOf('orders'), arnOf('orders', 'eu-west-1')), {
      auditRegions: { kind: 'home' },
    });

    expect(resultOf(results, arnOf('orders'))?.status).toBe('CREATED');
    expect(resultOf(results, arnOf('orders', 'eu-west-1'))?.status).toBe('REJECTED');
  });

  it('accepts only the listed regions when AuditRegions is a list', async () => {
    const { results } = await remediate(
      eventOf(arnOf('orders'), arnOf('orders', 'eu-west-1'), arnOf('orders', 'ap-south-1')),
      { auditRegions: { kind: 'list', regions: ['eu-west-1', 'ap-south-1'] } },
    );

    expect(resultOf(results, arnOf('orders'))?.status).toBe('REJECTED');
    expect(resultOf(results, arnOf('orders', 'eu-west-1'))?.status).toBe('CREATED');
    expect(resultOf(results, arnOf('orders', 'ap-south-1'))?.status).toBe('CREATED');
  });

  it('accepts any region of the home partition, and only those, when AuditRegions is ALL', async () => {
    const china = arnOf('orders', 'cn-north-1', ACCOUNT, 'aws-cn');
    const govCloud = arnOf('orders', 'us-gov-west-1', ACCOUNT, 'aws-us-gov');

    const { results } = await remediate(
      eventOf(arnOf('orders', 'eu-west-1'), arnOf('orders', 'ap-southeast-2'), china, govCloud),
      { auditRegions: { kind: 'all' } },
    );

    expect(resultOf(results, arnOf('orders', 'eu-west-1'))?.status).toBe('CREATED');
    expect(resultOf(results, arnOf('orders', 'ap-southeast-2'))?.status).toBe('CREATED');
    expect(resultOf(results, china)?.status).toBe('REJECTED');
    expect(resultOf(results, govCloud)?.status).toBe('REJECTED');
  });

  it('backs a table listed twice up once and skips the second entry', async () => {
    const { results } = await remediate(eventOf(arnOf('orders'), arnOf('orders')));

    expect(ddb).toHaveReceivedCommandTimes(CreateBackupCommand, 1);
    expect(results).toHaveLength(2);
    expect(results.filter((r) => r.status === 'CREATED')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'SKIPPED')).toEqual([
      { tableArn: arnOf('orders'), status: 'SKIPPED', reason: expect.stringMatching(/twice/) },
    ]);
  });
});

describe('remediation: the summary notification', () => {
  it('publishes one JSON-structured summary with status and region attributes', async () => {
    await remediate(eventOf(arnOf('orders'), arnOf('payments')));

    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: {
        status: { DataType: 'String', StringValue: 'REMEDIATED' },
        region: { DataType: 'String', StringValue: HOME },
      },
    });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const message = JSON.parse(input?.Message ?? '{}');
    expect(message).toEqual({ default: expect.any(String), email: expect.any(String) });
    expect(message.email).toContain(`orders-autobackup-${STAMP}`);
    expect(message.email).toContain(`payments-autobackup-${STAMP}`);
    expect((input?.Subject ?? '').length).toBeLessThan(100);
  });

  it('flags a run with failed or rejected tables in the status attribute', async () => {
    ddb.on(CreateBackupCommand, { TableName: 'orders' }).rejects(new Error('boom'));

    await remediate(eventOf(arnOf('orders'), arnOf('payments', HOME, '210987654321')));

    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      MessageAttributes: expect.objectContaining({
        status: { DataType: 'String', StringValue: 'REMEDIATION_FAILED' },
      }),
    });
  });

  it('publishes a one-line subject without control characters even when a rejected ARN carries some', async () => {
    const hostile = `arn:aws:dynamodb:us-east-1\u0085\u0007\nBcc: x:${ACCOUNT}:table/orders`;

    const { results } = await remediate(eventOf(hostile));

    expect(results[0]?.status).toBe('REJECTED');
    const subject = sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject ?? '';
    expect(subject.length).toBeLessThan(100);
    // eslint-disable-next-line no-control-regex
    expect(subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('publishes a summary of a run whose tables were all rejected', async () => {
    await remediate(eventOf(arnOf('orders', HOME, '210987654321')));

    expect(ddb.calls()).toHaveLength(0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });
});
