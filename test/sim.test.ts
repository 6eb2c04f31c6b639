import {
  BackupClient,
  ListBackupPlansCommand,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
  paginateListRecoveryPointsByBackupVault,
  ResourceNotFoundException as BackupResourceNotFoundException,
} from '@aws-sdk/client-backup';
import {
  BackupInUseException,
  CreateBackupCommand,
  type CreateBackupCommandInput,
  type CreateBackupCommandOutput,
  DescribeTableCommand,
  DynamoDBClient,
  ListBackupsCommand,
  type ListBackupsCommandInput,
  ListTablesCommand,
  paginateListTables,
  ResourceNotFoundException,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  TableInUseException,
  TableNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException as LambdaResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { InvalidParameterException, NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { DeserializeMiddleware, FinalizeRequestMiddleware } from '@smithy/types';
import {
  buildDemoAccount,
  FAULT_ERRORS,
  buildScenario,
  regionOf,
  SCENARIO_TOPIC_NAME,
  SIM_CREDENTIALS,
  SIM_MIDDLEWARE_NAME,
  SimulatedAccount,
  simulatedAccountPlugin,
  type SimulatedCall,
} from '../sim';

const REGION = 'us-east-1';
const DAY = 24 * 60 * 60 * 1000;

/** Retries quickly (5 ms between attempts) so throttling tests stay fast; the SDK's retry logic runs. */
const fastRetries = (maxAttempts: number) => new ConfiguredRetryStrategy(maxAttempts, () => 5);

function ddb(sim: SimulatedAccount, region = REGION, maxAttempts = 1): DynamoDBClient {
  return sim.client(DynamoDBClient, { region, retryStrategy: fastRetries(maxAttempts) });
}

async function allBackups(client: DynamoDBClient, input: ListBackupsCommandInput = {}) {
  const pages = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListBackupsCommand({ ...input, ExclusiveStartBackupArn: token }));
    pages.push(page);
    token = page.LastEvaluatedBackupArn;
  } while (token);
  return { pages, summaries: pages.flatMap((p) => p.BackupSummaries ?? []) };
}

