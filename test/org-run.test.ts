/**
 * The organization building blocks together, before they are wired into the stack: the run
 * function's plan over a simulated organization of 3 accounts × 2 regions (one account without the
 * member role), each item audited as a Map child would (member credentials named after the run, the
 * real audit core, the item result), the ResultWriter's files written as Step Functions writes them
 * (one child failed outright), then the aggregation: the run's report and its one digest.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AccountClient } from '@aws-sdk/client-account';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createRunHandler } from '../lambda/run/handler';
import { buildReport, collectFindings } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { describeError } from '../lambda/shared/errors';
import {
  accountClientFactory,
  MemberCredentials,
  sessionNameFor,
} from '../lambda/shared/org/member-credentials';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { AggregateOutcome } from '../lambda/shared/run/aggregate';
import { AuditItemInput, RunItem, toItemResult } from '../lambda/shared/run/item-result';
import { RunPlan } from '../lambda/shared/run/plan';
import { RunSummary } from '../lambda/shared/run/run-summary';
import { buildDemoAccount, SIM_CREDENTIALS, SimulatedOrganization } from '../sim';
import { MemoryS3 } from './support/memory-s3';

const s3Mock = mockClient(S3Client);
const snsMock = mockClient(SNSClient);
const bucket = new MemoryS3(s3Mock);

const MANAGEMENT = '111111111111';
const MEMBER = '444455556666';
const NO_ROLE = '777788889999';
const ROLE = 'DynamoDbBackupAuditorMember';
const REGIONS = ['us-east-1', 'eu-west-1'];
const BUCKET = 'auditor-reports';
const NOW = new Date('2026-11-28T06:00:00Z');

const context = {
  functionName: 'run-fn',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${MANAGEMENT}:function:run-fn`,
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

function organization() {
  const org = new SimulatedOrganization({
    management: buildDemoAccount({ now: NOW, sim: { accountId: MANAGEMENT } }),
    emptyPages: true,
  });
  org.addAccount(buildDemoAccount({ now: NOW, sim: { accountId: MEMBER } }), { roles: [ROLE] });
  org.addAccount(buildDemoAccount({ now: NOW, sim: { accountId: NO_ROLE } })); // no member role
  return org;
}

/** What the audit function does for one Map item (until it is wired): audit, then return the item result. */
async function auditItem(org: SimulatedOrganization, input: AuditItemInput) {
  const credentials = new MemberCredentials({
    homeAccountId: MANAGEMENT,
    partition: 'aws',
    roleName: ROLE,
    sessionName: sessionNameFor(input.runId),
    stsClientConfig: { region: 'us-east-1', credentials: SIM_CREDENTIALS },
    stsClientPlugins: [org.pluginForRegion('us-east-1')],
  });
  const clients = accountClientFactory(credentials, { credentials: SIM_CREDENTIALS, maxAttempts: 2 }, (c) =>
    org.attach(c),
  )(input.accountId, input.region);
  const times = { region: input.region, accountId: input.accountId, startedAt: NOW, finishedAt: NOW };
  try {
    const collected = await collectFindings(clients, {
      region: input.region,
      accountId: input.accountId,
      rates: UNLIMITED_RATES,
      budget: UNLIMITED_BUDGET,
      now: NOW,
    });
    return toItemResult(
      buildReport(times, collected.findings, 0),
      `reports/${input.accountId}-${input.region}.json`,
    );
  } catch (error) {
    // As the audit reports a region whose tables cannot be listed: a failure, not a throw.
    return toItemResult({
      ...buildReport(times, [], 0),
      failure: `ListTables failed: ${describeError(error)}`,
    });
  }
}

