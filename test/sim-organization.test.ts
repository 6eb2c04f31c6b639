/**
 * The simulated organization: STS AssumeRole hands out credentials that route to the member account,
 * a missing role is AccessDenied as STS words it, ListAccounts pages (with empty pages) from the
 * management account only, and both services throttle at their modelled rates with the errors the
 * SDK retries.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { SIM_CREDENTIALS, SimulatedAccount, SimulatedOrganization } from '../sim';

const REGION = 'us-east-1';
const MANAGEMENT = '111111111111';
const MEMBER = '444455556666';
const ROLE = 'DynamoDbBackupAuditorMember';
const roleArn = (accountId: string, role = ROLE) => `arn:aws:iam::${accountId}:role/${role}`;
const fastRetries = (maxAttempts: number) => new ConfiguredRetryStrategy(maxAttempts, () => 5);

function organization(options: Partial<ConstructorParameters<typeof SimulatedOrganization>[0]> = {}) {
  const org = new SimulatedOrganization({
    management: new SimulatedAccount({ accountId: MANAGEMENT }),
    ...options,
  });
  const member = org.addAccount(new SimulatedAccount({ accountId: MEMBER }), { roles: [ROLE] });
  member.addTable('eu-west-1', 'member-orders');
  org.management.addTable('eu-west-1', 'management-orders');
  return { org, member };
}

const sts = (org: SimulatedOrganization, maxAttempts = 1) =>
  org.client(STSClient, { region: REGION, retryStrategy: fastRetries(maxAttempts) });
const organizations = (org: SimulatedOrganization, maxAttempts = 1, credentials = SIM_CREDENTIALS) =>
  org.client(OrganizationsClient, { region: REGION, credentials, retryStrategy: fastRetries(maxAttempts) });

async function assume(org: SimulatedOrganization, accountId: string, role = ROLE) {
  const out = await sts(org).send(
    new AssumeRoleCommand({ RoleArn: roleArn(accountId, role), RoleSessionName: 'run-1' }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function everyAccount(client: OrganizationsClient): Promise<Account[]> {
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client, pageSize: 20 }, {}))
    accounts.push(...(page.Accounts ?? []));
  return accounts;
}

describe('SimulatedOrganization: STS AssumeRole', () => {
  it('hands out credentials whose calls the member account answers', async () => {
    const { org } = organization();
    const credentials = await assume(org, MEMBER);

    const ddb = org.client(DynamoDBClient, { region: 'eu-west-1', credentials });
    const tables = await ddb.send(new ListTablesCommand({}));
    const identity = await org
      .client(STSClient, { region: REGION, credentials })
      .send(new GetCallerIdentityCommand({}));

    expect(tables.TableNames).toEqual(['member-orders']);
    expect(identity.Account).toBe(MEMBER);
    expect(org.assumed).toEqual([
      expect.objectContaining({ accountId: MEMBER, roleName: ROLE, sessionName: 'run-1' }),
    ]);
  });

  it('answers calls signed with the default credentials from the management account', async () => {
    const { org } = organization();

    const tables = await org.client(DynamoDBClient, { region: 'eu-west-1' }).send(new ListTablesCommand({}));

    expect(tables.TableNames).toEqual(['management-orders']);
  });

  it('refuses a missing role with AccessDenied, worded as STS words it', async () => {
    const { org } = organization();

    const error = await assume(org, MEMBER, 'SomeOtherRole').catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'AccessDenied',
      message:
        `User: arn:aws:sts::${MANAGEMENT}:assumed-role/dynamodb-backup-auditor/simulated-session is not ` +
        `authorized to perform: sts:AssumeRole on resource: ${roleArn(MEMBER, 'SomeOtherRole')}`,
      $metadata: expect.objectContaining({ httpStatusCode: 403 }),
    });
    expect(org.assumed).toEqual([]);
  });

  it('refuses a role of an account outside the organization or not ACTIVE', async () => {
    const { org } = organization();
    org.addAccount(new SimulatedAccount({ accountId: '777777777777' }), {
      roles: [ROLE],
      state: 'SUSPENDED',
    });

    await expect(assume(org, '999999999999')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume(org, '777777777777')).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses a removed role', async () => {
    const { org } = organization();
    org.removeRole(MEMBER, ROLE);

    await expect(assume(org, MEMBER)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('validates the session name as STS does (2–64 characters of [\\w+=,.@-])', async () => {
    const { org } = organization();
    const send = (RoleSessionName: string) =>
      sts(org).send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName }));

    await expect(send('x')).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(send('run 1')).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("at 'roleSessionName'"),
    });
    await expect(send('a'.repeat(65))).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(send('ok+=,.@-_1')).resolves.toBeDefined();
  });

  it('refuses credentials nobody issued', async () => {
    const { org } = organization();
    const ddb = org.client(DynamoDBClient, {
      region: 'eu-west-1',
      credentials: { accessKeyId: 'ASIAFORGED0000000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    });

    await expect(ddb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it('throttles AssumeRole over its rate with STS Throttling, which the SDK retries', async () => {
    const { org } = organization({ rateLimits: { AssumeRole: 2 } });
    const once = () =>
      sts(org).send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'run-1' }));
    await once();
    await once();

    await expect(once()).rejects.toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });

    const retried = org.client(STSClient, {
      region: REGION,
      retryStrategy: new ConfiguredRetryStrategy(10, () => 300),
    });
    await expect(
      retried.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'run-1' })),
    ).resolves.toBeDefined();
    expect(org.callCount('AssumeRole', REGION, 'throttled')).toBeGreaterThanOrEqual(2);
  });

  it('a plain account, in no organization, has no role to assume', async () => {
    const sim = new SimulatedAccount({ accountId: MANAGEMENT });
    const client = sim.client(STSClient, { region: REGION, maxAttempts: 1 });

    await expect(
      client.send(new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'run-1' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('SimulatedOrganization: Organizations ListAccounts', () => {
  function bigOrganization(options: { emptyPages?: boolean } = {}) {
    const org = new SimulatedOrganization({
      management: new SimulatedAccount({ accountId: MANAGEMENT }),
      rateLimits: { ListAccounts: Infinity },
      ...options,
    });
    for (let i = 0; i < 44; i++) {
      const id = String(200000000000 + i);
      org.addAccount(new SimulatedAccount({ accountId: id }), {
        state: i % 11 === 3 ? 'SUSPENDED' : 'ACTIVE',
      });
    }
    return org;
  }

  it('returns every account, in every state, at most 20 a page', async () => {
    const org = bigOrganization();
    const client = organizations(org);
    const sizes: number[] = [];

    const accounts: Account[] = [];
    for await (const page of paginateListAccounts({ client, pageSize: 20 }, {})) {
      sizes.push(page.Accounts?.length ?? 0);
      accounts.push(...(page.Accounts ?? []));
    }

    expect(sizes).toEqual([20, 20, 5]);
    expect(accounts).toHaveLength(45);
    expect(accounts[0]).toMatchObject({
      Id: MANAGEMENT,
      State: 'ACTIVE',
      Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-a1b2c3d4e5/${MANAGEMENT}`,
    });
    expect(accounts.filter((a) => a.State === 'SUSPENDED')).toHaveLength(4);
  });

  it('with empty pages, the first page is empty and still carries a NextToken', async () => {
    const org = bigOrganization({ emptyPages: true });
    const client = organizations(org);

    const first = await client.send(new ListAccountsCommand({ MaxResults: 20 }));
    const all = await everyAccount(client);

    expect(first.Accounts).toEqual([]);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(all).toHaveLength(45);
    expect(org.callCount('ListAccounts')).toBe(1 + 6);
  });

  it('refuses MaxResults above 20 and a malformed NextToken', async () => {
    const client = organizations(bigOrganization());

    await expect(client.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new ListAccountsCommand({ NextToken: 'bogus' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'INVALID_NEXT_TOKEN',
    });
  });

  it('answers only the management account', async () => {
    const { org } = organization();
    const memberCredentials = await assume(org, MEMBER);

    await expect(
      organizations(org, 1, memberCredentials).send(new ListAccountsCommand({})),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('throttles over its rate with TooManyRequestsException, which the SDK retries', async () => {
    const org = new SimulatedOrganization({
      management: new SimulatedAccount({ accountId: MANAGEMENT }),
      rateLimits: { ListAccounts: 1 },
      timeScale: 0.05,
    });
    const client = org.client(OrganizationsClient, {
      region: REGION,
      retryStrategy: new ConfiguredRetryStrategy(10, () => 20),
    });

    await client.send(new ListAccountsCommand({}));
    await expect(organizations(org).send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    await expect(client.send(new ListAccountsCommand({}))).resolves.toMatchObject({
      Accounts: [expect.anything()],
    });
    expect(org.callCount('ListAccounts', REGION, 'throttled')).toBeGreaterThanOrEqual(2);
  });

  it('a plain account is in no organization', async () => {
    const sim = new SimulatedAccount({ accountId: MANAGEMENT });

    await expect(
      sim.client(OrganizationsClient, { region: REGION, maxAttempts: 1 }).send(new ListAccountsCommand({})),
    ).rejects.toBeInstanceOf(AWSOrganizationsNotInUseException);
  });
});