describe('attaching the simulated account to SDK clients', () => {
  it('gives the clients it creates the simulated credentials, unless the caller passes some', async () => {
    const sim = new SimulatedAccount();
    const keys: (string | undefined)[] = [];
    const spy = (call: SimulatedCall) => {
      keys.push(call.accessKeyId);
      return sim;
    };
    const own = { accessKeyId: 'AKIAOWNCREDENTIALS', secretAccessKey: 'secret' };
    const clients = [
      sim.client(DynamoDBClient, { region: REGION }),
      sim.client(DynamoDBClient, { region: REGION, credentials: own }),
    ];

    for (const client of clients) {
      client.middlewareStack.use(simulatedAccountPlugin(spy, regionOf(client)));
      await client.send(new ListTablesCommand({}));
    }

    expect(keys).toEqual([SIM_CREDENTIALS.accessKeyId, 'AKIAOWNCREDENTIALS']);
  });

  it('leaves the client config alone, so a client whose credentials cannot resolve fails as against AWS', async () => {
    const sim = new SimulatedAccount();
    const credentials = async () => {
      throw new Error('no credentials here');
    };
    const client = new DynamoDBClient({ region: REGION, credentials });
    const configBefore: Record<string, unknown> = { ...client.config };

    sim.attach(client);

    const changed = Object.entries(client.config).filter(([key, value]) => configBefore[key] !== value);
    expect(changed.map(([key]) => key)).toEqual([]);
    expect(Object.keys(client.config)).toEqual(Object.keys(configBefore));
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow('no credentials here');
    expect(sim.callCount()).toBe(0);
  });

  it('answers each signed attempt in place of the deserializer, with the access key id that signed it', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: 1 });
    sim.addTable(REGION, 'orders');
    const client = sim.client(DynamoDBClient, {
      region: REGION,
      credentials: { accessKeyId: 'AKIASIGNER', secretAccessKey: 'secret' },
      retryStrategy: fastRetries(3),
    });
    const seen: SimulatedCall[] = [];
    client.middlewareStack.use(
      simulatedAccountPlugin((call) => {
        seen.push(call);
        return sim;
      }, regionOf(client)),
    );
    const authorizations: string[] = [];
    const wire: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
      const { headers } = args.request as { headers: Record<string, string | undefined> };
      authorizations.push(headers.authorization ?? 'unsigned');
      return next(args);
    };
    client.middlewareStack.addRelativeTo(wire, {
      relation: 'before',
      toMiddleware: SIM_MIDDLEWARE_NAME,
      name: 'wire',
    });

    const out = await client.send(new ListTablesCommand({ Limit: 10 }));

    expect(out.TableNames).toEqual(['orders']);
    expect(out.$metadata.attempts).toBe(2);
    expect(seen.map((c) => [c.clientName, c.commandName, c.region, c.accessKeyId, c.input])).toEqual([
      ['DynamoDBClient', 'ListTablesCommand', REGION, 'AKIASIGNER', { Limit: 10 }],
      ['DynamoDBClient', 'ListTablesCommand', REGION, 'AKIASIGNER', { Limit: 10 }],
    ]);
    expect(authorizations).toEqual([
      expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIASIGNER\/\d{8}\/us-east-1\/dynamodb\//),
      expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIASIGNER\/\d{8}\/us-east-1\/dynamodb\//),
    ]);
  });

  it('runs a command middleware placed after retryMiddleware on every attempt, before the account answers', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: 2 });
    sim.addTable(REGION, 'orders');
    const client = ddb(sim, REGION, 3);
    const attempts: { callsBefore: number; outcome: string }[] = [];
    const application: FinalizeRequestMiddleware<CreateBackupCommandInput, CreateBackupCommandOutput> =
      (next) => async (args) => {
        const callsBefore = sim.callCount('CreateBackup');
        try {
          const out = await next(args);
          attempts.push({ callsBefore, outcome: `answered ${args.input.BackupName}` });
          return out;
        } catch (e) {
          attempts.push({ callsBefore, outcome: e instanceof Error ? e.name : String(e) });
          throw e;
        }
      };
    const command = new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-now' });
    command.middlewareStack.addRelativeTo(application, {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: 'applicationMiddleware',
    });

    const out = await client.send(command);

    expect(attempts).toEqual([
      { callsBefore: 0, outcome: 'ThrottlingException' },
      { callsBefore: 1, outcome: 'ThrottlingException' },
      { callsBefore: 2, outcome: 'answered orders-now' },
    ]);
    expect(out.$metadata.attempts).toBe(3);
    expect(sim.calls[REGION]?.CreateBackup).toEqual({ ok: 1, throttled: 2, failed: 0 });
  });

  it('routes calls to the account the router picks by access key id', async () => {
    const production = new SimulatedAccount({ accountId: '111111111111' });
    const staging = new SimulatedAccount({ accountId: '222222222222' });
    production.addTable(REGION, 'orders');
    staging.addTable(REGION, 'orders-staging');
    const byKey = new Map([
      ['AKIAPRODUCTION', production],
      ['AKIASTAGING', staging],
    ]);
    const clientFor = (accessKeyId: string) => {
      const client = new DynamoDBClient({
        region: REGION,
        credentials: { accessKeyId, secretAccessKey: 's' },
      });
      client.middlewareStack.use(
        simulatedAccountPlugin((call) => byKey.get(call.accessKeyId ?? '') ?? production, regionOf(client)),
      );
      return client;
    };

    const prod = await clientFor('AKIAPRODUCTION').send(new ListTablesCommand({}));
    const stage = await clientFor('AKIASTAGING').send(new ListTablesCommand({}));

    expect(prod.TableNames).toEqual(['orders']);
    expect(stage.TableNames).toEqual(['orders-staging']);
    expect([production.callCount(), staging.callCount()]).toEqual([1, 1]);
  });

  it('replaces the previous attachment when a client is attached again', async () => {
    const first = new SimulatedAccount();
    const second = new SimulatedAccount();
    second.addTable(REGION, 'orders');
    const client = first.client(DynamoDBClient, { region: REGION });

    second.attach(client);
    const out = await client.send(new ListTablesCommand({}));

    expect(out.TableNames).toEqual(['orders']);
    expect([first.callCount(), second.callCount()]).toEqual([0, 1]);
  });

  it('returns outputs shaped like the real API, with Date objects', async () => {
    const sim = new SimulatedAccount();
    const created = new Date('2026-03-01T10:00:00Z');
    const arn = sim.addTable(REGION, 'orders', { createdAt: created });
    sim.addNativeBackup(REGION, 'orders', {
      status: 'AVAILABLE',
      createdAt: new Date('2026-04-01T00:00:00Z'),
    });
    const client = ddb(sim);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
    const { BackupSummaries } = await client.send(new ListBackupsCommand({}));

    expect(Table).toMatchObject({ TableName: 'orders', TableArn: arn, TableStatus: 'ACTIVE' });
    expect(Table?.TableId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Table?.CreationDateTime).toEqual(created);
    expect(arn).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/orders');
    const summary = BackupSummaries?.[0];
    expect(summary?.BackupCreationDateTime).toBeInstanceOf(Date);
    expect(summary).toMatchObject({
      TableName: 'orders',
      TableArn: arn,
      TableId: Table?.TableId,
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
    });
    expect(summary?.BackupArn).toMatch(
      /^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/backup\/\d{14}-[0-9a-f]{8}$/,
    );
  });

  it('fails loudly on a request member it does not model', async () => {
    const client = ddb(new SimulatedAccount());

    await expect(client.send(new ListBackupsCommand({ TimeRangeUpperBound: new Date() }))).rejects.toThrow(
      'SimulatedAccount does not model ListBackups.TimeRangeUpperBound: add it to sim/',
    );
    await expect(
      client.send(new ListBackupsCommand({ TimeRangeUpperBound: undefined })),
    ).resolves.toBeDefined();
  });

  it('fails loudly on an operation it does not model', async () => {
    const sim = new SimulatedAccount();
    const client = sim.client(BackupClient, { region: REGION });

    await expect(client.send(new ListBackupPlansCommand({}))).rejects.toThrow(
      /does not model BackupClient\.ListBackupPlans/,
    );
  });

  it('answers with the region of the client', async () => {
    const sim = new SimulatedAccount();
    sim.addTable('eu-west-1', 'users');

    const eu = await ddb(sim, 'eu-west-1').send(new ListTablesCommand({}));
    const us = await ddb(sim, 'us-east-1').send(new ListTablesCommand({}));

    expect(eu.TableNames).toEqual(['users']);
    expect(us.TableNames).toEqual([]);
    expect(sim.enabledRegions).toEqual(['eu-west-1']);
  });
});

