/**
 * The audit policy through the whole regional audit, on the simulated account (real SDK clients):
 * which calls it makes (one tag listing, DescribeTable only for tables that would pass, AWS Backup
 * asked about stale tables), what each table becomes, what is remediated and what the digest says.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { auditRegion } from '../lambda/audit/audit';
import { collectFindings } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { regionalClientFactory } from '../lambda/shared/clients';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { AuditPolicy, DEFAULT_POLICY } from '../lambda/shared/policy/audit-policy';
import { EXEMPT_REASON_TAG, EXEMPT_UNTIL_TAG } from '../lambda/shared/policy/exemptions';
import { RemediationEvent } from '../lambda/shared/types';
import { FAULT_ERRORS, SCENARIO_TOPIC_NAME, SIM_CREDENTIALS, SimulatedAccount } from '../sim';

const REGION = 'eu-west-1';
const NOW = new Date();
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString().slice(0, 10);

function audit(sim: SimulatedAccount, policy: Partial<AuditPolicy> = {}) {
  const clientsFor = regionalClientFactory({ credentials: SIM_CREDENTIALS, maxAttempts: 3 }, (c) =>
    sim.attach(c),
  );
  return collectFindings(clientsFor(REGION), {
    region: REGION,
    accountId: sim.accountId,
    rates: UNLIMITED_RATES,
    budget: UNLIMITED_BUDGET,
    policy: { ...DEFAULT_POLICY, ...policy },
    now: NOW,
  });
}

const statuses = (findings: { tableName: string; status: string }[]) =>
  Object.fromEntries(findings.map((f) => [f.tableName, f.status]));

/** orders: fresh native; stale: native 30 days old; covered: stale native + fresh AWS Backup; bare: nothing. */
function accountWithAges(): SimulatedAccount {
  const sim = new SimulatedAccount();
  for (const name of ['orders', 'stale', 'covered', 'bare']) sim.addTable(REGION, name);
  sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE', createdAt: daysAgo(1) });
  sim.addNativeBackup(REGION, 'stale', { status: 'AVAILABLE', createdAt: daysAgo(30) });
  sim.addNativeBackup(REGION, 'covered', { status: 'AVAILABLE', createdAt: daysAgo(30) });
  sim.addRecoveryPoint(REGION, 'covered', { status: 'COMPLETED', createdAt: daysAgo(2) });
  return sim;
}

