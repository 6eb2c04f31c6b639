/**
 * End to end on a simulated account: a scheduled run (the state machine's steps, driven as Step
 * Functions runs them) plans the audited regions and audits each through the audit Lambda; each
 * audit writes its report, publishes its digest and hands NON_COMPLIANT tables to the remediation
 * Lambda, which creates the backups and publishes a summary; a second audit finds them COMPLIANT.
 * Real SDK v3 clients throughout, answered by the simulated account (sim/).
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { FindingLine } from '../lambda/shared/reports/report-writer';
import { AuditItemResult } from '../lambda/shared/run/item-result';
import { AuditReport, RemediationResponse } from '../lambda/shared/types';
import { ASYNC_RETRY_ATTEMPTS } from '../lib/lambda-defaults';
import { buildDemoAccount, FAULT_ERRORS, SimulatedAccount } from '../sim';
import { deploy as deployOn, REPORT_BUCKET } from './support/deploy';

const HOME = 'us-east-1';
const AUDITED = ['us-east-1', 'eu-west-1'];
const NOW = new Date('2026-11-28T06:00:00Z');

/** The stack over one simulated account, auditing AUDITED from HOME. */
function deploy(
  sim: SimulatedAccount,
  autoRemediation: boolean,
  rates?: Parameters<typeof deployOn>[1]['rates'],
  securityHubFindings = false,
) {
  return deployOn(sim, {
    home: HOME,
    auditRegions: AUDITED.join(','),
    autoRemediation,
    securityHubFindings,
    ...(rates ? { rates } : {}),
  });
}

async function invoke(
  lambda: LambdaClient,
  functionName: string,
  event: unknown,
  type: 'Event' | 'RequestResponse',
) {
  const output = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: type,
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  return output.Payload && output.Payload.length > 0
    ? JSON.parse(Buffer.from(output.Payload).toString())
    : undefined;
}

/** The regional reports the audits wrote to the reports bucket. */
const reportsOf = (sim: SimulatedAccount) =>
  [...sim.objects(REPORT_BUCKET).values()]
    .filter((o) => o.key.startsWith('reports/'))
    .map((o) => JSON.parse(o.body) as AuditReport);