describe('DynamoDB ListTables and DescribeTable', () => {
  it('pages 250 tables in three sorted pages whose tokens round-trip, with the SDK paginator too', async () => {
    const sim = new SimulatedAccount();
    const names = Array.from({ length: 250 }, (_, i) => `table-${String(i).padStart(3, '0')}`);
    for (const name of [...names].reverse()) sim.addTable(REGION, name);
    const client = ddb(sim);

    const first = await client.send(new ListTablesCommand({}));
    const second = await client.send(
      new ListTablesCommand({ ExclusiveStartTableName: first.LastEvaluatedTableName }),
    );
    const third = await client.send(
      new ListTablesCommand({ ExclusiveStartTableName: second.LastEvaluatedTableName }),
    );
    const viaPaginator: string[] = [];
    for await (const page of paginateListTables({ client }, {}))
      viaPaginator.push(...(page.TableNames ?? []));

    expect([first, second, third].map((p) => p.TableNames?.length)).toEqual([100, 100, 50]);
    expect(first.LastEvaluatedTableName).toBe('table-099');
    expect(third.LastEvaluatedTableName).toBeUndefined();
    expect([first, second, third].flatMap((p) => p.TableNames)).toEqual(names);
    expect(viaPaginator).toEqual(names);
  });

  it('returns pages no larger than maxPageSize, whatever Limit asks', async () => {
    const sim = new SimulatedAccount({ maxPageSize: { ListTables: 2 } });
    for (const name of ['aaa', 'bbb', 'ccc']) sim.addTable(REGION, name);
    const client = ddb(sim);

    const pages: string[][] = [];
    for await (const page of paginateListTables({ client }, { Limit: 100 }))
      pages.push(page.TableNames ?? []);

    expect(pages).toEqual([['aaa', 'bbb'], ['ccc']]);
  });

  it('returns a token with a full last page, then an empty page', async () => {
    const sim = new SimulatedAccount();
    for (const name of ['aaa', 'bbb']) sim.addTable(REGION, name);
    const client = ddb(sim);

    const first = await client.send(new ListTablesCommand({ Limit: 2 }));
    const next = await client.send(
      new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }),
    );

    expect(first).toMatchObject({ TableNames: ['aaa', 'bbb'], LastEvaluatedTableName: 'bbb' });
    expect(next.TableNames).toEqual([]);
    expect(next.LastEvaluatedTableName).toBeUndefined();
  });

  it.each([0, 101])('rejects Limit %d with a ValidationException', async (limit) => {
    const client = ddb(new SimulatedAccount());

    await expect(client.send(new ListTablesCommand({ Limit: limit }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });
  });

  it('reports a missing table as ResourceNotFoundException, by name or ARN', async () => {
    const sim = new SimulatedAccount();
    const arn = sim.addTable(REGION, 'orders');
    sim.deleteTable(REGION, 'orders');
    const client = ddb(sim);

    await expect(client.send(new DescribeTableCommand({ TableName: 'orders' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new DescribeTableCommand({ TableName: arn }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('DynamoDB ListBackups', () => {
  it('pages 250 backups of the whole region by ExclusiveStartBackupArn', async () => {
    const sim = new SimulatedAccount();
    for (const name of ['orders', 'payments']) sim.addTable(REGION, name);
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 250; i++) {
      sim.addNativeBackup(REGION, i % 2 ? 'orders' : 'payments', {
        status: 'AVAILABLE',
        createdAt: new Date(start + i * 60_000),
      });
    }

    const { pages, summaries } = await allBackups(ddb(sim));

    expect(pages.map((p) => p.BackupSummaries?.length)).toEqual([100, 100, 50]);
    expect(new Set(summaries.map((s) => s.BackupArn)).size).toBe(250);
    expect(summaries.map((s) => s.BackupCreationDateTime?.getTime())).toEqual(
      Array.from({ length: 250 }, (_, i) => start + i * 60_000),
    );
  });

  it('keeps listing the backups of deleted tables', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    sim.addTable(REGION, 'retired');
    sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', createdAt: new Date(Date.UTC(2026, 0, 1)) });
    sim.addNativeBackup(REGION, 'retired', {
      status: 'AVAILABLE',
      createdAt: new Date(Date.UTC(2026, 0, 2)),
    });
    sim.deleteTable(REGION, 'retired');
    const client = ddb(sim);

    const backups = await client.send(new ListBackupsCommand({}));
    const tables = await client.send(new ListTablesCommand({}));

    expect(backups.BackupSummaries?.map((s) => s.TableName)).toEqual(['orders', 'retired']);
    expect(tables.TableNames).toEqual(['orders']);
  });

  it('lists USER backups by default, SYSTEM ones on request, and never AWS Backup recovery points', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', type: 'USER', name: 'user-one' });
    sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', type: 'SYSTEM', name: 'system-one' });
    sim.addRecoveryPoint(REGION, 'orders', { status: 'COMPLETED' });
    const client = ddb(sim);
    const names = async (type?: 'USER' | 'SYSTEM' | 'ALL' | 'AWS_BACKUP') =>
      (await client.send(new ListBackupsCommand({ BackupType: type }))).BackupSummaries?.map(
        (s) => s.BackupName,
      );

    expect(await names()).toEqual(['user-one']);
    expect(await names('SYSTEM')).toEqual(['system-one']);
    expect((await names('ALL'))?.sort()).toEqual(['system-one', 'user-one']);
    expect(await names('AWS_BACKUP')).toEqual([]);
  });

  it('filters on creation time, the lower bound inclusive', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    const t = (day: number) => new Date(Date.UTC(2026, 5, day));
    for (const day of [1, 2, 3, 4]) {
      sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', createdAt: t(day), name: `day-${day}` });
    }

    const out = await ddb(sim).send(new ListBackupsCommand({ TimeRangeLowerBound: t(2) }));

    expect(out.BackupSummaries?.map((s) => s.BackupName)).toEqual(['day-2', 'day-3', 'day-4']);
  });

  it.each([0, 101])('rejects Limit %d with a ValidationException', async (limit) => {
    await expect(
      ddb(new SimulatedAccount()).send(new ListBackupsCommand({ Limit: limit })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});

describe('DynamoDB CreateBackup', () => {
  it.each([
    ['ab', /length greater than or equal to 3/],
    ['nightly backup', /regular expression pattern/],
    ['x'.repeat(256), /length less than or equal to 255/],
  ])('rejects the backup name %j', async (name, message) => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');

    await expect(
      ddb(sim).send(new CreateBackupCommand({ TableName: 'orders', BackupName: name })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(message) });
  });

  it('fails with TableNotFoundException once the table is deleted', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    sim.deleteTable(REGION, 'orders');

    await expect(
      ddb(sim).send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-now' })),
    ).rejects.toBeInstanceOf(TableNotFoundException);
  });

  it('fails with TableInUseException while the table is being created', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'staging', { status: 'CREATING' });

    await expect(
      ddb(sim).send(new CreateBackupCommand({ TableName: 'staging', BackupName: 'staging-now' })),
    ).rejects.toBeInstanceOf(TableInUseException);
  });

  it('returns CREATING, turns AVAILABLE after the configured delay, and refuses a second one meanwhile', async () => {
    const sim = new SimulatedAccount({ backupCompletesAfterMs: 1000, timeScale: 0.2 });
    sim.addTable(REGION, 'orders');
    const client = ddb(sim);

    const { BackupDetails } = await client.send(
      new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-remediation' }),
    );
    const second = client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-again' }));
    await expect(second).rejects.toBeInstanceOf(BackupInUseException);
    const during = await client.send(new ListBackupsCommand({}));
    const statusDuring = sim.expectedStatus(REGION, 'orders');
    await new Promise((resolve) => setTimeout(resolve, 220));
    const after = await client.send(new ListBackupsCommand({}));

    expect(BackupDetails).toMatchObject({
      BackupName: 'orders-remediation',
      BackupStatus: 'CREATING',
      BackupType: 'USER',
    });
    expect(BackupDetails?.BackupCreationDateTime).toBeInstanceOf(Date);
    expect(during.BackupSummaries?.map((b) => [b.BackupArn, b.BackupStatus])).toEqual([
      [BackupDetails?.BackupArn, 'CREATING'],
    ]);
    expect(statusDuring).toBe('NON_COMPLIANT');
    expect(after.BackupSummaries?.map((b) => [b.TableName, b.BackupStatus])).toEqual([
      ['orders', 'AVAILABLE'],
    ]);
    expect(sim.expectedStatus(REGION, 'orders')).toBe('COMPLIANT');
  });

  it('allows a second backup while one is CREATING when enforceBackupInUse is false', async () => {
    const sim = new SimulatedAccount({ enforceBackupInUse: false });
    sim.addTable(REGION, 'orders');
    sim.addNativeBackup(REGION, 'orders', { status: 'CREATING' });

    const out = await ddb(sim).send(
      new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-now' }),
    );

    expect(out.BackupDetails?.BackupStatus).toBe('CREATING');
    expect(sim.callCount('CreateBackup', REGION, 'ok')).toBe(1);
  });

  it('makes the backup AVAILABLE at once by default', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    const client = ddb(sim);

    await client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-now' }));
    const { BackupSummaries } = await client.send(new ListBackupsCommand({}));

    expect(BackupSummaries?.map((s) => [s.BackupName, s.BackupStatus])).toEqual([
      ['orders-now', 'AVAILABLE'],
    ]);
  });
});

describe('AWS Backup list operations', () => {
  it('lists vaults with their recovery point counts and filters by vault type', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'orders');
    sim.addRecoveryPoint(REGION, 'orders', { status: 'COMPLETED' });
    sim.addRecoveryPoint(REGION, 'orders', { status: 'EXPIRED' });
    sim.addBackupVault(REGION, 'air-gapped', { vaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT' });
    const client = sim.client(BackupClient, { region: REGION });

    const all = await client.send(new ListBackupVaultsCommand({}));
    const gapped = await client.send(
      new ListBackupVaultsCommand({ ByVaultType: 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT' }),
    );

    expect(
      all.BackupVaultList?.map((v) => [v.BackupVaultName, v.NumberOfRecoveryPoints, v.VaultType]),
    ).toEqual([
      ['Default', 2, 'BACKUP_VAULT'],
      ['air-gapped', 0, 'LOGICALLY_AIR_GAPPED_BACKUP_VAULT'],
    ]);
    expect(all.BackupVaultList?.[0]?.BackupVaultArn).toBe(
      'arn:aws:backup:us-east-1:123456789012:backup-vault:Default',
    );
    expect(gapped.BackupVaultList?.map((v) => v.BackupVaultName)).toEqual(['air-gapped']);
  });

  it('pages the recovery points of a vault, newest first, with NextToken', async () => {
    const sim = new SimulatedAccount();
    const arn = sim.addTable(REGION, 'orders');
    const usersArn = sim.addTable(REGION, 'users');
    for (let i = 0; i < 25; i++) {
      sim.addRecoveryPoint(REGION, i < 20 ? 'orders' : 'users', {
        status: 'COMPLETED',
        createdAt: new Date(Date.now() - i * DAY),
      });
    }
    const client = sim.client(BackupClient, { region: REGION });

    const first = await client.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: 'Default',
        MaxResults: 10,
        ByResourceType: 'DynamoDB',
      }),
    );
    const items = [];
    for await (const page of paginateListRecoveryPointsByBackupVault(
      { client, pageSize: 10 },
      { BackupVaultName: 'Default', ByResourceType: 'DynamoDB' },
    )) {
      items.push(...(page.RecoveryPoints ?? []));
    }

    expect(first.RecoveryPoints).toHaveLength(10);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(first.RecoveryPoints?.[0]).toMatchObject({
      ResourceArn: arn,
      ResourceType: 'DynamoDB',
      Status: 'COMPLETED',
      BackupVaultName: 'Default',
      CreationDate: expect.any(Date),
    });
    expect(items.map((rp) => rp.ResourceArn)).toEqual([
      ...Array.from({ length: 20 }, () => arn),
      ...Array.from({ length: 5 }, () => usersArn),
    ]);
    expect(new Set(items.map((rp) => rp.RecoveryPointArn)).size).toBe(25);
  });

  it('reports an unknown vault as ResourceNotFoundException', async () => {
    const client = new SimulatedAccount().client(BackupClient, { region: REGION });

    await expect(
      client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'Default' })),
    ).rejects.toBeInstanceOf(BackupResourceNotFoundException);
  });

  it('lists a table recovery points by resource, without ResourceArn in the items', async () => {
    const sim = new SimulatedAccount();
    const arn = sim.addTable(REGION, 'orders');
    sim.addRecoveryPoint(REGION, 'orders', { status: 'PARTIAL', vault: 'compliance' });
    const client = sim.client(BackupClient, { region: REGION });

    const { RecoveryPoints } = await client.send(
      new ListRecoveryPointsByResourceCommand({ ResourceArn: arn }),
    );

    expect(RecoveryPoints).toHaveLength(1);
    expect(RecoveryPoints?.[0]).toMatchObject({ Status: 'PARTIAL', BackupVaultName: 'compliance' });
    expect(RecoveryPoints?.[0]).not.toHaveProperty('ResourceArn');
  });

  it('rejects MaxResults above 1000', async () => {
    const sim = new SimulatedAccount();
    const arn = sim.addTable(REGION, 'orders');

    await expect(
      sim
        .client(BackupClient, { region: REGION })
        .send(new ListRecoveryPointsByResourceCommand({ ResourceArn: arn, MaxResults: 1001 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('keeps a cross-region copy in the destination region, with the source table ARN', async () => {
    const sim = new SimulatedAccount();
    const arn = sim.addTable(REGION, 'orders');
    sim.addRecoveryPoint(REGION, 'orders', { status: 'COMPLETED', vaultRegion: 'eu-west-1' });

    const home = await sim
      .client(BackupClient, { region: REGION })
      .send(new ListRecoveryPointsByResourceCommand({ ResourceArn: arn }));
    const copy = await sim
      .client(BackupClient, { region: 'eu-west-1' })
      .send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: 'Default' }));

    expect(home.RecoveryPoints).toEqual([]);
    expect(copy.RecoveryPoints?.map((rp) => rp.ResourceArn)).toEqual([arn]);
    expect(copy.RecoveryPoints?.[0]?.RecoveryPointArn).toMatch(/^arn:aws:backup:eu-west-1:/);
    expect(sim.expectedStatus(REGION, 'orders')).toBe('NON_COMPLIANT');
  });
});

describe('SNS Publish', () => {
  const topicArn = `arn:aws:sns:${REGION}:123456789012:alerts`;
  function snsWithTopic() {
    const sim = new SimulatedAccount();
    sim.addTopic(REGION, 'alerts');
    return { sim, sns: sim.client(SNSClient, { region: REGION }) };
  }

  it('accepts a 99-character subject and records the message', async () => {
    const { sim, sns } = snsWithTopic();

    const out = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 's'.repeat(99),
        Message: 'hello',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'digest' } },
      }),
    );

    expect(out.MessageId).toEqual(expect.any(String));
    expect(sim.published).toEqual([
      {
        topicArn,
        subject: 's'.repeat(99),
        message: 'hello',
        attributes: { kind: { DataType: 'String', StringValue: 'digest' } },
        region: REGION,
        messageId: out.MessageId,
      },
    ]);
  });

  it.each([
    ['100 characters', 's'.repeat(100)],
    ['a line break', 'two\nlines'],
    ['an empty subject', ''],
  ])('rejects a subject with %s', async (_label, subject) => {
    const { sim, sns } = snsWithTopic();

    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: 'hello' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Subject' });
    expect(sim.published).toEqual([]);
  });

  it('accepts 262,144 bytes and rejects 262,145, counting UTF-8 bytes', async () => {
    const { sns } = snsWithTopic();

    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'a'.repeat(262_144) })),
    ).resolves.toBeDefined();
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'a'.repeat(262_145) })),
    ).rejects.toMatchObject({ message: 'Invalid parameter: Message too long' });
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'é'.repeat(131_073) })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it.each([
    [
      '{"email":"only email"}',
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    ],
    [
      '{"default":{"nested":true}}',
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    ],
    ['not json', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
    ['["default"]', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
  ])('rejects the json message %s', async (message, error) => {
    const { sns } = snsWithTopic();

    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: message, MessageStructure: 'json' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: error });
  });

  it('accepts a json message with a string default', async () => {
    const { sim, sns } = snsWithTopic();
    const message = JSON.stringify({ default: '{"version":"1.0"}', email: 'plain text' });

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message, MessageStructure: 'json' }));

    expect(sim.published[0]).toMatchObject({ message, messageStructure: 'json' });
  });

  it('fails for a topic that does not exist or lives in another region', async () => {
    const { sns } = snsWithTopic();

    await expect(
      sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:123456789012:missing`, Message: 'x' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts', Message: 'x' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('Lambda Invoke', () => {
  it('queues an Event invocation, returns 202, and drain waits for it and what it triggers', async () => {
    const sim = new SimulatedAccount();
    const lambda = sim.client(LambdaClient, { region: REGION });
    const seen: unknown[] = [];
    sim.registerFunction('remediate', async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen.push(event);
      return { ok: true };
    });
    sim.registerFunction('audit', async (event, context) => {
      await lambda.send(
        new InvokeCommand({
          FunctionName: 'remediate',
          InvocationType: 'Event',
          Payload: JSON.stringify(event),
        }),
      );
      return context.functionName;
    });

    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:audit',
        InvocationType: 'Event',
        Payload: new TextEncoder().encode('{"region":"us-east-1"}'),
      }),
    );
    const runningRightAway = seen.length;
    await sim.drain({ timeoutMs: 2000 });

    expect(out.StatusCode).toBe(202);
    expect(runningRightAway).toBe(0);
    expect(seen).toEqual([{ region: 'us-east-1' }]);
    expect(sim.invocations.map((i) => [i.functionName, i.invocationType, i.status, i.result])).toEqual([
      ['audit', 'Event', 'succeeded', 'audit'],
      ['remediate', 'Event', 'succeeded', { ok: true }],
    ]);
  });

  it('returns a RequestResponse result as a JSON payload with status 200', async () => {
    const sim = new SimulatedAccount();
    sim.registerFunction('remediate', async (event) => ({ received: event }));

    const out = await sim
      .client(LambdaClient, { region: REGION })
      .send(new InvokeCommand({ FunctionName: 'remediate', Payload: '{"tables":[]}' }));

    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.Payload).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(out.Payload?.transformToString() ?? '')).toEqual({ received: { tables: [] } });
    expect(JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8'))).toEqual({
      received: { tables: [] },
    });
  });

  it('reports a handler error as FunctionError Unhandled, and records failed async runs', async () => {
    const sim = new SimulatedAccount();
    sim.registerFunction('broken', async () => {
      throw new TypeError('boom');
    });
    const lambda = sim.client(LambdaClient, { region: REGION });

    const sync = await lambda.send(new InvokeCommand({ FunctionName: 'broken' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'broken', InvocationType: 'Event' }));
    await sim.drain();

    expect(sync).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
    expect(JSON.parse(sync.Payload?.transformToString() ?? '')).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'boom',
    });
    expect(sim.invocations.map((i) => [i.invocationType, i.status, i.error?.message])).toEqual([
      ['RequestResponse', 'failed', 'boom'],
      ['Event', 'failed', 'boom'],
    ]);
  });

  it('runs a failing Event invocation again asyncRetryAttempts times, a RequestResponse one once', async () => {
    const sim = new SimulatedAccount({ asyncRetryAttempts: 2 });
    let runs = 0;
    sim.registerFunction('flaky', async () => {
      runs++;
      throw new Error(`run ${runs} failed`);
    });
    const lambda = sim.client(LambdaClient, { region: REGION });

    await lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event' }));
    await sim.drain();
    await lambda.send(new InvokeCommand({ FunctionName: 'flaky' }));

    expect(sim.invocations.map((i) => [i.invocationType, i.status, i.attempts, i.error?.message])).toEqual([
      ['Event', 'failed', 3, 'run 3 failed'],
      ['RequestResponse', 'failed', 1, 'run 4 failed'],
    ]);
  });

  it('fails with ResourceNotFoundException for an unknown function', async () => {
    const lambda = new SimulatedAccount().client(LambdaClient, { region: REGION });

    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nope' }))).rejects.toBeInstanceOf(
      LambdaResourceNotFoundException,
    );
  });
});

describe('STS GetCallerIdentity', () => {
  it('returns the account, an ARN and a user id', async () => {
    const sim = new SimulatedAccount({ accountId: '210987654321' });

    const out = await sim.client(STSClient, { region: REGION }).send(new GetCallerIdentityCommand({}));

    expect(out).toMatchObject({ Account: '210987654321', Arn: expect.stringContaining('210987654321') });
    expect(out.UserId).toEqual(expect.any(String));
  });
});

describe('throttling, rate limits and counters', () => {
  it('lets a default client with maxAttempts 5 retry through a throttle and succeed', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: 1 });
    const client = sim.client(DynamoDBClient, { region: REGION, maxAttempts: 5 });

    const out = await client.send(new ListTablesCommand({}));

    expect(out.$metadata.attempts).toBe(2);
    expect(sim.calls[REGION]?.ListTables).toEqual({ ok: 1, throttled: 1, failed: 0 });
  });

  it('retries through 4 throttles with maxAttempts 5, and gives up after 5', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: { ListBackups: 4, DescribeTable: 5 } });
    const client = ddb(sim, REGION, 5);

    const out = await client.send(new ListBackupsCommand({}));
    const failure = client.send(new DescribeTableCommand({ TableName: 'orders' }));

    expect(out.$metadata.attempts).toBe(5);
    await expect(failure).rejects.toBeInstanceOf(ThrottlingException);
    await expect(failure).rejects.toMatchObject({ $metadata: expect.objectContaining({ attempts: 5 }) });
    expect(sim.callCount('ListBackups', REGION, 'throttled')).toBe(4);
    expect(sim.callCount('DescribeTableCommand')).toBe(5);
  });

  it('throttles with an error each service client classifies as retryable throttling', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: 1 });
    sim.addTopic(REGION, 'alerts');
    sim.registerFunction('fn', async () => null);
    const opts = { region: REGION, retryStrategy: fastRetries(2) };

    const attempts = await Promise.all([
      sim.client(DynamoDBClient, opts).send(new ListTablesCommand({})),
      sim.client(BackupClient, opts).send(new ListBackupVaultsCommand({})),
      sim
        .client(SNSClient, opts)
        .send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:123456789012:alerts`, Message: 'x' })),
      sim.client(LambdaClient, opts).send(new InvokeCommand({ FunctionName: 'fn' })),
      sim.client(STSClient, opts).send(new GetCallerIdentityCommand({})),
    ]);

    expect(attempts.map((o) => o.$metadata.attempts)).toEqual([2, 2, 2, 2, 2]);
    await expect(
      sim
        .client(LambdaClient, { region: REGION, maxAttempts: 1 })
        .send(new InvokeCommand({ FunctionName: 'fn' })),
    ).resolves.toBeDefined();
  });

  it('counts the first calls per operation and per region', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: 2 });
    const us = ddb(sim, 'us-east-1', 3);
    const eu = ddb(sim, 'eu-west-1', 3);

    await us.send(new ListTablesCommand({}));
    await eu.send(new ListTablesCommand({}));
    await us.send(new ListTablesCommand({}));

    expect(sim.calls).toEqual({
      'us-east-1': { ListTables: { ok: 2, throttled: 2, failed: 0 } },
      'eu-west-1': { ListTables: { ok: 1, throttled: 2, failed: 0 } },
    });
    expect(sim.callCount()).toBe(7);
    sim.resetCounters();
    expect(sim.callCount()).toBe(0);
    await expect(ddb(sim).send(new ListTablesCommand({}))).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('throttles calls beyond the ListBackups rate of 5 per (scaled) second, then admits them again', async () => {
    const sim = new SimulatedAccount({ timeScale: 0.1 });
    const noRetry = ddb(sim, REGION, 1);

    const burst = await Promise.allSettled(
      Array.from({ length: 8 }, () => noRetry.send(new ListBackupsCommand({}))),
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    const later = await noRetry.send(new ListBackupsCommand({}));

    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = burst.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(3);
    expect(rejected[0]?.reason).toBeInstanceOf(ThrottlingException);
    expect(later.BackupSummaries).toEqual([]);
    expect(sim.calls[REGION]?.ListBackups).toEqual({ ok: 6, throttled: 3, failed: 0 });
  });

  it('lets a retrying client get through a rate-limited burst', async () => {
    const sim = new SimulatedAccount({ timeScale: 0.02 });
    const client = sim.client(DynamoDBClient, {
      region: REGION,
      retryStrategy: new ConfiguredRetryStrategy(10, () => 25),
    });

    const results = await Promise.all(
      Array.from({ length: 12 }, () => client.send(new ListBackupsCommand({}))),
    );

    expect(results).toHaveLength(12);
    expect(sim.callCount('ListBackups', REGION, 'ok')).toBe(12);
    expect(sim.callCount('ListBackups', REGION, 'throttled')).toBeGreaterThan(0);
  });

  it('counts validation failures as failed calls and applies the scaled latency', async () => {
    const sim = new SimulatedAccount({ latencyMs: 400, timeScale: 0.1 });
    const client = ddb(sim);

    const started = Date.now();
    await client.send(new ListTablesCommand({}));
    const elapsed = Date.now() - started;
    await expect(client.send(new ListBackupsCommand({ Limit: 500 }))).rejects.toBeDefined();

    expect(elapsed).toBeGreaterThanOrEqual(35);
    expect(sim.calls[REGION]).toEqual({
      ListTables: { ok: 1, throttled: 0, failed: 0 },
      ListBackups: { ok: 0, throttled: 0, failed: 1 },
    });
  });

  it('reports a Lambda throttle as TooManyRequestsException', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: 1 });
    sim.registerFunction('fn', async () => null);

    await expect(
      sim
        .client(LambdaClient, { region: REGION, maxAttempts: 1 })
        .send(new InvokeCommand({ FunctionName: 'fn' })),
    ).rejects.toBeInstanceOf(TooManyRequestsException);
  });
});