describe('audit policy, whole region on the simulated account', () => {
  it('asks AWS Backup about tables whose native backups are all too old, and judges age over both sources', async () => {
    const sim = accountWithAges();

    const { findings } = await audit(sim, { maxBackupAgeHours: 168 });

    expect(statuses(findings)).toEqual({
      bare: 'NON_COMPLIANT',
      covered: 'COMPLIANT',
      orders: 'COMPLIANT',
      stale: 'NON_COMPLIANT',
    });
    expect(findings.find((f) => f.tableName === 'stale')?.reason).toMatch(
      /^Newest usable backup is 30 days old/,
    );
  });

  it('with any age allowed, a 30-day-old backup passes and AWS Backup is asked only about the bare table', async () => {
    const sim = accountWithAges();

    const { findings } = await audit(sim);

    expect(statuses(findings)).toMatchObject({
      stale: 'COMPLIANT',
      covered: 'COMPLIANT',
      bare: 'NON_COMPLIANT',
    });
    expect(sim.callCount('ListRecoveryPointsByResource', REGION)).toBe(1);
  });

  it('reads exemptions with one tag listing and never a per-table tag call', async () => {
    const sim = new SimulatedAccount();
    for (const name of ['scratch', 'dev-orders', 'ended', 'malformed', 'fine', 'reasonless'])
      sim.addTable(REGION, name);
    sim.addNativeBackup(REGION, 'fine', { status: 'AVAILABLE' });
    sim.tagTable(REGION, 'scratch', { [EXEMPT_REASON_TAG]: 'scratch space', [EXEMPT_UNTIL_TAG]: inDays(5) });
    sim.tagTable(REGION, 'ended', { [EXEMPT_REASON_TAG]: 'migration', [EXEMPT_UNTIL_TAG]: inDays(-1) });
    sim.tagTable(REGION, 'malformed', { [EXEMPT_REASON_TAG]: 'migration', [EXEMPT_UNTIL_TAG]: 'soon' });
    sim.tagTable(REGION, 'fine', { [EXEMPT_REASON_TAG]: 'was scratch once' });
    sim.tagTable(REGION, 'reasonless', { [EXEMPT_UNTIL_TAG]: inDays(5) });

    const result = await audit(sim, { exemptPatterns: ['dev-*'] });

    expect(statuses(result.findings)).toEqual({
      'dev-orders': 'EXEMPT',
      ended: 'NON_COMPLIANT',
      fine: 'COMPLIANT',
      malformed: 'NON_COMPLIANT',
      reasonless: 'NON_COMPLIANT',
      scratch: 'EXEMPT',
    });
    const scratch = result.findings.find((f) => f.tableName === 'scratch');
    expect(scratch).toMatchObject({
      exemptUntil: inDays(5),
      reason: `Exempt until ${inDays(5)}: scratch space`,
    });
    expect(result.findings.find((f) => f.tableName === 'ended')?.reason).toMatch(/exemption ended/);
    expect(result.findings.find((f) => f.tableName === 'malformed')?.reason).toMatch(/"soon" is not a date/);
    expect(sim.callCount('GetResources', REGION)).toBe(1);
    expect(sim.callCount('ListTagsOfResource', REGION)).toBe(0);
  });

  it.each([
    [
      'denied',
      () => FAULT_ERRORS.accessDenied('not authorized to perform tag:GetResources'),
      /AccessDeniedException/,
    ],
  ])(
    'evaluates every table normally, and says so, when the tags cannot be read (%s)',
    async (_how, error, pattern) => {
      const sim = new SimulatedAccount();
      sim.addTable(REGION, 'scratch');
      sim.tagTable(REGION, 'scratch', { [EXEMPT_REASON_TAG]: 'scratch space' });
      sim.inject({ operation: 'GetResources', error, times: Infinity });

      const result = await audit(sim);

      expect(statuses(result.findings)).toEqual({ scratch: 'NON_COMPLIANT' });
      expect(result.exemptionsUnavailable).toMatch(pattern);
    },
  );

  it('evaluates every table normally when tag:GetResources is throttled past every retry', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: { GetResources: 100 } });
    sim.addTable(REGION, 'scratch');
    sim.tagTable(REGION, 'scratch', { [EXEMPT_REASON_TAG]: 'scratch space' });

    const result = await audit(sim);

    expect(statuses(result.findings)).toEqual({ scratch: 'NON_COMPLIANT' });
    expect(result.exemptionsUnavailable).toMatch(/ThrottledException/);
  });

  it('catches a re-created table on its predecessor’s native backups and recovery points, describing only passing tables', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'native-recreated', { createdAt: daysAgo(100) });
    sim.addNativeBackup(REGION, 'native-recreated', { status: 'AVAILABLE', createdAt: daysAgo(50) });
    sim.deleteTable(REGION, 'native-recreated');
    sim.addTable(REGION, 'native-recreated', { createdAt: daysAgo(3) });
    sim.addTable(REGION, 'vault-recreated', { createdAt: daysAgo(3) });
    sim.addRecoveryPoint(REGION, 'vault-recreated', { status: 'COMPLETED', createdAt: daysAgo(10) });
    sim.addTable(REGION, 'own', { createdAt: daysAgo(100) });
    sim.addNativeBackup(REGION, 'own', { status: 'AVAILABLE', createdAt: daysAgo(1) });
    sim.addTable(REGION, 'bare');

    const result = await audit(sim, { verifyTableIdentity: true });

    expect(statuses(result.findings)).toEqual({
      bare: 'NON_COMPLIANT',
      'native-recreated': 'NON_COMPLIANT',
      own: 'COMPLIANT',
      'vault-recreated': 'NON_COMPLIANT',
    });
    for (const name of ['native-recreated', 'vault-recreated'])
      expect(result.findings.find((f) => f.tableName === name)?.reason).toMatch(/re-created/);
    // The bare table would fail anyway: it is not described.
    expect(sim.callCount('DescribeTable', REGION)).toBe(3);
    expect(result.tablesDescribed).toBe(3);
  });

  it('passes the re-created table on its predecessor’s backups and describes nothing with identity checks off', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'recreated', { createdAt: daysAgo(100) });
    sim.addNativeBackup(REGION, 'recreated', { status: 'AVAILABLE', createdAt: daysAgo(50) });
    sim.deleteTable(REGION, 'recreated');
    sim.addTable(REGION, 'recreated', { createdAt: daysAgo(3) });

    const result = await audit(sim);

    expect(statuses(result.findings)).toEqual({ recreated: 'COMPLIANT' });
    expect(sim.callCount('DescribeTable', REGION)).toBe(0);
  });

  it('finds a re-created table compliant on a recovery point of its own when its native backups are its predecessor’s', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'recreated', { createdAt: daysAgo(100) });
    sim.addNativeBackup(REGION, 'recreated', { status: 'AVAILABLE', createdAt: daysAgo(50) });
    sim.deleteTable(REGION, 'recreated');
    sim.addTable(REGION, 'recreated', { createdAt: daysAgo(3) });
    sim.addRecoveryPoint(REGION, 'recreated', { status: 'COMPLETED', createdAt: daysAgo(1) });

    const result = await audit(sim, { verifyTableIdentity: true });

    expect(statuses(result.findings)).toEqual({ recreated: 'COMPLIANT' });
    expect(sim.callCount('ListRecoveryPointsByResource', REGION)).toBe(1);
  });
});

