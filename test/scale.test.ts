import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
/**
 * Audit at scale on the simulated account: call economy, pacing under the published rate limits,
 * throttling absorbed by retries, and the time budget. Real SDK v3 clients, simulated AWS.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { auditRegion } from '../lambda/audit/audit';
import { collectFindings, RegionClients } from '../lambda/shared/audit-region';
import { Budget, manualBudget, NOT_AUDITED_REASON, UNLIMITED_BUDGET } from '../lambda/shared/budget';
import { clientConfig } from '../lambda/shared/clients';
import { isUsable } from '../lambda/shared/rule';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { RemediationEvent } from '../lambda/shared/types';
import { buildScenario, FAULT_ERRORS, SCENARIO_TOPIC_NAME, SimulatedAccount } from '../sim';

const REGION = 'us-east-1';
const NOW = new Date('2026-11-28T06:00:00Z');
/** 1 simulated second = 50 real ms: rate windows and client pacing shrink alike. */
const TIME_SCALE = 0.05;

/** The product's client configuration (adaptive retry), attached to the simulated account. */
function clientsOf(
  sim: SimulatedAccount,
  extra: { retryStrategy?: ConfiguredRetryStrategy } = {},
): RegionClients {
  const config = { ...clientConfig(REGION), ...extra };
  return {
    dynamodb: sim.attach(new DynamoDBClient(config)),
    backup: sim.attach(new BackupClient(config)),
    tagging: sim.attach(new ResourceGroupsTaggingAPIClient(config)),
    securityhub: sim.attach(new SecurityHubClient(config)),
  };
}

function audit(sim: SimulatedAccount, clients: RegionClients, budget: Budget = UNLIMITED_BUDGET) {
  return collectFindings(clients, {
    region: REGION,
    accountId: sim.accountId,
    rates: DEFAULT_RATE_LIMITS,
    budget,
    timeScale: sim.timeScale,
  });
}

function nativeFacts(sim: SimulatedAccount) {
  const state = sim.regionState(REGION);
  const tables = sim.tableNames(REGION);
  const usable = new Set(
    state.backups.filter((b) => isUsable({ source: 'native', status: b.status })).map((b) => b.tableName),
  );
  return { T: tables.length, B: state.backups.length, K: tables.filter((t) => !usable.has(t)).length };
}