describe('scenarios', () => {
  it('builds the same account from the same seed, in the default mix', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const opts = { regions: ['us-east-1', 'eu-west-1'], tablesPerRegion: 100, seed: 7, now };

    const a = buildScenario(opts);
    const b = buildScenario(opts);
    const statuses = Object.values(a.expectedStatuses('us-east-1'));

    expect(a.expectedStatuses('us-east-1')).toEqual(b.expectedStatuses('us-east-1'));
    expect(a.expectedStatuses('eu-west-1')).toEqual(b.expectedStatuses('eu-west-1'));
    expect(a.tableNames('us-east-1')).toHaveLength(100);
    expect(statuses.filter((s) => s === 'COMPLIANT')).toHaveLength(85);
    expect(buildScenario({ ...opts, seed: 8 }).tableNames('us-east-1')).not.toEqual(
      a.tableNames('us-east-1'),
    );
    expect(a.enabledRegions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('agrees with what the APIs show: ListBackups(ALL) plus each region’s vaults', async () => {
    const sim = buildScenario({
      regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
      tablesPerRegion: 60,
      seed: 3,
    });
    sim.timeScale = 0.001;

    for (const region of sim.enabledRegions) {
      const dynamodb = ddb(sim, region, 5);
      const backup = sim.client(BackupClient, { region, retryStrategy: fastRetries(5) });
      const usable = new Set<string>();
      const { summaries } = await allBackups(dynamodb, { BackupType: 'ALL' });
      for (const s of summaries) if (s.BackupStatus === 'AVAILABLE' && s.TableArn) usable.add(s.TableArn);
      const vaults = await backup.send(new ListBackupVaultsCommand({}));
      for (const vault of vaults.BackupVaultList ?? []) {
        const points = await backup.send(
          new ListRecoveryPointsByBackupVaultCommand({
            BackupVaultName: vault.BackupVaultName,
            ByResourceType: 'DynamoDB',
          }),
        );
        for (const rp of points.RecoveryPoints ?? []) {
          if (['COMPLETED', 'AVAILABLE'].includes(rp.Status ?? '') && rp.ResourceArn)
            usable.add(rp.ResourceArn);
        }
      }

      for (const name of sim.tableNames(region)) {
        const seen = usable.has(sim.tableArn(region, name)) ? 'COMPLIANT' : 'NON_COMPLIANT';
        expect([region, name, seen]).toEqual([region, name, sim.expectedStatus(region, name)]);
      }
    }
  });

  it('covers every backup state in the demo account', async () => {
    const sim = buildDemoAccount();

    expect(sim.enabledRegions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    expect(sim.expectedStatuses('us-east-1')).toEqual({
      'audit-log': 'COMPLIANT',
      'customers-staging': 'NON_COMPLIANT',
      inventory: 'NON_COMPLIANT',
      orders: 'COMPLIANT',
      payments: 'COMPLIANT',
      'sessions-cache': 'NON_COMPLIANT',
    });
    expect(sim.expectedStatuses('eu-west-1')).toEqual({
      archive: 'COMPLIANT',
      'feature-flags': 'NON_COMPLIANT',
      invoices: 'NON_COMPLIANT',
      orders: 'COMPLIANT',
      'scratch-imports': 'EXEMPT',
      shipments: 'NON_COMPLIANT',
      users: 'COMPLIANT',
    });
    expect(sim.expectedStatuses('ap-southeast-2')).toEqual({
      clickstream: 'NON_COMPLIANT',
      notifications: 'COMPLIANT',
      orders: 'COMPLIANT',
      recommendations: 'NON_COMPLIANT',
    });
    const sns = sim.client(SNSClient, { region: 'eu-west-1' });
    await expect(
      sns.send(
        new PublishCommand({
          TopicArn: `arn:aws:sns:eu-west-1:123456789012:${SCENARIO_TOPIC_NAME}`,
          Message: 'x',
        }),
      ),
    ).resolves.toBeDefined();
  });
});

describe('simulated account: faults, cancellation, limits', () => {
  const REGION_F = 'eu-west-1';

  it('lists one table’s backups when ListBackups names the table', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION_F, 'orders');
    sim.addTable(REGION_F, 'payments');
    sim.addNativeBackup(REGION_F, 'orders', { status: 'AVAILABLE' });
    sim.addNativeBackup(REGION_F, 'payments', { status: 'AVAILABLE' });
    const client = sim.client(DynamoDBClient, { region: REGION_F });

    const page = await client.send(new ListBackupsCommand({ TableName: 'orders' }));

    expect(page.BackupSummaries?.map((b) => b.TableName)).toEqual(['orders']);
  });

  it('injects a refused call (no effect) and a lost answer (effect happened), retried by the SDK', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION_F, 'orders');
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.limitExceeded });
    sim.inject({ operation: 'CreateBackup', error: FAULT_ERRORS.internalServerError, when: 'lost' });
    const client = sim.client(DynamoDBClient, {
      region: REGION_F,
      retryStrategy: new ConfiguredRetryStrategy(2, () => 1),
    });

    await expect(
      client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'orders-1' })),
    ).rejects.toMatchObject({ name: 'InternalServerError' });

    // First attempt refused (nothing made), second made the backup and lost its answer.
    expect(sim.callCount('CreateBackup', REGION_F, 'failed')).toBe(2);
    expect(sim.regionState(REGION_F).backups.map((b) => b.name)).toEqual(['orders-1']);
  });

  it('cancels a slow call when its abort signal fires', async () => {
    const sim = new SimulatedAccount({ latencyMs: 10_000 });
    sim.addTable(REGION_F, 'orders');
    const client = sim.client(DynamoDBClient, { region: REGION_F });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();

    await expect(
      client.send(new ListTablesCommand({}), { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers a synchronous invocation whose response passes 6 MB with Function.ResponseSizeTooLarge', async () => {
    const sim = new SimulatedAccount();
    sim.registerFunction('big', async () => ({ data: 'x'.repeat(6 * 1024 * 1024) }));
    const lambda = sim.client(LambdaClient, { region: REGION_F });

    const output = await lambda.send(new InvokeCommand({ FunctionName: 'big', Payload: Buffer.from('{}') }));

    expect(output.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(output.Payload ?? []).toString()).errorType).toBe(
      'Function.ResponseSizeTooLarge',
    );
  });
});