/** The Lambda's regional audit (remediation on, function `remediate-fn`) on the simulated account. */
function regionalAudit(sim: SimulatedAccount, topicArn: string, policy: AuditPolicy) {
  const clientsFor = regionalClientFactory({ credentials: SIM_CREDENTIALS }, (c) => sim.attach(c));
  return auditRegion(
    {
      clients: clientsFor(REGION),
      sns: sim.client(SNSClient, { region: REGION }),
      lambda: sim.client(LambdaClient, { region: REGION }),
      logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn() },
      rates: UNLIMITED_RATES,
      budget: UNLIMITED_BUDGET,
    },
    {
      region: REGION,
      accountId: sim.accountId,
      topicArn,
      autoRemediation: true,
      remediationFunctionName: 'remediate-fn',
      policy,
    },
  ).then((audit) => audit.report);
}

describe('audit policy in the regional audit: remediation and digest', () => {
  it('remediates stale tables, never exempt ones, and groups the digest by cause with ending exemptions', async () => {
    const sim = accountWithAges();
    sim.addTable(REGION, 'scratch');
    sim.tagTable(REGION, 'scratch', { [EXEMPT_REASON_TAG]: 'scratch', [EXEMPT_UNTIL_TAG]: inDays(3) });
    sim.addTable(REGION, 'broken');
    sim.addNativeBackup(REGION, 'broken', { status: 'CREATING' });
    const topicArn = sim.addTopic(REGION, SCENARIO_TOPIC_NAME);
    const handedOver: string[] = [];
    sim.registerFunction('remediate-fn', async (event) => {
      handedOver.push(...(event as RemediationEvent).tables.map((t) => t.tableArn.split('/').pop() ?? ''));
      return { results: [] };
    });

    const report = await regionalAudit(sim, topicArn, { ...DEFAULT_POLICY, maxBackupAgeHours: 168 });
    await sim.drain();

    expect(report.summary).toEqual({ tables: 6, compliant: 2, nonCompliant: 3, errors: 0, exempt: 1 });
    expect(handedOver.sort()).toEqual(['bare', 'broken', 'stale']);
    const email = JSON.parse(sim.published[0]?.message ?? '{}').email as string;
    const order = [
      'No backup at all (1)',
      'Only unusable backups (1)',
      'Newest usable backup too old (1)',
    ].map((h) => email.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(email).toContain(
      `EXEMPTIONS ENDING WITHIN 14 DAYS (1)\n- scratch (${REGION}): last exempt day ${inDays(3)}`,
    );
    expect(email).toContain('Policy: the newest usable backup must be at most 168 hours old.');
  });

  it('sends no digest for a region whose only problem tables are exempt', async () => {
    const sim = new SimulatedAccount();
    sim.addTable(REGION, 'scratch');
    sim.tagTable(REGION, 'scratch', { [EXEMPT_REASON_TAG]: 'scratch' });
    const topicArn = sim.addTopic(REGION, SCENARIO_TOPIC_NAME);

    const report = await regionalAudit(sim, topicArn, DEFAULT_POLICY);

    expect(report.summary.exempt).toBe(1);
    expect(report.remediationRequested).toBe(0);
    expect(sim.published).toHaveLength(0);
  });
});