describe('audit at scale', () => {
  it('makes at most ceil(T/100) + ceil(B/100) + K calls (+ a small constant) and gets every table right', async () => {
    const sim = buildScenario({
      regions: [REGION],
      tablesPerRegion: 1000,
      seed: 11,
      now: NOW,
      sim: { timeScale: TIME_SCALE },
    });
    const { T, B, K } = nativeFacts(sim);

    const { findings } = await audit(sim, clientsOf(sim));

    const truth = sim.expectedStatuses(REGION);
    expect(findings.filter((f) => f.status !== truth[f.tableName])).toEqual([]);
    const lowerBound = Math.ceil(T / 100) + Math.ceil(B / 100) + K;
    const calls = sim.callCount(undefined, REGION);
    expect(calls).toBeLessThanOrEqual(1.1 * lowerBound);
    // ListTables and ListBackups: one call per page of 100 (plus the empty page after a full one).
    expect(sim.callCount('ListTables', REGION)).toBeLessThanOrEqual(Math.ceil(T / 100) + 1);
    expect(sim.callCount('ListBackups', REGION)).toBeLessThanOrEqual(Math.ceil(B / 100) + 1);
    // No per-table call where a listing answers: the vault listing beats K per-table look-ups.
    expect(sim.callCount('DescribeTable', REGION)).toBe(0);
    expect(sim.callCount('ListRecoveryPointsByResource', REGION)).toBe(0);
  });

  it('paces ListBackups under 5 calls a second, so the model never throttles it', async () => {
    const sim = buildScenario({
      regions: [REGION],
      tablesPerRegion: 1000,
      seed: 12,
      now: NOW,
      sim: { timeScale: TIME_SCALE },
    });

    await audit(sim, clientsOf(sim));

    expect(sim.callCount('ListBackups', REGION, 'ok')).toBeGreaterThan(10);
    expect(sim.callCount('ListBackups', REGION, 'throttled')).toBe(0);
  });

  it('slows down under throttling and still finishes with correct findings', async () => {
    const sim = buildScenario({
      regions: [REGION],
      tablesPerRegion: 300,
      seed: 13,
      now: NOW,
      sim: { throttleFirstCalls: 2, timeScale: TIME_SCALE },
    });

    const { findings } = await audit(sim, clientsOf(sim)); // the product's adaptive retry

    const truth = sim.expectedStatuses(REGION);
    expect(findings.filter((f) => f.status !== truth[f.tableName])).toEqual([]);
    expect(findings.filter((f) => /throttl/i.test(f.reason))).toEqual([]);
    expect(sim.callCount(undefined, REGION, 'throttled')).toBeGreaterThanOrEqual(2 * 3); // three APIs at least
  });

  it('reports a table as ERROR only once its throttled look-up has used every retry', async () => {
    const sim = new SimulatedAccount({ throttleFirstCalls: { ListRecoveryPointsByResource: 1000 } });
    sim.addTable(REGION, 'orders');
    sim.addNativeBackup(REGION, 'orders', { status: 'AVAILABLE' });
    sim.addTable(REGION, 'payments'); // needs AWS Backup: throttled every time
    const attempts = 4;

    const { findings } = await audit(
      sim,
      clientsOf(sim, { retryStrategy: new ConfiguredRetryStrategy(attempts, () => 1) }),
    );

    expect(findings.map((f) => [f.tableName, f.status])).toEqual([
      ['orders', 'COMPLIANT'],
      ['payments', 'ERROR'],
    ]);
    expect(findings[1]?.reason).toMatch(/AWS Backup backups could not be listed \(ThrottlingException/);
    expect(sim.callCount('ListRecoveryPointsByResource', REGION, 'throttled')).toBe(attempts);
  });

  it('publishes what it has when the time budget runs out, the rest as not audited', async () => {
    const sim = buildScenario({
      regions: [REGION],
      tablesPerRegion: 2000,
      seed: 14,
      now: NOW,
      sim: { timeScale: TIME_SCALE },
    });
    const topicArn = sim.addTopic(REGION, SCENARIO_TOPIC_NAME);
    // AWS Backup is asked table by table (the vaults cannot be listed), and the deadline passes after
    // 40 of those look-ups: deterministic, unlike a clock. Tables judged before it include failing ones.
    sim.inject({ operation: 'ListBackupVaults', times: Infinity, error: () => FAULT_ERRORS.accessDenied() });
    const budget = manualBudget(() => sim.callCount('ListRecoveryPointsByResource', REGION) >= 40);
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const handedOver: string[] = [];
    sim.registerFunction('remediate-fn', async (event) => {
      handedOver.push(...(event as RemediationEvent).tables.map((t) => t.tableArn));
      return { results: [] };
    });

    const { report } = await auditRegion(
      {
        clients: clientsOf(sim),
        sns: sim.client(SNSClient, { region: REGION }),
        lambda: sim.client(LambdaClient, { region: REGION }),
        logger,
        rates: DEFAULT_RATE_LIMITS,
        budget,
        timeScale: TIME_SCALE,
      },
      {
        region: REGION,
        accountId: sim.accountId,
        topicArn,
        autoRemediation: true,
        remediationFunctionName: 'remediate-fn',
      },
    );

    expect(sim.callCount('ListRecoveryPointsByResource', REGION)).toBeLessThan(60);
    const notAudited = report.findings.filter((f) => f.reason === NOT_AUDITED_REASON);
    expect(report.summary.tables).toBe(2000);
    expect(notAudited.length).toBeGreaterThan(0);
    expect(notAudited.every((f) => f.status === 'ERROR')).toBe(true);
    // What it reached is still judged, and judged right; nothing unaudited is remediated.
    const truth = sim.expectedStatuses(REGION);
    const judged = report.findings.filter((f) => f.status !== 'ERROR');
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.filter((f) => f.status !== truth[f.tableName])).toEqual([]);
    await sim.drain();
    const nonCompliant = report.findings.filter((f) => f.status === 'NON_COMPLIANT').map((f) => f.tableArn);
    expect(nonCompliant.length).toBeGreaterThan(0);
    expect(report.remediationRequested).toBe(nonCompliant.length);
    expect(handedOver.sort()).toEqual(nonCompliant.sort());
    expect(handedOver.filter((arn) => notAudited.some((f) => f.tableArn === arn))).toEqual([]);
    expect(sim.published).toHaveLength(1);
    expect(JSON.parse(sim.published[0]?.message ?? '{}').email).toContain(NOT_AUDITED_REASON);
  });
});
