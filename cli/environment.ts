/** Where the CLI's AWS calls go: your account through your credentials, or the demo's simulated account. */
import { AccountClient } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import {
  LoadedConfigSelectors,
  loadConfig,
  memoize,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
} from '@smithy/core/config';
import { listEnabledRegions } from '../lambda/shared/enabled-regions';
import { RegionClients } from '../lambda/shared/audit-region';
import { ClientOptions, clientConfig, regionalClientFactory } from '../lambda/shared/clients';
import { listOrganizationAccounts } from '../lambda/shared/org/list-accounts';
import {
  accountClientFactory,
  MemberAccess,
  MemberCredentials,
} from '../lambda/shared/org/member-credentials';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../lambda/shared/pacing';

export interface CliEnvironment {
  /** Shown to the user: which account this is. */
  label: string;
  accountId(): Promise<string>;
  /** Regions audited without --regions: the profile's or AWS_REGION's region (none when unset). */
  defaultRegions(): Promise<string[]>;
  enabledRegions(): Promise<string[]>;
  clientsFor(region: string): RegionClients;
  /** The S3 client that writes `--output-s3` reports into `bucket`. */
  reportClient(bucket: string): S3Client;
  /** `--accounts organization`: the ACTIVE accounts of your AWS Organization (every page). */
  organizationAccounts(): Promise<string[]>;
  /**
   * Other accounts, through their role `roleName` (assumed once per account, session `sessionName`),
   * with STS called in `stsRegion`.
   */
  memberAccounts(access: MemberAccess & { stsRegion: string }): MemberAccounts;
  rates: RateLimits;
  /** Also print the email and Slack texts the deployed stack would send (the demo). */
  showNotifications?: boolean;
}

/** The accounts other than yours: their clients, through their role. */
export interface MemberAccounts {
  /** Assumes the account's role; rejects with the reason when it cannot. */
  access(accountId: string): Promise<void>;
  clientsFor(accountId: string, region: string): RegionClients;
}

/** Member accounts through `credentials` (one AssumeRole per account), clients built with `options`. */
export function memberAccountsOf(
  credentials: MemberCredentials,
  options: ClientOptions,
  attach?: Parameters<typeof accountClientFactory>[2],
): MemberAccounts {
  const clientsFor = accountClientFactory(credentials, options, attach);
  return {
    access: async (accountId) => {
      await credentials.for(accountId)?.();
    },
    clientsFor,
  };
}

/** An error in reaching AWS at all: no credentials, expired session, unknown profile. */
export class CredentialError extends Error {
  override name = 'CredentialError';
}

/** Credentials of a named profile, resolved once and shared by every client until they near expiry. */
function profileCredentials(profile: string) {
  return memoize(
    fromIni({ profile }),
    (c) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < 5 * 60_000,
    (c) => c.expiration !== undefined,
  );
}

/**
 * Your AWS account. With a profile, every client gets that profile's credentials explicitly
 * (`fromIni`), so access keys or AWS_PROFILE in the environment neither win over it nor make the
 * SDK's default chain warn about several credential sources. Without one, the SDK's default chain.
 */
export function awsEnvironment(profile: string | undefined): CliEnvironment {
  const credentials = profile ? profileCredentials(profile) : undefined;
  const options: ClientOptions = credentials ? { credentials } : {};
  const clientsFor = regionalClientFactory(options);
  let s3Client: S3Client | undefined;
  let regionOnce: Promise<string | undefined> | undefined;
  const region = () => (regionOnce ??= configuredRegion(profile));
  const couldNotUse = (error: unknown) =>
    new CredentialError(
      `Could not use ${profile ? `profile "${profile}"` : 'your AWS credentials'}: ${error instanceof Error ? error.message : String(error)}`,
    );
  return {
    label: profile ? `AWS profile ${profile}` : 'your AWS credentials',
    async accountId() {
      // A profile's credentials first: an unknown profile fails here, before any AWS call.
      if (credentials) {
        try {
          await credentials();
        } catch (error) {
          throw couldNotUse(error);
        }
      }
      const stsRegion = (await region()) ?? 'us-east-1';
      try {
        const sts = new STSClient(clientConfig(stsRegion, { ...options, maxAttempts: 3 }));
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
        return identity.Account;
      } catch (error) {
        throw couldNotUse(error);
      }
    },
    async defaultRegions() {
      const configured = await region();
      return configured ? [configured] : [];
    },
    async enabledRegions() {
      const accountRegion = (await region()) ?? 'us-east-1';
      return listEnabledRegions(new AccountClient(clientConfig(accountRegion, options)));
    },
    clientsFor,
    reportClient: () =>
      // The bucket may be in any region: the client follows S3's redirect to it.
      (s3Client ??= new S3Client({
        ...clientConfig(undefined, options),
        region: async () => (await region()) ?? 'us-east-1',
        followRegionRedirects: true,
      })),
    async organizationAccounts() {
      const listed = await listOrganizationAccounts(
        new OrganizationsClient(clientConfig((await region()) ?? 'us-east-1', options)),
      );
      return listed.active;
    },
    memberAccounts({ stsRegion, ...access }) {
      // AssumeRole with your (profile's) credentials, at STS's regional endpoint.
      const credentialsOf = new MemberCredentials({
        ...access,
        stsClientConfig: clientConfig(stsRegion, options),
      });
      return memberAccountsOf(credentialsOf, options);
    },
    rates: DEFAULT_RATE_LIMITS,
  };
}

/**
 * The region to audit by default, read as the SDK reads it (without asking a client for its
 * config). With a profile: its `region` setting, else AWS_REGION. Without: the SDK's own choice
 * (AWS_REGION, else the default or AWS_PROFILE profile's region, else the EC2 instance's).
 */
async function configuredRegion(profile: string | undefined): Promise<string | undefined> {
  const selectors: LoadedConfigSelectors<string | undefined> = profile
    ? {
        ...NODE_REGION_CONFIG_OPTIONS,
        environmentVariableSelector: () => undefined,
        default: () => process.env.AWS_REGION,
      }
    : NODE_REGION_CONFIG_OPTIONS;
  try {
    return (await loadConfig(selectors, { ...NODE_REGION_CONFIG_FILE_OPTIONS, profile })()) || undefined;
  } catch {
    return undefined; // "Region is missing"
  }
}
