import { demoEnvironment } from '../cli/demo';
import { runCli } from '../cli/run';
import { AuditReport } from '../lambda/shared/types';
import { captureIo } from './support/cli-io';

const capture = (stdoutTTY = false) => captureIo({ stdoutTTY });

describe('CLI --demo (simulated account, no AWS needed)', () => {
  it('audits every demo region, prints the report and the email and Slack texts, and exits 1', async () => {
    const c = capture();

    const code = await runCli(['--demo'], c.io, () => demoEnvironment());

    expect(code).toBe(1);
    const reports = JSON.parse(c.out()) as AuditReport[];
    expect(reports.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    const statuses = new Set(reports.flatMap((r) => r.findings.map((f) => f.status)));
    expect(statuses).toEqual(new Set(['COMPLIANT', 'NON_COMPLIANT', 'EXEMPT']));
    // JSON on stdout stays machine-readable: the notification texts go to stderr.
    expect(c.err()).toContain('Subject: DynamoDB-005:');
    expect(c.err()).toContain('Slack, via AWS Chatbot');
    expect(c.err()).toContain('aws dynamodb create-backup --region us-east-1 --table-name sessions-cache');
  });

  it('prints the readable table and the notifications on stdout for a terminal, without repeating summaries', async () => {
    const c = capture(true);

    await runCli(['--demo', '--regions', 'eu-west-1'], c.io, () => demoEnvironment());

    expect(c.out()).toMatch(/^REGION\s+TABLE/);
    expect(c.out()).toContain('Email (digest for eu-west-1)');
    expect(c.out().match(/eu-west-1 \(account 123456789012\): 7 tables/g)).toHaveLength(1);
    expect(c.err()).toBe('');
  });

  it('creates the missing backups with --remediate --yes and shows the remediation summary', async () => {
    const c = capture();

    await runCli(['--demo', '--regions', 'us-east-1', '--remediate', '--yes'], c.io, () => demoEnvironment());

    expect(c.err()).toMatch(
      /CREATED +arn:aws:dynamodb:us-east-1:123456789012:table\/sessions-cache -> sessions-cache-autobackup-/,
    );
    // The table still being created and the one with a backup in progress are skipped, not failed.
    expect(c.err()).toMatch(/SKIPPED +\S+table\/customers-staging \(table is CREATING, not ACTIVE/);
    expect(c.err()).toMatch(
      /SKIPPED +\S+table\/inventory \(a backup of this table is already being created\)/,
    );
    expect(c.err()).toContain('Email (remediation summary)');
  });
});
