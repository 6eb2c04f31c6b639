/** Where the CLI's AWS calls go: your account through your credentials, or the demo's simulated account. */
import { AccountClient } from '@aws-sdk/client-account';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { listEnabledRegions } from '../lambda/audit/dispatch';
import { RegionClients } from '../lambda/shared/audit-region';
import { clientConfig, regionalClientFactory } from '../lambda/shared/clients';
import { DEFAULT_RATE_LIMITS, RateLimits } from '../lambda/shared/pacing';

export interface CliEnvironment {
  /** Shown to the user: which account this is. */
  label: string;
  accountId(): Promise<string>;
  /** Regions audited without --regions: the profile's or AWS_REGION's region (none when unset). */
  defaultRegions(): Promise<string[]>;
  enabledRegions(): Promise<string[]>;
  clientsFor(region: string): RegionClients;
  rates: RateLimits;
  /** Also print the email and Slack texts the deployed stack would send (the demo). */
  showNotifications?: boolean;
}

/** An error in reaching AWS at all: no credentials, expired session, unknown profile. */
export class CredentialError extends Error {
  override name = 'CredentialError';
}

export function awsEnvironment(profile: string | undefined): CliEnvironment {
  const options = profile ? { profile } : {};
  const clientsFor = regionalClientFactory(options);
  return {
    label: profile ? `AWS profile ${profile}` : 'your AWS credentials',
    async accountId() {
      const region = (await configuredRegion(profile)) ?? 'us-east-1';
      try {
        const sts = new STSClient(clientConfig(region, { ...options, maxAttempts: 3 }));
        const identity = await sts.send(new GetCallerIdentityCommand({}));
        if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
        return identity.Account;
      } catch (error) {
        throw new CredentialError(
          `Could not use ${profile ? `profile "${profile}"` : 'your AWS credentials'}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
    async defaultRegions() {
      const region = await configuredRegion(profile);
      return region ? [region] : [];
    },
    async enabledRegions() {
      const region = (await configuredRegion(profile)) ?? 'us-east-1';
      return listEnabledRegions(new AccountClient(clientConfig(region, options)));
    },
    clientsFor,
    rates: DEFAULT_RATE_LIMITS,
  };
}

/** The region the SDK would use: AWS_REGION, or the profile's `region` setting. */
async function configuredRegion(profile: string | undefined): Promise<string | undefined> {
  try {
    const region = await new STSClient(profile ? { profile } : {}).config.region();
    return region || undefined;
  } catch {
    return undefined;
  }
}
