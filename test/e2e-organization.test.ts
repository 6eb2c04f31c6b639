/**
 * End to end over a simulated AWS Organization of 3 accounts × 2 regions, one account without the
 * member role: a scheduled run plans the organization's ACTIVE accounts, audits every account ×
 * region through the same audit handler the Distributed Map invokes (member accounts through their
 * member role), remediates member tables through the same role, and sends one digest for the run.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { AuditItemResult } from '../lambda/shared/run/item-result';
import { RunSummary } from '../lambda/shared/run/run-summary';
import { AuditReport, RemediationResponse } from '../lambda/shared/types';
import { buildDemoAccount, SimulatedOrganization } from '../sim';
import { deploy, MEMBER_ROLE, REPORT_BUCKET } from './support/deploy';

const HOME = 'us-east-1';
const REGIONS = ['us-east-1', 'eu-west-1'];
const MANAGEMENT = '111111111111';
const MEMBER = '444455556666';
const NO_ROLE = '777788889999';
const NOW = new Date('2026-11-28T06:00:00Z');

function organization() {
  const org = new SimulatedOrganization({
    management: buildDemoAccount({ now: NOW, sim: { accountId: MANAGEMENT } }),
    emptyPages: true,
  });
  org.addAccount(buildDemoAccount({ now: NOW, sim: { accountId: MEMBER } }), { roles: [MEMBER_ROLE] });
  org.addAccount(buildDemoAccount({ now: NOW, sim: { accountId: NO_ROLE } })); // no member role
  return org;
}

const objectsOf = (org: SimulatedOrganization) => org.management.objects(REPORT_BUCKET);

describe('end to end over a simulated organization', () => {
  it('audits every account × region through the member roles, remediates, and sends one digest for the run', async () => {
    const org = organization();
    const expected = new Map(
      [MANAGEMENT, MEMBER].flatMap((id) =>
        REGIONS.map((region) => [`${id}|${region}`, org.account(id).expectedStatuses(region)] as const),
      ),
    );
    const { topicArn, scheduledRun } = deploy(org, {
      home: HOME,
      auditRegions: REGIONS.join(','),
      auditAccounts: 'ORGANIZATION',
      autoRemediation: true,
    });

    const run = await scheduledRun();

    // The plan: every ACTIVE account of the organization (read through empty pages) × every region.
    expect(run.plan).toMatchObject({ accounts: 3, regions: 2, items: 6, perRegionDigests: false });
    // The audits assumed the member role under the run's name (remediation under its own request's);
    // the account without the role could not be assumed into.
    const sessions = new Set(org.assumed.map((a) => `${a.accountId}:${a.sessionName}`));
    expect([...sessions].filter((s) => !s.includes('-remediation-'))).toEqual([
      `${MEMBER}:dynamodb-backup-audit-${run.plan.runId}`,
    ]);
    expect([...sessions].every((s) => s.startsWith(`${MEMBER}:`))).toBe(true);

    // Every audited account × region wrote a report under its own account id, matching the ground truth.
    const reports = [...objectsOf(org).values()]
      .filter((o) => o.key.startsWith('reports/'))
      .map((o) => JSON.parse(o.body) as AuditReport);
    expect(reports.map((r) => `${r.accountId}|${r.region}`).sort()).toEqual(
      [...[MANAGEMENT, MEMBER, NO_ROLE].flatMap((id) => REGIONS.map((region) => `${id}|${region}`))].sort(),
    );
    for (const report of reports.filter((r) => r.accountId !== NO_ROLE)) {
      const truth = expected.get(`${report.accountId}|${report.region}`);
      for (const f of report.findings) {
        expect([report.accountId, f.tableName, f.status]).toEqual([
          report.accountId,
          f.tableName,
          truth?.[f.tableName],
        ]);
        expect(f.tableArn).toContain(`:${report.accountId}:table/`);
      }
    }
    // The account without the role: each of its regions is that item's ERROR, with the reason.
    for (const report of reports.filter((r) => r.accountId === NO_ROLE)) {
      expect(report.failure).toContain(
        `cannot assume arn:aws:iam::${NO_ROLE}:role/${MEMBER_ROLE}: AccessDenied`,
      );
    }

    // Remediation backed up the member account's tables in the member account, through the role.
    const remediation = org.management.invocations
      .filter((i) => i.functionName === 'remediate-fn')
      .flatMap((i) => (i.result as RemediationResponse).results);
    const memberCreated = remediation.filter(
      (r) => r.status === 'CREATED' && r.tableArn.includes(`:${MEMBER}:`),
    );
    expect(memberCreated.length).toBeGreaterThan(0);
    expect(org.account(MEMBER).callCount('CreateBackup', undefined, 'ok')).toBe(memberCreated.length);
    expect(remediation.filter((r) => r.status === 'REJECTED')).toEqual([]);

    // One digest for the whole run: no per-region digest, no per-region failure alert.
    const messages = org.management.published.filter((m) => m.topicArn === topicArn);
    const runDigests = messages.filter((m) => !m.subject?.includes('remediation'));
    expect(runDigests).toHaveLength(1);
    const email = (JSON.parse(runDigests[0]?.message ?? '{}') as { email: string }).email;
    expect(email).toContain(`s3://${REPORT_BUCKET}/runs/${run.plan.runId}/summary.json`);
    expect(email).toContain(NO_ROLE);
    const summary = JSON.parse(objectsOf(org).get(run.outcome.summaryKey)?.body ?? '{}') as RunSummary;
    expect(summary.unauditedAccounts.map((a) => a.accountId)).toEqual([NO_ROLE]);
    expect(org.management.invocations.filter((i) => i.status !== 'succeeded')).toEqual([]);
  });

  it('audits one member account × region on demand, and refuses an account the stack does not audit', async () => {
    const org = organization();
    const { lambda } = deploy(org, {
      home: HOME,
      auditRegions: REGIONS.join(','),
      auditAccounts: `${MANAGEMENT},${MEMBER}`,
      autoRemediation: false,
    });
    const call = async (event: unknown) => {
      const output = await lambda.send(
        new InvokeCommand({ FunctionName: 'audit-fn', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      return { error: output.FunctionError, body: JSON.parse(Buffer.from(output.Payload ?? []).toString()) };
    };

    const member = await call({ region: 'eu-west-1', accountId: MEMBER });
    const callsBefore = org.callCount();
    const refused = await call({ region: 'eu-west-1', accountId: NO_ROLE });

    expect(member.error).toBeUndefined();
    expect((member.body as AuditReport).accountId).toBe(MEMBER);
    expect((member.body as AuditReport).findings.every((f) => f.tableArn.includes(`:${MEMBER}:`))).toBe(true);
    expect(refused).toMatchObject({
      error: 'Unhandled',
      body: {
        errorType: 'InvalidAuditEventError',
        errorMessage: expect.stringContaining(`Account ${NO_ROLE} is not audited`),
      },
    });
    expect(org.callCount()).toBe(callsBefore); // refused before any AWS call
  });

  it('returns the small item result to the Map, within its payload limits', async () => {
    const org = organization();
    const { lambda } = deploy(org, {
      home: HOME,
      auditRegions: 'us-east-1',
      auditAccounts: 'ORGANIZATION',
      autoRemediation: false,
    });

    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: 'audit-fn',
        Payload: Buffer.from(
          JSON.stringify({
            region: 'us-east-1',
            accountId: MEMBER,
            runId: '20261128T060000Z-run',
            notify: false,
          }),
        ),
      }),
    );

    const result = JSON.parse(Buffer.from(output.Payload ?? []).toString()) as AuditItemResult;
    expect(result).toMatchObject({ accountId: MEMBER, region: 'us-east-1' });
    expect(result.reportKey).toMatch(new RegExp(`^reports/date=\\d{4}-\\d{2}-\\d{2}/${MEMBER}-us-east-1-`));
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(16 * 1024);
    expect(org.management.published).toEqual([]); // notify false: the run sends the digest
  });
});
