/**
 * The run function, through its handler: the plan step resolves accounts (a simulated organization,
 * empty pages included) and regions and writes the items to S3; the aggregate step reads what the
 * Map's ResultWriter wrote (succeeded, failed, missing items), writes the run's report and sends one
 * digest for several accounts, none for one. S3 is an in-memory bucket, SNS and Account are mocked.
 */
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidRunEventError } from '../lambda/run/event';
import { createRunHandler } from '../lambda/run/handler';
import { AggregateOutcome, NOT_RUN_REASON } from '../lambda/shared/run/aggregate';
import { AuditItemResult, RunItem } from '../lambda/shared/run/item-result';
import { RunPlan } from '../lambda/shared/run/plan';
import { RunSummary } from '../lambda/shared/run/run-summary';
import { SimulatedAccount, SimulatedOrganization } from '../sim';
import { MemoryS3 } from './support/memory-s3';

const s3Mock = mockClient(S3Client);
const snsMock = mockClient(SNSClient);
const accountMock = mockClient(AccountClient);
const bucketStore = new MemoryS3(s3Mock);

const HOME = '111111111111';
const BUCKET = 'auditor-reports';
const TOPIC = `arn:aws:sns:us-east-1:${HOME}:auditor`;
const STARTED = '2026-11-28T06:00:00.123Z';
const EXECUTION = '3f2a9c1e-7b1d-4c55-9a0e-5c1d2e3f4a5b';
const RUN_ID = '20261128T060000Z-3f2a9c1e-7b1d-4c55-9a0e-5c1d2e3f4a5b';

