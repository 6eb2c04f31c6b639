import { SFNClient } from '@aws-sdk/client-sfn';
import { accountClientFactory, MemberCredentials } from '../lambda/shared/org/member-credentials';
/**
 * One region's audit with its integrations, on the simulated account: the report written to the
 * reports bucket, the findings imported into Security Hub, and what happens when either fails (never
 * the audit: one digest line, a log line, a metric).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { AccessDeniedException } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { auditRegion, RegionAuditConfig } from '../lambda/audit/audit';
import { createAuditHandler } from '../lambda/audit/handler';
import { Budget, manualBudget, UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { regionalClientFactory } from '../lambda/shared/clients';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { FindingLine, reportKeys } from '../lambda/shared/reports/report-writer';
import { AuditReport } from '../lambda/shared/types';
import { FAULT_ERRORS, SimulatedAccount } from '../sim';

const REGION = 'eu-west-1';
const BUCKET = 'auditor-reports';
const NOW = new Date('2026-11-28T06:00:00Z');

function account(): SimulatedAccount {
  const sim = new SimulatedAccount();
  sim.addTable(REGION, 'orders');
  sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', createdAt: new Date('2026-11-27T00:00:00Z') });
  sim.addTable(REGION, 'payments');
  sim.addTopic(REGION, 'findings');
  sim.addBucket(REGION, BUCKET);
  return sim;
}

function logger() {
  return { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

function run(
  sim: SimulatedAccount,
  options: { securityHub?: boolean; budget?: Budget; log?: ReturnType<typeof logger>; now?: Date } = {},
) {
  const clientsFor = regionalClientFactory({ maxAttempts: 2 }, (client) => sim.attach(client));
  const config: RegionAuditConfig = {
    region: REGION,
    accountId: sim.accountId,
    topicArn: `arn:aws:sns:${REGION}:${sim.accountId}:findings`,
    autoRemediation: false,
    remediationFunctionName: 'remediate-fn',
    reports: { bucket: BUCKET, prefix: '' },
    securityHubFindings: options.securityHub ?? false,
  };
  const at = options.now ?? NOW;
  return auditRegion(
    {
      clients: clientsFor(REGION),
      sns: sim.client(SNSClient, { region: REGION }),
      lambda: sim.client(LambdaClient, { region: REGION }),
      s3: sim.client(S3Client, { region: REGION, maxAttempts: 2 }),
      logger: options.log ?? logger(),
      rates: UNLIMITED_RATES,
      budget: options.budget ?? UNLIMITED_BUDGET,
      now: () => at,
    },
    config,
  );
}

const digestEmail = (sim: SimulatedAccount): string => {
  const message = sim.published.at(-1)?.message;
  return message ? (JSON.parse(message) as { email: string }).email : '';
};

describe('the report in the reports bucket', () => {
  it('writes the findings as JSON lines and the whole report, under the day the audit finished', async () => {
    const sim = account();

    const { report, reportWrite } = await run(sim);

    const keys = reportKeys(report);
    expect(keys.findings).toBe(`findings/date=2026-11-28/${sim.accountId}-${REGION}-20261128T060000Z.jsonl`);
    expect(reportWrite).toMatchObject({ written: true, keys });
    const objects = sim.objects(BUCKET);
    expect([...objects.keys()].sort()).toEqual([keys.findings, keys.report]);
    expect(JSON.parse(objects.get(keys.report)?.body ?? '')).toEqual(report);
    const lines = (objects.get(keys.findings)?.body ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FindingLine);
    expect(lines.map(({ accountId, auditedAt, ...finding }) => [accountId, auditedAt, finding])).toEqual(
      report.findings.map((f) => [sim.accountId, report.finishedAt, f]),
    );
  });

  it('tells a failed write in the digest and the log, even when every table complies, and completes the audit', async () => {
    const sim = account();
    sim.addNativeBackup(REGION, 'payments', { status: 'AVAILABLE' });
    sim.inject({
      operation: 'PutObject',
      error: () => FAULT_ERRORS.accessDenied('Access Denied'),
      times: Infinity,
    });
    const log = logger();

    const { report, reportWrite } = await run(sim, { log });

    expect(report.summary).toMatchObject({ tables: 2, compliant: 2 });
    expect(reportWrite).toMatchObject({ written: false });
    expect(sim.published).toHaveLength(1);
    expect(digestEmail(sim)).toContain(
      `WARNING: this audit's report could not be saved in the reports bucket (could not write s3://${BUCKET}/: AccessDeniedException: Access Denied); the history has no entry for this run.`,
    );
    expect(log.error).toHaveBeenCalledWith('Could not write the report to the reports bucket', {
      error: `could not write s3://${BUCKET}/: AccessDeniedException: Access Denied`,
    });
  });

  it('records a region that could not be audited at all, with the reason', async () => {
    const sim = account();
    sim.inject({ operation: 'ListTables', error: () => FAULT_ERRORS.accessDenied(), times: Infinity });

    const { report } = await run(sim);

    expect(report.failure).toMatch(/^ListTables failed/);
    const stored = sim.objects(BUCKET).get(reportKeys(report).report);
    expect(JSON.parse(stored?.body ?? '{}')).toMatchObject({ failure: report.failure, findings: [] });
  });
});

describe('findings in Security Hub', () => {
  it('imports one finding per table in the audited region, and none when SecurityHubFindings is off', async () => {
    const sim = account();
    sim.enableSecurityHub(REGION);

    await run(sim, { securityHub: false });
    expect(sim.callCount('BatchImportFindings') + sim.callCount('GetFindings')).toBe(0);

    const { securityHub } = await run(sim, { securityHub: true });

    expect(securityHub).toMatchObject({ sent: 2, imported: 2, failed: 0, archived: 0, calls: 1 });
    expect(
      sim.securityHubFindings(REGION).map((f) => [f.Title, f.Compliance?.Status, f.Severity?.Label]),
    ).toEqual([
      ['DynamoDB-005: DynamoDB table orders has a usable backup', 'PASSED', 'INFORMATIONAL'],
      ['DynamoDB-005: DynamoDB table payments has no usable backup', 'FAILED', 'HIGH'],
    ]);
  });

  it('archives the finding of a table deleted since the last audit and keeps the others’ CreatedAt', async () => {
    const sim = account();
    sim.enableSecurityHub(REGION);
    await run(sim, { securityHub: true, now: new Date('2026-11-27T06:00:00Z') });
    sim.deleteTable(REGION, 'payments');

    const { securityHub } = await run(sim, { securityHub: true });

    expect(sim.callCount('GetFindings')).toBe(2); // one listing per audit
    expect(securityHub).toMatchObject({ archived: 1, imported: 2 });
    expect(
      sim.securityHubFindings(REGION).map((f) => [f.Id, f.RecordState, f.CreatedAt, f.UpdatedAt]),
    ).toEqual([
      [
        `${sim.tableArn(REGION, 'orders')}/DynamoDB-005`,
        'ACTIVE',
        '2026-11-27T06:00:00.000Z',
        '2026-11-28T06:00:00.000Z',
      ],
      [
        `${sim.tableArn(REGION, 'payments')}/DynamoDB-005`,
        'ARCHIVED',
        '2026-11-27T06:00:00.000Z',
        '2026-11-28T06:00:00.000Z',
      ],
    ]);
  });

  it('archives nothing when the table listing stopped at the time budget', async () => {
    const sim = new SimulatedAccount({ maxPageSize: { ListTables: 1 } });
    for (const name of ['alpha', 'bravo', 'charlie']) sim.addTable(REGION, name);
    sim.addTopic(REGION, 'findings');
    sim.addBucket(REGION, BUCKET);
    sim.enableSecurityHub(REGION);
    await run(sim, { securityHub: true, now: new Date('2026-11-27T06:00:00Z') });
    expect(sim.securityHubFindings(REGION)).toHaveLength(3);
    sim.resetCounters();

    const { report, securityHub } = await run(sim, {
      securityHub: true,
      budget: manualBudget(() => sim.callCount('ListTables') >= 1),
    });

    expect(report.summary.tables).toBe(1); // bravo and charlie were never listed
    expect(securityHub?.archived).toBe(0);
    expect(sim.securityHubFindings(REGION).every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });

  it('says in one digest line that Security Hub is not enabled, and completes the audit', async () => {
    const sim = account(); // Security Hub never enabled
    const log = logger();

    const { report, securityHub } = await run(sim, { securityHub: true, log });

    expect(report.summary).toMatchObject({ tables: 2, nonCompliant: 1 });
    expect(securityHub).toMatchObject({ imported: 0, failed: 2 });
    expect(sim.callCount('BatchImportFindings')).toBe(0);
    const warnings = digestEmail(sim)
      .split('\n')
      .filter((line) => line.includes('Security Hub'));
    expect(warnings).toEqual([
      `WARNING: Security Hub is not enabled in ${REGION} for this account, so no finding was imported ` +
        `(InvalidAccessException: Account ${sim.accountId} is not subscribed to AWS Security Hub). ` +
        'Enable Security Hub there, or update the stack with SecurityHubFindings=false.',
    ]);
    expect(log.warn).toHaveBeenCalledWith(
      'Security Hub is not enabled in this region: findings not imported',
      {
        error: `InvalidAccessException: Account ${sim.accountId} is not subscribed to AWS Security Hub`,
      },
    );
  });

  it('says in one digest line that the import was denied, and completes the audit', async () => {
    const sim = account();
    sim.enableSecurityHub(REGION);
    sim.inject({
      operation: 'BatchImportFindings',
      times: Infinity,
      error: () =>
        new AccessDeniedException({
          message: 'User is not authorized to perform: securityhub:BatchImportFindings',
          $metadata: { httpStatusCode: 403 },
        }),
    });

    const { report, securityHub } = await run(sim, { securityHub: true });

    expect(report.findings).toHaveLength(2);
    expect(securityHub).toMatchObject({ imported: 0, failed: 2 });
    expect(digestEmail(sim)).toContain(
      'WARNING: Security Hub import stopped after 0 of 2 findings: AccessDeniedException: User is not authorized to perform: securityhub:BatchImportFindings.',
    );
  });
});

describe('the audit handler’s metrics', () => {
  it('counts a failed report write and the findings Security Hub did not import', async () => {
    const sim = account();
    sim.inject({ operation: 'PutObject', error: () => FAULT_ERRORS.accessDenied(), times: Infinity });
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'audit' });
    const added = jest.spyOn(metrics, 'addMetric');
    Object.assign(process.env, {
      TOPIC_ARN: `arn:aws:sns:${REGION}:${sim.accountId}:findings`,
      AUTO_REMEDIATION: 'false',
      REMEDIATION_FUNCTION_NAME: 'remediate-fn',
      AUDIT_REGIONS: '',
      AWS_REGION: REGION,
      REPORT_BUCKET: BUCKET,
      SECURITY_HUB_FINDINGS: 'true',
    });
    const handler = createAuditHandler({
      sns: sim.client(SNSClient, { region: REGION }),
      lambda: sim.client(LambdaClient, { region: REGION }),
      sfn: sim.client(SFNClient, { region: REGION }),
      s3: sim.client(S3Client, { region: REGION, maxAttempts: 1 }),
      clientsFor: regionalClientFactory({ maxAttempts: 2 }, (client) => sim.attach(client)),
      memberCredentials: (access) => new MemberCredentials(access),
      memberClientsFor: (credentials) => accountClientFactory(credentials),
      logger: new Logger({ serviceName: 'audit', logLevel: 'SILENT' }),
      metrics,
      rates: UNLIMITED_RATES,
    });
    const context = {
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${sim.accountId}:function:audit`,
      functionName: 'audit',
      awsRequestId: 'r-1',
      getRemainingTimeInMillis: () => 900_000,
    } as unknown as Context;

    const report = (await handler({ region: REGION }, context)) as AuditReport;

    expect(report.summary.tables).toBe(2);
    const counts = Object.fromEntries(added.mock.calls.map(([name, , value]) => [name, value]));
    expect(counts).toMatchObject({
      CompliantTables: 1,
      NonCompliantTables: 1,
      ReportWriteFailures: 1,
      SecurityHubFindingsImported: 0,
      SecurityHubFailedFindings: 2,
    });
  });
});
