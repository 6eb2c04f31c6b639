import { demoEnvironment, DEMO_MEMBER_ACCOUNTS, simulatedEnvironment } from '../cli/demo';
import { parseCliArgs, UsageError } from '../cli/args';
import { runCli } from '../cli/run';
import { AuditReport } from '../lambda/shared/types';
import { SimulatedAccount, SimulatedOrganization } from '../sim';
import { captureIo } from './support/cli-io';

const NOW = new Date('2026-12-01T09:30:00Z');
const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const NO_ROLE = '333333333333';
const SUSPENDED = '444444444444';

const capture = (stdoutTTY = false) => captureIo({ stdoutTTY, now: () => NOW });

/**
 * Management (orders, backed up) and three more accounts: MEMBER with the member role (payments,
 * no backup), NO_ROLE without it, SUSPENDED (never listed for `organization`).
 */
function organization(roleName = 'DynamoDbBackupAuditorMember') {
  const account = (accountId: string) => {
    const sim = new SimulatedAccount({ accountId, backupCompletesAfterMs: 0 });
    sim.addTable('eu-west-1', 'orders');
    sim.addNativeBackup('eu-west-1', 'orders', { status: 'AVAILABLE' });
    return sim;
  };
  const management = account(MANAGEMENT);
  const org = new SimulatedOrganization({ management });
  const member = org.addAccount(account(MEMBER), { roles: [roleName] });
  member.addTable('eu-west-1', 'payments');
  org.addAccount(account(NO_ROLE));
  org.addAccount(account(SUSPENDED), { roles: [roleName], state: 'SUSPENDED' });
  return { org, management, member, env: simulatedEnvironment(org) };
}

const reportsOf = (out: string) => JSON.parse(out) as AuditReport[];

describe('CLI --accounts and --role-name (arguments)', () => {
  it('reads "organization", a comma-separated list of account ids, and a role name', () => {
    expect(parseCliArgs([]).accounts).toBeUndefined();
    expect(parseCliArgs([]).roleName).toBe('DynamoDbBackupAuditorMember');
    expect(parseCliArgs(['--accounts', 'Organization']).accounts).toBe('organization');
    expect(parseCliArgs(['--accounts', ' 222222222222, 333333333333,222222222222 ']).accounts).toEqual([
      '222222222222',
      '333333333333',
    ]);
    expect(parseCliArgs(['--role-name', 'Audit.Reader@team']).roleName).toBe('Audit.Reader@team');
  });

  it.each([
    [['--accounts', '12345'], /"12345" is not a 12-digit account id/],
    [['--accounts', 'arn:aws:iam::222222222222:root'], /is not a 12-digit account id/],
    [['--accounts', ' , '], /needs "organization" or at least one account id/],
    [['--role-name', 'a/b'], /is not an IAM role name/],
    [['--role-name', 'r'.repeat(65)], /is not an IAM role name/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('CLI --accounts (simulated organization)', () => {
  it('audits every ACTIVE account of the organization through the member role; an account without it is reported and fails the run', async () => {
    const { org, env } = organization();
    const c = capture();

    const code = await runCli(['--accounts', 'organization', '--regions', 'eu-west-1'], c.io, () => env);

    expect(code).toBe(1);
    const reports = reportsOf(c.out());
    expect(reports.map((r) => r.accountId)).toEqual([MANAGEMENT, MEMBER]);
    expect(reports[1]?.findings.map((f) => [f.tableArn, f.status])).toEqual([
      [`arn:aws:dynamodb:eu-west-1:${MEMBER}:table/orders`, 'COMPLIANT'],
      [`arn:aws:dynamodb:eu-west-1:${MEMBER}:table/payments`, 'NON_COMPLIANT'],
    ]);
    expect(c.err()).toMatch(
      new RegExp(`${NO_ROLE}: account not audited: .*not authorized to perform: sts:AssumeRole`),
    );
    expect(c.err()).not.toContain(SUSPENDED);
    // One AssumeRole per other account, with a session name that says who assumed it.
    expect(org.assumed.map((a) => a.accountId)).toEqual([MEMBER]);
    expect(org.assumed[0]?.sessionName).toBe('dynamodb-backup-audit-cli-20261201T093000Z');
  });

  it('audits the listed accounts only, in the named role, and names the account of every row', async () => {
    const { env } = organization('SecurityAudit');
    const c = capture(true);

    const code = await runCli(
      ['--accounts', MEMBER, '--role-name', 'SecurityAudit', '--regions', 'eu-west-1'],
      c.io,
      () => env,
    );

    expect(code).toBe(1);
    expect(c.out()).toMatch(/^REGION\s+TABLE/);
    expect(c.out()).toContain('payments');
    expect(c.out()).toContain(`eu-west-1 (account ${MEMBER})`);
    expect(c.out()).not.toContain(`account ${MANAGEMENT}`);
  });

  it('adds an ACCOUNT column when the table shows several accounts', async () => {
    const { env } = organization();
    const c = capture(true);

    await runCli(['--accounts', `${MANAGEMENT},${MEMBER}`, '--regions', 'eu-west-1'], c.io, () => env);

    const [header, ...rows] = c.out().split('\n');
    expect(header).toMatch(/^ACCOUNT\s+REGION\s+TABLE/);
    expect(rows.some((row) => row.startsWith(`${MEMBER}  eu-west-1  payments`))).toBe(true);
  });

  it('passes when every audited account passes, and leaves the other accounts alone', async () => {
    const { org, member, env } = organization();
    member.addNativeBackup('eu-west-1', 'payments', { status: 'AVAILABLE' });
    const c = capture();

    const code = await runCli(['--accounts', MEMBER, '--regions', 'eu-west-1'], c.io, () => env);

    expect(code).toBe(0);
    expect(reportsOf(c.out()).map((r) => r.accountId)).toEqual([MEMBER]);
    expect(org.assumed.map((a) => a.accountId)).toEqual([MEMBER]);
  });

  it('creates the missing backup in the member account with --remediate --yes, and nowhere else', async () => {
    const { management, member, env } = organization();
    const c = capture();

    await runCli(
      ['--accounts', 'organization', '--regions', 'eu-west-1', '--remediate', '--yes'],
      c.io,
      () => env,
    );

    expect(c.err()).toMatch(new RegExp(`${MEMBER} +eu-west-1 +payments +-> +payments-autobackup-`));
    expect(c.err()).toMatch(
      new RegExp(`CREATED +arn:aws:dynamodb:eu-west-1:${MEMBER}:table/payments -> payments-autobackup-`),
    );
    expect(member.callCount('CreateBackup')).toBe(1);
    expect(management.callCount('CreateBackup')).toBe(0);
    expect(member.expectedStatus('eu-west-1', 'payments')).toBe('COMPLIANT');
  });

  it('--demo --accounts organization audits the demo organization: one account reached, one without the role', async () => {
    const c = capture();

    const code = await runCli(['--demo', '--accounts', 'organization', '--regions', 'eu-west-1'], c.io, () =>
      demoEnvironment(NOW),
    );

    expect(code).toBe(1);
    const [withRole, withoutRole] = DEMO_MEMBER_ACCOUNTS;
    expect(reportsOf(c.out()).map((r) => r.accountId)).toEqual(['123456789012', withRole]);
    expect(c.err()).toContain(`${withoutRole}: account not audited:`);
    expect(c.err()).toContain(`digest for ${withRole} eu-west-1`);
  });
});