const context = {
  functionName: 'run-fn',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${HOME}:function:run-fn`,
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

function organization() {
  const org = new SimulatedOrganization({
    management: new SimulatedAccount({ accountId: HOME }),
    emptyPages: true,
    rateLimits: { ListAccounts: Infinity },
  });
  for (let i = 0; i < 41; i++) {
    org.addAccount(new SimulatedAccount({ accountId: String(200000000000 + i) }), {
      state: i === 7 ? 'SUSPENDED' : 'ACTIVE',
    });
  }
  return org;
}

function handlerFor(org = organization()) {
  return {
    org,
    handler: createRunHandler({
      s3: new S3Client({ region: 'us-east-1' }),
      sns: new SNSClient({ region: 'us-east-1' }),
      organizations: org.client(OrganizationsClient, { region: 'us-east-1' }),
      account: new AccountClient({ region: 'us-east-1' }),
      logger: new Logger({ serviceName: 'run', logLevel: 'SILENT' }),
      now: () => new Date('2026-11-28T06:40:00Z'),
    }),
  };
}

const planEvent = (maxConcurrency: unknown = 40) => ({
  step: 'plan',
  executionName: EXECUTION,
  startedAt: STARTED,
  maxConcurrency,
});

function setEnvironment(auditAccounts: string, auditRegions = 'us-east-1,eu-west-1') {
  Object.assign(process.env, {
    REPORT_BUCKET: BUCKET,
    TOPIC_ARN: TOPIC,
    AUDIT_ACCOUNTS: auditAccounts,
    AUDIT_REGIONS: auditRegions,
    AWS_REGION: 'us-east-1',
  });
}

beforeEach(() => {
  s3Mock.reset();
  snsMock.reset();
  accountMock.reset();
  bucketStore.objects.clear();
  bucketStore.install();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('the plan step', () => {
  it('writes every ACTIVE account × region of the organization to S3 and returns a small plan', async () => {
    setEnvironment('ORGANIZATION');
    const { org, handler } = handlerFor();

    const plan = (await handler(planEvent(), context)) as RunPlan;

    expect(plan).toEqual({
      runId: RUN_ID,
      bucket: BUCKET,
      itemsKey: `runs/${RUN_ID}/items.json`,
      resultsPrefix: `runs/${RUN_ID}/results`,
      accounts: 41,
      regions: 2,
      items: 82,
      perRegionDigests: false,
      maxConcurrency: 40,
    });
    const items = bucketStore.json(BUCKET, plan.itemsKey) as RunItem[];
    expect(items).toHaveLength(82);
    expect(items.slice(0, 2)).toEqual([
      { accountId: HOME, region: 'us-east-1' },
      { accountId: HOME, region: 'eu-west-1' },
    ]);
    expect(items.some((i) => i.accountId === '200000000007')).toBe(false); // SUSPENDED
    expect(org.callCount('ListAccounts')).toBe(6); // 3 pages of accounts, each after an empty page
    expect(Buffer.byteLength(JSON.stringify(plan))).toBeLessThan(1024);
  });

  it('with AuditAccounts empty, plans this account alone, whose regional audits send the digests', async () => {
    setEnvironment('', 'ALL');
    accountMock.on(ListRegionsCommand).resolves({
      Regions: [{ RegionName: 'eu-west-1' }, { RegionName: 'us-east-1' }, { RegionName: 'ap-south-1' }],
    });
    const { org, handler } = handlerFor();

    const plan = (await handler(planEvent(1000), context)) as RunPlan;

    expect(plan).toMatchObject({
      accounts: 1,
      regions: 3,
      items: 3,
      perRegionDigests: true,
      maxConcurrency: 1000,
    });
    expect(bucketStore.json(BUCKET, plan.itemsKey)).toEqual(
      ['ap-south-1', 'eu-west-1', 'us-east-1'].map((region) => ({ accountId: HOME, region })),
    );
    expect(org.callCount('ListAccounts')).toBe(0);
  });

  it('plans the listed accounts only', async () => {
    setEnvironment('444455556666,222233334444');
    const { handler } = handlerFor();

    const plan = (await handler(planEvent(), context)) as RunPlan;

    expect(plan).toMatchObject({ accounts: 2, items: 4, perRegionDigests: false });
    expect((bucketStore.json(BUCKET, plan.itemsKey) as RunItem[]).map((i) => i.accountId)).toEqual([
      '222233334444',
      '222233334444',
      '444455556666',
      '444455556666',
    ]);
  });

  it.each([0, 1001, 2.5, '40'])('refuses MaxConcurrentAudits %j before writing anything', async (value) => {
    setEnvironment('ORGANIZATION');
    const { org, handler } = handlerFor();

    await expect(handler(planEvent(value), context)).rejects.toThrow(
      'MaxConcurrentAudits must be an integer from 1 to 1000',
    );
    expect(org.callCount()).toBe(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('the aggregate step', () => {
  const ACCOUNTS = ['200000000001', '200000000002', '200000000003'];
  const REGIONS = ['us-east-1', 'eu-west-1'];
  const MANIFEST = `runs/${RUN_ID}/results/7d1c/manifest.json`;

  function plan(accounts = ACCOUNTS): RunPlan {
    const items = accounts.flatMap((accountId) => REGIONS.map((region) => ({ accountId, region })));
    bucketStore.put(BUCKET, `runs/${RUN_ID}/items.json`, items);
    return {
      runId: RUN_ID,
      bucket: BUCKET,
      itemsKey: `runs/${RUN_ID}/items.json`,
      resultsPrefix: `runs/${RUN_ID}/results`,
      accounts: accounts.length,
      regions: REGIONS.length,
      items: items.length,
      perRegionDigests: accounts.length === 1,
      maxConcurrency: 40,
    };
  }

  function result(accountId: string, region: string, nonCompliant: number): AuditItemResult {
    return {
      accountId,
      region,
      summary: { tables: 10, compliant: 10 - nonCompliant, nonCompliant, errors: 0, exempt: 0 },
      reportKey: `reports/date=2026-11-28/${accountId}-${region}-20261128T060500Z.json`,
      failing: Array.from({ length: nonCompliant }, (_, i) => ({
        tableName: `orders-${i}`,
        status: 'NON_COMPLIANT' as const,
        reason: 'No backup at all.',
      })),
    };
  }

  const execution = (input: RunItem, fields: Record<string, unknown>) => ({
    ExecutionArn: `arn:aws:states:us-east-1:${HOME}:execution:run/7d1c:${input.accountId}-${input.region}`,
    Input: JSON.stringify({ ...input, runId: RUN_ID, notify: false }),
    InputDetails: { Included: true },
    ...fields,
  });

  /** What the Map's ResultWriter leaves: a manifest and SUCCEEDED / FAILED files of child executions. */
  function writeResults(
    succeeded: AuditItemResult[],
    failed: { item: RunItem; Error: string; Cause: string }[],
  ) {
    bucketStore.put(BUCKET, MANIFEST, {
      DestinationBucket: BUCKET,
      MapRunArn: `arn:aws:states:us-east-1:${HOME}:mapRun:run/7d1c:1`,
      ResultFiles: {
        FAILED: [{ Key: `runs/${RUN_ID}/results/7d1c/FAILED_0.json`, Size: 1 }],
        PENDING: [],
        SUCCEEDED: [{ Key: `runs/${RUN_ID}/results/7d1c/SUCCEEDED_0.json`, Size: 1 }],
      },
    });
    bucketStore.put(
      BUCKET,
      `runs/${RUN_ID}/results/7d1c/SUCCEEDED_0.json`,
      succeeded.map((r) =>
        execution(r, { Status: 'SUCCEEDED', Output: JSON.stringify(r), OutputDetails: { Included: true } }),
      ),
    );
    bucketStore.put(
      BUCKET,
      `runs/${RUN_ID}/results/7d1c/FAILED_0.json`,
      failed.map((f) => execution(f.item, { Status: 'FAILED', Error: f.Error, Cause: f.Cause })),
    );
  }

  const aggregateEvent = (p: RunPlan) => ({
    step: 'aggregate',
    plan: p,
    resultWriter: { Bucket: BUCKET, Key: MANIFEST },
  });

  it('turns failed and missing items into ERRORs, writes the report and sends one digest', async () => {
    setEnvironment('ORGANIZATION');
    const { handler } = handlerFor();
    const p = plan();
    writeResults(
      [
        result(ACCOUNTS[0] ?? '', 'us-east-1', 2),
        result(ACCOUNTS[0] ?? '', 'eu-west-1', 0),
        result(ACCOUNTS[1] ?? '', 'us-east-1', 1),
      ],
      [
        {
          item: { accountId: ACCOUNTS[2] ?? '', region: 'us-east-1' },
          Error: 'MemberRoleError',
          Cause: JSON.stringify({
            errorType: 'MemberRoleError',
            errorMessage: `cannot assume arn:aws:iam::${ACCOUNTS[2]}:role/DynamoDbBackupAuditorMember: AccessDenied`,
            trace: ['at x'],
          }),
        },
        { item: { accountId: ACCOUNTS[2] ?? '', region: 'eu-west-1' }, Error: 'States.Timeout', Cause: '' },
      ],
    ); // ACCOUNTS[1] eu-west-1 has no result at all

    const outcome = (await handler(aggregateEvent(p), context)) as AggregateOutcome;

    expect(outcome).toEqual({
      runId: RUN_ID,
      summaryKey: `runs/${RUN_ID}/summary.json`,
      accounts: 3,
      items: 6,
      itemsFailed: 3,
      unauditedAccounts: 1,
      totals: { tables: 30, compliant: 27, nonCompliant: 3, errors: 0, exempt: 0 },
      digest: 'published',
    });
    const summary = bucketStore.json(BUCKET, outcome.summaryKey) as RunSummary;
    expect(summary.byAccount.map((a) => a.accountId)).toEqual([ACCOUNTS[0], ACCOUNTS[1], ACCOUNTS[2]]);
    expect(summary.unauditedAccounts).toEqual([
      {
        accountId: ACCOUNTS[2],
        reason: `MemberRoleError: cannot assume arn:aws:iam::${ACCOUNTS[2]}:role/DynamoDbBackupAuditorMember: AccessDenied`,
      },
    ]);
    const failures = Object.fromEntries(
      summary.results.filter((r) => r.failure).map((r) => [`${r.accountId} ${r.region}`, r.failure]),
    );
    expect(failures).toEqual({
      [`${ACCOUNTS[1]} eu-west-1`]: NOT_RUN_REASON,
      [`${ACCOUNTS[2]} eu-west-1`]: 'States.Timeout',
      [`${ACCOUNTS[2]} us-east-1`]: expect.stringContaining('MemberRoleError: cannot assume'),
    });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject:
        'DynamoDB-005: 3 tables without a usable backup in 2 of 3 accounts; 1 not audited; 1 region failed',
    });
  });

  it('for one account, writes the report but sends no digest (its regional audits sent theirs)', async () => {
    setEnvironment('');
    const { handler } = handlerFor();
    const p = plan([HOME]);
    writeResults([result(HOME, 'us-east-1', 3), result(HOME, 'eu-west-1', 1)], []);

    const outcome = (await handler(aggregateEvent(p), context)) as AggregateOutcome;

    expect(outcome).toMatchObject({
      digest: 'per-region digests',
      itemsFailed: 0,
      totals: { nonCompliant: 4 },
    });
    expect(bucketStore.json(BUCKET, outcome.summaryKey)).toMatchObject({ accounts: 1, items: 2 });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('sends nothing when every table of every account complies', async () => {
    setEnvironment('ORGANIZATION');
    const { handler } = handlerFor();
    const p = plan();
    writeResults(
      ACCOUNTS.flatMap((a) => REGIONS.map((r) => result(a, r, 0))),
      [],
    );

    const outcome = (await handler(aggregateEvent(p), context)) as AggregateOutcome;

    expect(outcome.digest).toBe('nothing to report');
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('without a ResultWriter output (no item ran), every item is an ERROR', async () => {
    setEnvironment('ORGANIZATION');
    const { handler } = handlerFor();
    const p = plan();

    const outcome = (await handler({ step: 'aggregate', plan: p }, context)) as AggregateOutcome;

    expect(outcome).toMatchObject({ itemsFailed: 6, unauditedAccounts: 3, digest: 'published' });
  });

  it("refuses a plan for another bucket than this stack's", async () => {
    setEnvironment('ORGANIZATION');
    const { handler } = handlerFor();

    await expect(handler(aggregateEvent({ ...plan(), bucket: 'someone-elses' }), context)).rejects.toThrow(
      "is not this stack's reports bucket",
    );
    expect(s3Mock.calls()).toHaveLength(0);
  });
});

describe('run events', () => {
  it.each([
    ['not an object', [1]],
    ['no step', {}],
    ['an unknown step', { step: 'audit' }],
    ['a plan without an execution name', { step: 'plan', startedAt: STARTED, maxConcurrency: 40 }],
    [
      'a plan with a bad start time',
      { step: 'plan', executionName: EXECUTION, startedAt: 'yesterday', maxConcurrency: 40 },
    ],
    ['an aggregate without a plan', { step: 'aggregate' }],
    [
      'an aggregate whose plan has a foreign items key',
      { step: 'aggregate', plan: { runId: RUN_ID, itemsKey: 'x' } },
    ],
    ['a malformed ResultWriter output', { step: 'aggregate', plan: {}, resultWriter: { Bucket: 1 } }],
  ])('refuses %s before any AWS call', async (_label, event) => {
    setEnvironment('ORGANIZATION');
    const { org, handler } = handlerFor();

    await expect(handler(event, context)).rejects.toBeInstanceOf(InvalidRunEventError);
    expect(org.callCount()).toBe(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });
});
