/**
 * `--demo`: the whole flow against the simulated account the end-to-end tests use, so someone
 * without an AWS account sees what the tool finds, reports and sends. With `--accounts`, the demo
 * account is the management account of a simulated organization with two more accounts: one with
 * the member role, one without it.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { regionalClientFactory } from '../lambda/shared/clients';
import { listOrganizationAccounts } from '../lambda/shared/org/list-accounts';
import { DEFAULT_MEMBER_ROLE_NAME, MemberCredentials } from '../lambda/shared/org/member-credentials';
import { DEFAULT_RATE_LIMITS } from '../lambda/shared/pacing';
import { buildDemoAccount, SIM_CREDENTIALS, SimulatedOrganization } from '../sim';
import { CliEnvironment, memberAccountsOf } from './environment';

/** The demo organization's member accounts: the first has the member role, the second does not. */
export const DEMO_MEMBER_ACCOUNTS = ['444455556666', '777788889999'] as const;

export function demoEnvironment(now = new Date()): CliEnvironment {
  const sim = buildDemoAccount({ now });
  const org = new SimulatedOrganization({ management: sim });
  const [withRole, withoutRole] = DEMO_MEMBER_ACCOUNTS;
  org.addAccount(buildDemoAccount({ now, sim: { accountId: withRole, seed: 7 } }), {
    roles: [DEFAULT_MEMBER_ROLE_NAME],
  });
  org.addAccount(buildDemoAccount({ now, sim: { accountId: withoutRole, seed: 8 } }));
  return simulatedEnvironment(org);
}

/**
 * The CLI's view of a simulated organization: you are its management account; every client signs
 * with the simulated credentials, so no AWS credentials are needed on this machine.
 */
export function simulatedEnvironment(org: SimulatedOrganization): CliEnvironment {
  const sim = org.management;
  const reportRegion = sim.enabledRegions[0] ?? 'us-east-1';
  const options = { credentials: SIM_CREDENTIALS };
  return {
    label: `the simulated demo account ${sim.accountId}`,
    accountId: async () => sim.accountId,
    defaultRegions: async () => [...sim.enabledRegions],
    enabledRegions: async () => [...sim.enabledRegions],
    clientsFor: regionalClientFactory(options, (client) => org.attach(client)),
    // `--output-s3` writes into the simulated account: whatever bucket is named exists there.
    reportClient: (bucket) => {
      sim.addBucket(reportRegion, bucket);
      return sim.client(S3Client, { region: reportRegion });
    },
    organizationAccounts: async () =>
      (await listOrganizationAccounts(org.client(OrganizationsClient, { region: reportRegion }))).active,
    memberAccounts: ({ stsRegion, ...access }) =>
      memberAccountsOf(
        new MemberCredentials({
          ...access,
          stsClientConfig: { region: stsRegion, ...options },
          stsClientPlugins: [org.pluginForRegion(stsRegion)],
        }),
        options,
        (client) => org.attach(client),
      ),
    rates: DEFAULT_RATE_LIMITS,
    showNotifications: true,
  };
}
