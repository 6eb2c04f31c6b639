/**
 * Credentials in member accounts, through the SDK's fromTemporaryCredentials against a simulated
 * organization: one AssumeRole per account for every client and region, a session name naming the
 * run, the auditor's own account untouched, and a missing role surfacing as one clear error.
 */
import { ListBackupVaultsCommand } from '@aws-sdk/client-backup';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { collectFindings } from '../lambda/shared/audit-region';
import { UNLIMITED_BUDGET } from '../lambda/shared/budget';
import {
  accountClientFactory,
  MemberCredentials,
  MemberRoleError,
  memberRoleArn,
  sessionNameFor,
} from '../lambda/shared/org/member-credentials';
import { UNLIMITED_RATES } from '../lambda/shared/pacing';
import { SIM_CREDENTIALS, SimulatedAccount, SimulatedOrganization } from '../sim';

const HOME_REGION = 'us-east-1';
const MANAGEMENT = '111111111111';
const MEMBER = '444455556666';
const NO_ROLE = '777788889999';
const ROLE = 'DynamoDbBackupAuditorMember';
const RUN_ID = '20261128T060000Z-3f2a9c1e';

function organization(rateLimits: Record<string, number> = {}) {
  const org = new SimulatedOrganization({
    management: new SimulatedAccount({ accountId: MANAGEMENT }),
    rateLimits: { AssumeRole: Infinity, ...rateLimits },
  });
  org.management.addTable('eu-west-1', 'management-table');
  const member = org.addAccount(new SimulatedAccount({ accountId: MEMBER }), { roles: [ROLE] });
  member.addTable('eu-west-1', 'member-eu');
  member.addTable('ap-southeast-2', 'member-ap');
  org.addAccount(new SimulatedAccount({ accountId: NO_ROLE })).addTable('eu-west-1', 'unreachable');
  return org;
}

function credentialsFor(org: SimulatedOrganization, retryDelayMs = 5) {
  return new MemberCredentials({
    homeAccountId: MANAGEMENT,
    partition: 'aws',
    roleName: ROLE,
    sessionName: sessionNameFor(RUN_ID),
    stsClientConfig: {
      region: HOME_REGION,
      credentials: SIM_CREDENTIALS,
      retryStrategy: new ConfiguredRetryStrategy(10, () => retryDelayMs),
    },
    stsClientPlugins: [org.pluginForRegion(HOME_REGION)],
  });
}

const clientsOf = (org: SimulatedOrganization, credentials: MemberCredentials) =>
  accountClientFactory(credentials, { maxAttempts: 2, credentials: SIM_CREDENTIALS }, (client) =>
    org.attach(client),
  );