describe('end to end on a simulated account', () => {
  it('schedule → audit per region → SNS → remediation → backups → a second audit finds them compliant', async () => {
    const sim = buildDemoAccount({ now: NOW });
    const { lambda, topicArn, scheduledRun } = deploy(sim, true);
    const expectedBefore = new Map(AUDITED.map((r) => [r, sim.expectedStatuses(r)]));

    const run = await scheduledRun();

    // Every invocation succeeded: plan, 1 audit per audited region, remediation per failing region, aggregate.
    expect(sim.invocations.filter((i) => i.status !== 'succeeded')).toEqual([]);
    expect(run.items).toEqual(AUDITED.map((region) => ({ accountId: sim.accountId, region })));
    expect(run.plan).toMatchObject({ accounts: 1, regions: AUDITED.length, perRegionDigests: true });
    expect(run.outcome).toMatchObject({ accounts: 1, items: AUDITED.length, itemsFailed: 0 });
    expect(run.outcome.digest).toBe('per-region digests'); // one account: the regions send their own
    const reports = reportsOf(sim);
    expect(reports.map((r) => r.region).sort()).toEqual([...AUDITED].sort());
    expect(sim.callCount('ListTables', 'ap-southeast-2')).toBe(0); // not audited by this stack

    // Each finding matches the account's ground truth.
    for (const report of reports) {
      const truth = expectedBefore.get(report.region);
      for (const finding of report.findings)
        expect([finding.tableName, finding.status]).toEqual([finding.tableName, truth?.[finding.tableName]]);
      expect(report.remediationRequested).toBe(report.summary.nonCompliant);
    }

    // One digest per region with failures, then one remediation summary per remediation run.
    const published = sim.published.filter((m) => m.topicArn === topicArn);
    const digests = published.filter((m) => m.attributes?.status?.StringValue === 'NON_COMPLIANT');
    expect(digests.map((m) => m.attributes?.region?.StringValue).sort()).toEqual([...AUDITED].sort());
    for (const digest of digests) {
      expect(digest.messageStructure).toBe('json');
      const body = JSON.parse(digest.message) as { default: string; email: string };
      expect(JSON.parse(body.default)).toMatchObject({ version: '1.0', source: 'custom' });
      expect(body.email).toContain('Auto-remediation is ON');
    }
    const summaries = published.filter((m) => m.subject?.includes('remediation'));
    expect(summaries).toHaveLength(AUDITED.length);

    // The remediation created one timestamped backup per remediable table and skipped the rest.
    const remediation = sim.invocations
      .filter((i) => i.functionName === 'remediate-fn')
      .flatMap((i) => (i.result as RemediationResponse).results);
    const created = remediation.filter((r) => r.status === 'CREATED');
    const skipped = remediation.filter((r) => r.status === 'SKIPPED');
    expect(created.length).toBeGreaterThan(0);
    expect(created.length + skipped.length).toBe(remediation.length);
    for (const r of created) expect(r.backupName).toMatch(/^[A-Za-z0-9_.-]+-autobackup-20\d{6}T\d{6}Z$/);
    expect(sim.callCount('CreateBackup', undefined, 'ok')).toBe(created.length);

    // A second audit of each region finds the remediated tables COMPLIANT.
    for (const region of AUDITED) {
      const report = (await invoke(lambda, 'audit-fn', { region }, 'RequestResponse')) as AuditReport;
      const status = new Map(report.findings.map((f) => [f.tableArn, f.status]));
      for (const r of created.filter((c) => c.tableArn.includes(`:${region}:`))) {
        expect([r.tableArn, status.get(r.tableArn)]).toEqual([r.tableArn, 'COMPLIANT']);
      }
      const stillFailing = report.findings
        .filter((f) => f.status === 'NON_COMPLIANT' || f.status === 'ERROR')
        .map((f) => f.tableArn);
      expect(stillFailing.sort()).toEqual(
        skipped
          .filter((s) => s.tableArn.includes(`:${region}:`))
          .map((s) => s.tableArn)
          .sort(),
      );
    }
    await sim.drain();
  });

  it('creates each backup once when the same remediation event is delivered twice', async () => {
    const sim = buildDemoAccount({ now: NOW });
    const { lambda } = deploy(sim, false);
    const event = { tables: [{ tableArn: sim.tableArn('us-east-1', 'sessions-cache') }] };

    const first = (await invoke(lambda, 'remediate-fn', event, 'RequestResponse')) as RemediationResponse;
    const second = (await invoke(lambda, 'remediate-fn', event, 'RequestResponse')) as RemediationResponse;

    expect(first.results[0]?.status).toBe('CREATED');
    expect(second.results[0]).toMatchObject({ status: 'SKIPPED', backupName: first.results[0]?.backupName });
    expect(sim.callCount('CreateBackup')).toBe(1);
  });

  it('reports without remediating when AutoRemediation is false', async () => {
    const sim = buildDemoAccount({ now: NOW });
    const { scheduledRun } = deploy(sim, false);

    await scheduledRun();

    expect(reportsOf(sim)).toHaveLength(AUDITED.length);
    expect(reportsOf(sim).every((r) => r.remediationRequested === 0)).toBe(true);
    expect(sim.invocations.some((i) => i.functionName === 'remediate-fn')).toBe(false);
    expect(sim.callCount('CreateBackup')).toBe(0);
    const digest = sim.published.find((m) => m.attributes?.region?.StringValue === 'eu-west-1');
    expect(JSON.parse(digest?.message ?? '{}').email).toContain(
      'aws dynamodb create-backup --region eu-west-1',
    );
  });

  it('sends exactly one alert when a region cannot be listed, and reports it as that item’s failure', async () => {
    const sim = new SimulatedAccount({ asyncRetryAttempts: 2 }); // Lambda's default, if anything retried
    sim.addTable('us-east-1', 'orders');
    sim.addNativeBackup('us-east-1', 'orders', { status: 'AVAILABLE' });
    sim.addTable('eu-west-1', 'payments');
    sim.inject({
      operation: 'ListTables',
      region: 'eu-west-1',
      times: Infinity,
      error: () => FAULT_ERRORS.accessDenied('not authorized to perform dynamodb:ListTables'),
    });
    const { topicArn, scheduledRun } = deploy(sim, true);

    await scheduledRun();

    const failed = sim.invocations.filter((i) => (i.event as { region?: string }).region === 'eu-west-1');
    expect(failed.map((i) => [i.status, i.attempts])).toEqual([['succeeded', 1]]);
    expect(failed[0]?.result as AuditItemResult).toMatchObject({
      region: 'eu-west-1',
      failing: [],
      failure: expect.stringContaining('AccessDeniedException'),
    });
    const alerts = sim.published.filter((m) => m.topicArn === topicArn && m.subject?.includes('failed'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toMatch(/audit of eu-west-1 failed/);
    expect(ASYNC_RETRY_ATTEMPTS).toBe(0);
  });

  it('answers a synchronous audit of 9,000 tables with 255-character names within Lambda’s 6 MB', async () => {
    // Pacing lifted on both sides: this test is about the response, not the listing's speed.
    const sim = new SimulatedAccount({ rateLimits: { ListBackups: Infinity } });
    const names = Array.from({ length: 9000 }, (_, i) => `${String(i).padStart(5, '0')}-`.padEnd(255, 'x'));
    for (const [i, name] of names.entries()) {
      sim.addTable('us-east-1', name);
      if (i % 10 !== 0) sim.addNativeBackup('us-east-1', name, { status: 'AVAILABLE', name: `b-${i}` });
    }
    const { lambda } = deploy(sim, false, UNLIMITED_RATES);

    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: 'audit-fn',
        InvocationType: 'RequestResponse',
        Payload: Buffer.from(JSON.stringify({ region: 'us-east-1' })),
      }),
    );

    expect(output.FunctionError).toBeUndefined();
    const bytes = output.Payload?.length ?? 0;
    expect(bytes).toBeLessThanOrEqual(6 * 1024 * 1024);
    const report = JSON.parse(Buffer.from(output.Payload ?? []).toString()) as AuditReport;
    expect(report.summary).toMatchObject({ tables: 9000, compliant: 8100, nonCompliant: 900 });
    expect(report.omittedCompliant).toBe(8100);
    expect(report.findings.map((f) => f.status)).toEqual(
      names.filter((_, i) => i % 10 === 0).map(() => 'NON_COMPLIANT'),
    );
    // The digest went out too: a manual invocation is a real audit.
    expect(sim.published.some((m) => m.attributes?.region?.StringValue === 'us-east-1')).toBe(true);
    // The reports bucket keeps the whole report: every finding, compliant ones included.
    const stored = [...sim.objects(REPORT_BUCKET).values()].find((o) => o.key.startsWith('reports/'));
    expect((JSON.parse(stored?.body ?? '{}') as AuditReport).findings).toHaveLength(9000);
  }, 120_000);

  it('writes each region’s report to S3 and its findings to Security Hub on a scheduled run', async () => {
    const sim = buildDemoAccount({ now: NOW });
    sim.enableSecurityHub(HOME); // not in eu-west-1
    const { topicArn, scheduledRun } = deploy(sim, false, undefined, true);

    await scheduledRun();

    const reports = reportsOf(sim);
    expect(reports.map((r) => r.region).sort()).toEqual([...AUDITED].sort());
    // S3: per region, the JSON lines of its findings and the whole report, under the day it finished.
    const objects = sim.objects(REPORT_BUCKET);
    expect([...objects.keys()].filter((k) => !k.startsWith('runs/'))).toHaveLength(2 * AUDITED.length);
    for (const report of reports) {
      const day = report.finishedAt.slice(0, 10);
      const stamp = report.finishedAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const name = `${sim.accountId}-${report.region}-${stamp}`;
      const lines = objects.get(`findings/date=${day}/${name}.jsonl`)?.body.trim().split('\n') ?? [];
      expect(lines.map((line) => JSON.parse(line) as FindingLine)).toEqual(
        report.findings.map((f) => ({ ...f, accountId: sim.accountId, auditedAt: report.finishedAt })),
      );
      expect(JSON.parse(objects.get(`reports/date=${day}/${name}.json`)?.body ?? '{}')).toEqual(report);
    }

    // Security Hub, where enabled: one paginated read, one import call, one finding per table.
    const home = reports.find((r) => r.region === HOME);
    expect(sim.callCount('GetFindings', HOME)).toBe(1);
    expect(sim.callCount('BatchImportFindings', HOME)).toBe(Math.ceil((home?.findings.length ?? 0) / 100));
    const imported = sim.securityHubFindings(HOME);
    expect(imported.map((f) => f.Resources?.[0]?.Id).sort()).toEqual(
      home?.findings.map((f) => f.tableArn).sort(),
    );
    const statusOf = new Map(home?.findings.map((f) => [f.tableArn, f.status]));
    const expected = {
      COMPLIANT: 'PASSED',
      NON_COMPLIANT: 'FAILED',
      ERROR: 'NOT_AVAILABLE',
      EXEMPT: 'WARNING',
    };
    for (const f of imported) {
      expect([f.Id, f.Compliance?.Status]).toEqual([
        `${f.Resources?.[0]?.Id}/DynamoDB-005`,
        expected[statusOf.get(f.Resources?.[0]?.Id ?? '') ?? 'COMPLIANT'],
      ]);
      expect(f).toMatchObject({
        GeneratorId: 'DynamoDB-005',
        AwsAccountId: sim.accountId,
        RecordState: 'ACTIVE',
      });
    }

    // Where Security Hub is not enabled: no import call, one line in that region's digest, audit unharmed.
    expect(sim.callCount('BatchImportFindings', 'eu-west-1')).toBe(0);
    const digest = sim.published.find(
      (m) => m.topicArn === topicArn && m.attributes?.region?.StringValue === 'eu-west-1',
    );
    const email = (JSON.parse(digest?.message ?? '{}') as { email: string }).email;
    expect(
      email.split('\n').filter((l) => l.includes('Security Hub is not enabled in eu-west-1')),
    ).toHaveLength(1);
    expect(sim.invocations.filter((i) => i.status !== 'succeeded')).toEqual([]);
  });
});