describe('an organization run, block by block', () => {
  beforeEach(() => {
    s3Mock.reset();
    snsMock.reset();
    bucket.objects.clear();
    bucket.install();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    Object.assign(process.env, {
      REPORT_BUCKET: BUCKET,
      TOPIC_ARN: `arn:aws:sns:us-east-1:${MANAGEMENT}:auditor`,
      AUDIT_ACCOUNTS: 'ORGANIZATION',
      AUDIT_REGIONS: REGIONS.join(','),
      AWS_REGION: 'us-east-1',
    });
  });

  it('plans 3 accounts × 2 regions, audits each through its member role, and reports one run', async () => {
    const org = organization();
    const handler = createRunHandler({
      s3: new S3Client({ region: 'us-east-1' }),
      sns: new SNSClient({ region: 'us-east-1' }),
      organizations: org.client(OrganizationsClient, { region: 'us-east-1' }),
      account: new AccountClient({ region: 'us-east-1' }),
      logger: new Logger({ serviceName: 'run', logLevel: 'SILENT' }),
      now: () => NOW,
    });

    // Plan
    const plan = (await handler(
      { step: 'plan', executionName: 'exec-1', startedAt: NOW.toISOString(), maxConcurrency: 40 },
      context,
    )) as RunPlan;
    const items = bucket.json(BUCKET, plan.itemsKey) as RunItem[];
    expect(items).toHaveLength(6);
    expect(plan).toMatchObject({ accounts: 3, regions: 2, perRegionDigests: false });

    // The Map: one child per item; the management account's eu-west-1 fails outright (a Lambda timeout).
    const inputs: AuditItemInput[] = items.map((item) => ({
      ...item,
      runId: plan.runId,
      notify: plan.perRegionDigests,
    }));
    const failedInput = inputs.find(
      (i) => i.accountId === MANAGEMENT && i.region === 'eu-west-1',
    ) as AuditItemInput;
    const children = inputs.filter((input) => input !== failedInput);
    const succeeded = await Promise.all(children.map((input) => auditItem(org, input)));
    const prefix = `${plan.resultsPrefix}/map-run-1`;
    bucket.put(
      BUCKET,
      `${prefix}/SUCCEEDED_0.json`,
      succeeded.map((result, i) => ({
        Status: 'SUCCEEDED',
        Input: JSON.stringify(children[i]),
        Output: JSON.stringify(result),
      })),
    );
    bucket.put(BUCKET, `${prefix}/FAILED_0.json`, [
      {
        Status: 'FAILED',
        Input: JSON.stringify(failedInput),
        Error: 'Sandbox.Timedout',
        Cause: JSON.stringify({
          errorType: 'Sandbox.Timedout',
          errorMessage: 'Task timed out after 900.00 seconds',
        }),
      },
    ]);
    bucket.put(BUCKET, `${prefix}/manifest.json`, {
      ResultFiles: {
        SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json` }],
        FAILED: [{ Key: `${prefix}/FAILED_0.json` }],
        PENDING: [],
      },
    });

    // Aggregate
    const outcome = (await handler(
      { step: 'aggregate', plan, resultWriter: { Bucket: BUCKET, Key: `${prefix}/manifest.json` } },
      context,
    )) as AggregateOutcome;
    const summary = bucket.json(BUCKET, outcome.summaryKey) as RunSummary;

    // The member role was assumed under the run's name, once per item of the member account.
    expect(org.assumed.map((a) => [a.accountId, a.sessionName])).toEqual(
      REGIONS.map(() => [MEMBER, `dynamodb-backup-audit-${plan.runId}`]),
    );
    // Every finding of the audited accounts matches the ground truth, under the right account.
    for (const result of summary.results.filter((r) => r.failure === undefined)) {
      const account = org.account(result.accountId);
      for (const table of result.failing) {
        expect(account.expectedStatus(result.region, table.tableName)).toBe('NON_COMPLIANT');
      }
      expect(result.summary.nonCompliant).toBe(
        Object.values(account.expectedStatuses(result.region)).filter((s) => s === 'NON_COMPLIANT').length,
      );
    }
    // The account without the role could not be audited, and says why.
    expect(summary.unauditedAccounts).toEqual([
      {
        accountId: NO_ROLE,
        reason: expect.stringContaining(`cannot assume arn:aws:iam::${NO_ROLE}:role/${ROLE}: AccessDenied`),
      },
    ]);
    // The child that failed outright is that account × region's ERROR with its cause.
    expect(
      summary.results.find((r) => r.accountId === failedInput.accountId && r.region === failedInput.region),
    ).toMatchObject({
      failure: 'Sandbox.Timedout: Task timed out after 900.00 seconds',
    });
    // One digest for the run, naming the report.
    expect(outcome.digest).toBe('published');
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    const message = JSON.parse(snsMock.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}') as {
      email: string;
    };
    expect(message.email).toContain(
      `ACCOUNTS THAT COULD NOT BE AUDITED (1)\n- ${NO_ROLE} (all 2 regions): ListTables failed: MemberRoleError: cannot assume`,
    );
    expect(message.email).toContain(`s3://${BUCKET}/runs/${plan.runId}/summary.json`);
    expect(org.account(NO_ROLE).callCount()).toBe(0);
  });
});