describe('member account credentials', () => {
  it('assumes the member role once for every client and region of the account, under the run name', async () => {
    const org = organization();
    const clients = clientsOf(org, credentialsFor(org));

    const eu = await clients(MEMBER, 'eu-west-1').dynamodb.send(new ListTablesCommand({}));
    const ap = await clients(MEMBER, 'ap-southeast-2').dynamodb.send(new ListTablesCommand({}));
    const findings = await collectFindings(clients(MEMBER, 'eu-west-1'), {
      region: 'eu-west-1',
      accountId: MEMBER,
      rates: UNLIMITED_RATES,
      budget: UNLIMITED_BUDGET,
    });

    expect(eu.TableNames).toEqual(['member-eu']);
    expect(ap.TableNames).toEqual(['member-ap']);
    expect(findings.findings.map((f) => f.tableArn)).toEqual([
      `arn:aws:dynamodb:eu-west-1:${MEMBER}:table/member-eu`,
    ]);
    expect(org.assumed).toEqual([
      {
        accountId: MEMBER,
        roleName: ROLE,
        sessionName: `dynamodb-backup-audit-${RUN_ID}`,
        accessKeyId: expect.stringMatching(/^ASIA/),
      },
    ]);
    expect(org.callCount('AssumeRole')).toBe(1);
  });

  it("audits the auditor's own account with its own credentials, assuming nothing", async () => {
    const org = organization();
    const credentials = credentialsFor(org);

    const tables = await clientsOf(org, credentials)(MANAGEMENT, 'eu-west-1').dynamodb.send(
      new ListTablesCommand({}),
    );

    expect(credentials.for(MANAGEMENT)).toBeUndefined();
    expect(tables.TableNames).toEqual(['management-table']);
    expect(org.callCount('AssumeRole')).toBe(0);
  });

  it('a missing role fails every call of that account with one clear error, after one AssumeRole', async () => {
    const org = organization();
    const clients = clientsOf(org, credentialsFor(org));

    const first = await clients(NO_ROLE, 'eu-west-1')
      .dynamodb.send(new ListTablesCommand({}))
      .catch((e: unknown) => e);
    const second = await clients(NO_ROLE, 'ap-southeast-2')
      .backup.send(new ListBackupVaultsCommand({}))
      .catch((e: unknown) => e);

    expect(first).toBeInstanceOf(MemberRoleError);
    expect((first as Error).message).toBe(
      `cannot assume arn:aws:iam::${NO_ROLE}:role/${ROLE}: AccessDenied: User: ` +
        `arn:aws:sts::${MANAGEMENT}:assumed-role/dynamodb-backup-auditor/simulated-session is not authorized ` +
        `to perform: sts:AssumeRole on resource: arn:aws:iam::${NO_ROLE}:role/${ROLE}`,
    );
    expect(first).toMatchObject({ accountId: NO_ROLE, roleArn: `arn:aws:iam::${NO_ROLE}:role/${ROLE}` });
    expect(second).toBe(first);
    expect(org.callCount('AssumeRole')).toBe(1);
    expect(org.account(NO_ROLE).callCount()).toBe(0);
  });

  it("the region's audit reports the missing role as the reason its tables could not be listed", async () => {
    const org = organization();
    const clients = clientsOf(org, credentialsFor(org));

    const audit = collectFindings(clients(NO_ROLE, 'eu-west-1'), {
      region: 'eu-west-1',
      accountId: NO_ROLE,
      rates: UNLIMITED_RATES,
      budget: UNLIMITED_BUDGET,
    });

    await expect(audit).rejects.toThrow(`cannot assume arn:aws:iam::${NO_ROLE}:role/${ROLE}: AccessDenied`);
  });

  it('rides out AssumeRole throttling through the STS client retries, each account assumed once', async () => {
    const org = organization({ AssumeRole: 2 });
    const accounts = Array.from({ length: 6 }, (_, i) => String(500000000000 + i));
    for (const id of accounts) org.addAccount(new SimulatedAccount({ accountId: id }), { roles: [ROLE] });
    org.timeScale = 0.2;
    const clients = clientsOf(org, credentialsFor(org, 100));

    const listed = await Promise.all(
      accounts.map((id) => clients(id, 'eu-west-1').dynamodb.send(new ListTablesCommand({}))),
    );

    expect(listed).toHaveLength(6);
    expect(org.callCount('AssumeRole', HOME_REGION, 'throttled')).toBeGreaterThan(0);
    expect(org.callCount('AssumeRole', HOME_REGION, 'ok')).toBe(6);
  });

  it('refuses an account id that is not 12 digits and a role name IAM would refuse', () => {
    const org = organization();

    expect(() => credentialsFor(org).for('4444')).toThrow('"4444" is not a 12-digit account id');
    expect(
      () =>
        new MemberCredentials({
          homeAccountId: MANAGEMENT,
          partition: 'aws',
          roleName: 'bad name',
          sessionName: 's1',
        }),
    ).toThrow('is not an IAM role name');
  });
});

describe('role ARN and session name', () => {
  it('builds the member role ARN in the partition of the home region', () => {
    expect(memberRoleArn('aws-cn', MEMBER, ROLE)).toBe(`arn:aws-cn:iam::${MEMBER}:role/${ROLE}`);
  });

  it('names the session after the run, within STS limits (2–64 of [\\w+=,.@-])', () => {
    const name = sessionNameFor('2026-11-28T06:00:00Z/an execution name that is long and has spaces');

    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(name.startsWith('dynamodb-backup-audit-2026-11-28T06-00-00Z-an-execution')).toBe(true);
    expect(sessionNameFor(RUN_ID)).toBe(`dynamodb-backup-audit-${RUN_ID}`);
  });
});
