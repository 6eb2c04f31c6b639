/**
 * The CLI's `--output-s3 s3://bucket/prefix`: the stack's report layout, under the prefix, in a
 * simulated account.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { demoEnvironment } from '../cli/demo';
import { CliEnvironment } from '../cli/environment';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, runCli } from '../cli/run';
import { regionalClientFactory } from '../lambda/shared/clients';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { FindingLine, reportKeys } from '../lambda/shared/reports/report-writer';
import { AuditReport } from '../lambda/shared/types';
import { SimulatedAccount } from '../sim';
import { captureIo } from './support/cli-io';

const NOW = new Date('2026-11-28T09:30:00Z');

const capture = () => captureIo({ now: () => NOW });

function simulated(): { sim: SimulatedAccount; env: CliEnvironment; reportClients: string[] } {
  const sim = new SimulatedAccount();
  for (const region of ['eu-west-1', 'us-east-1']) {
    sim.addTable(region, 'orders');
    sim.addNativeBackup(region, 'orders', { status: 'AVAILABLE' });
  }
  sim.addBucket('eu-west-1', 'team-audits');
  const reportClients: string[] = [];
  const env: CliEnvironment = {
    label: 'simulated',
    accountId: async () => sim.accountId,
    defaultRegions: async () => ['eu-west-1'],
    enabledRegions: async () => ['eu-west-1', 'us-east-1'],
    clientsFor: regionalClientFactory({ maxAttempts: 1 }, (client) => sim.attach(client)),
    reportClient: (bucket) => {
      reportClients.push(bucket);
      return sim.client(S3Client, { region: 'eu-west-1', maxAttempts: 1 });
    },
    organizationAccounts: async () => {
      throw new Error('this test audits one account');
    },
    memberAccounts: () => {
      throw new Error('this test audits one account');
    },
    rates: UNLIMITED_RATES,
  };
  return { sim, env, reportClients };
}

describe('CLI --output-s3', () => {
  it('writes each region’s findings and report under the prefix, in the stack’s layout', async () => {
    const { sim, env } = simulated();
    const c = capture();

    const code = await runCli(
      ['--regions', 'eu-west-1,us-east-1', '--output-s3', 's3://team-audits/prod/dynamodb'],
      c.io,
      () => env,
    );

    expect(code).toBe(EXIT_OK);
    const reports = JSON.parse(c.out()) as AuditReport[];
    const objects = sim.objects('team-audits');
    const expectedKeys = reports.flatMap((r) => Object.values(reportKeys(r, 'prod/dynamodb/'))).sort();
    expect([...objects.keys()].sort()).toEqual(expectedKeys);
    for (const key of expectedKeys) {
      expect(key).toMatch(
        /^prod\/dynamodb\/(findings|reports)\/date=2026-11-28\/123456789012-(eu-west-1|us-east-1)-20261128T093000Z\.jsonl?$/,
      );
    }
    for (const report of reports) {
      const keys = reportKeys(report, 'prod/dynamodb/');
      expect(JSON.parse(objects.get(keys.report)?.body ?? '')).toEqual(report);
      const line = JSON.parse(objects.get(keys.findings)?.body.trim() ?? '') as FindingLine;
      expect(line).toEqual({ ...report.findings[0], accountId: sim.accountId, auditedAt: report.finishedAt });
    }
    expect(c.err()).toContain('2 reports written under s3://team-audits/prod/dynamodb/');
  });

  it.each([['team-audits/prod'], ['s3://Team_Audits/prod'], ['s3://team-audits//prod']])(
    'refuses --output-s3 %s as a usage error in one line, before any AWS call',
    async (uri) => {
      const { sim, env, reportClients } = simulated();
      const c = capture();

      const code = await runCli(['--output-s3', uri], c.io, () => env);

      expect(code).toBe(EXIT_USAGE);
      expect(c.err().trimEnd().split('\n')).toHaveLength(1);
      expect(c.err()).toMatch(/^dynamodb-backup-audit: --output-s3: .* \(see --help\)\n$/);
      expect(sim.callCount()).toBe(0);
      expect(reportClients).toEqual([]);
    },
  );

  it('says in one line that the report could not be written and exits 1, whatever --fail-on says', async () => {
    const { env } = simulated();
    const c = capture();

    const code = await runCli(
      ['--fail-on', 'never', '--output-s3', 's3://no-such-bucket/x'],
      c.io,
      () => env,
    );

    expect(code).toBe(EXIT_FINDINGS);
    const problems = c
      .err()
      .split('\n')
      .filter((line) => line.startsWith('dynamodb-backup-audit:'));
    expect(problems).toEqual([
      'dynamodb-backup-audit: eu-west-1: report not written (0 of 1 written): could not write s3://no-such-bucket/x/: NoSuchBucket: The specified bucket does not exist: no-such-bucket',
    ]);
  });

  it('writes into the demo’s simulated account with --demo', async () => {
    const c = capture();

    const code = await runCli(
      ['--demo', '--regions', 'eu-west-1', '--fail-on', 'never', '--output-s3', 's3://demo-audits'],
      c.io,
      () => demoEnvironment(NOW),
    );

    expect(code).toBe(EXIT_OK);
    expect(c.err()).toContain('1 report written under s3://demo-audits/');
  });
});
