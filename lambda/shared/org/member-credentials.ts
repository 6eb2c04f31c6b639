/**
 * Credentials in the audited accounts other than the auditor's own: the auditor assumes
 * `arn:<partition>:iam::<accountId>:role/<MemberRoleName>` with STS AssumeRole (the SDK's own
 * `fromTemporaryCredentials`, one STS client with the auditor's retry policy), under a session name
 * that identifies the run, so CloudTrail in the member account shows which run did what.
 *
 * One `MemberCredentials` per invocation: each account is assumed once and its credentials are shared
 * by every client of every region of that account (refreshed before they expire); a failure is cached
 * too, so a missing role costs one AssumeRole, not one per call. The failure is a MemberRoleError
 * naming the account and the role: "cannot assume arn:aws:iam::444455556666:role/DynamoDbBackupAuditorMember:
 * AccessDenied: …". STS answers AccessDenied both for a role that does not exist and for one whose
 * trust refuses the caller.
 *
 * Wiring: `const credentials = new MemberCredentials({ homeAccountId, partition, roleName, sessionName:
 * sessionNameFor(runId), stsClientConfig: clientConfig(homeRegion) })`, then
 * `accountClientFactory(credentials)` gives `(accountId, region) => RegionClients`; the remediation
 * builds its DynamoDB client with `credentials.for(accountId)` the same way.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { RegionClients } from '../audit-region';
import { ClientOptions, regionalClientFactory } from '../clients';
import { describeError } from '../errors';
import { ACCOUNT_ID_PATTERN } from './audit-accounts';

export const DEFAULT_MEMBER_ROLE_NAME = 'DynamoDbBackupAuditorMember';
/** STS's bounds for RoleSessionName. */
export const SESSION_NAME_MAX_LENGTH = 64;
const SESSION_NAME_PREFIX = 'dynamodb-backup-audit-';
/** IAM role names: 1–64 characters of [\w+=,.@-]. */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
/** One hour: enough for a 15-minute audit; the SDK refreshes before the expiration anyway. */
const SESSION_DURATION_SECONDS = 3600;

type StsOptions = Parameters<typeof fromTemporaryCredentials>[0];

export class MemberRoleError extends Error {
  override name = 'MemberRoleError';

  constructor(
    readonly accountId: string,
    readonly roleArn: string,
    cause: unknown,
  ) {
    super(`cannot assume ${roleArn}: ${describeError(cause)}`, { cause });
  }
}

export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * The RoleSessionName of a run: `dynamodb-backup-audit-<runId>`, cut to STS's 64 characters of
 * `[\w+=,.@-]` (other characters become `-`).
 */
export function sessionNameFor(runId: string): string {
  const safe = `${SESSION_NAME_PREFIX}${runId}`.replace(/[^\w+=,.@-]/g, '-');
  return safe.slice(0, SESSION_NAME_MAX_LENGTH);
}

export interface MemberCredentialsOptions {
  /** The auditor's own account: it is audited with the function's own role, never assumed into. */
  readonly homeAccountId: string;
  /** Partition of the member roles (the home region's). */
  readonly partition: string;
  /** `MemberRoleName`. @default DEFAULT_MEMBER_ROLE_NAME */
  readonly roleName?: string;
  /** From `sessionNameFor(runId)`. */
  readonly sessionName: string;
  /**
   * Configuration of the STS client: region (the home region, for the regional endpoint), retry
   * policy (`clientConfig(homeRegion)`), and, outside Lambda, the auditor's credentials.
   */
  readonly stsClientConfig?: StsOptions['clientConfig'];
  /** Plug-ins for that STS client (tests and the benchmark plug in the simulated organization). */
  readonly stsClientPlugins?: StsOptions['clientPlugins'];
  /** @default 3600 */
  readonly durationSeconds?: number;
}

/** What a function needs to reach the member accounts of one invocation. */
export interface MemberAccess {
  readonly homeAccountId: string;
  readonly partition: string;
  readonly roleName: string;
  readonly sessionName: string;
}

export class MemberCredentials {
  readonly roleName: string;
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();

  constructor(private readonly options: MemberCredentialsOptions) {
    this.roleName = options.roleName ?? DEFAULT_MEMBER_ROLE_NAME;
    if (!ROLE_NAME_PATTERN.test(this.roleName)) {
      throw new Error(`MemberRoleName "${this.roleName.slice(0, 80)}" is not an IAM role name`);
    }
  }

  roleArn(accountId: string): string {
    return memberRoleArn(this.options.partition, accountId, this.roleName);
  }

  /**
   * The credentials for `accountId`: undefined for the auditor's own account (the function's role),
   * else a provider that assumes the member role once and caches the result (or the failure).
   */
  for(accountId: string): AwsCredentialIdentityProvider | undefined {
    if (accountId === this.options.homeAccountId) return undefined;
    if (!ACCOUNT_ID_PATTERN.test(accountId))
      throw new Error(`"${accountId.slice(0, 40)}" is not a 12-digit account id`);
    let provider = this.providers.get(accountId);
    if (!provider) {
      provider = this.assume(accountId);
      this.providers.set(accountId, provider);
    }
    return provider;
  }

  private assume(accountId: string): AwsCredentialIdentityProvider {
    const roleArn = this.roleArn(accountId);
    const assumeRole = fromTemporaryCredentials({
      params: {
        RoleArn: roleArn,
        RoleSessionName: this.options.sessionName,
        DurationSeconds: this.options.durationSeconds ?? SESSION_DURATION_SECONDS,
      },
      ...(this.options.stsClientConfig ? { clientConfig: this.options.stsClientConfig } : {}),
      ...(this.options.stsClientPlugins ? { clientPlugins: this.options.stsClientPlugins } : {}),
    });
    let failure: MemberRoleError | undefined;
    const guarded = async (): Promise<AwsCredentialIdentity> => {
      if (failure) throw failure;
      try {
        return await assumeRole();
      } catch (error) {
        failure = new MemberRoleError(accountId, roleArn, error);
        throw failure;
      }
    };
    const memoized = memoizeIdentityProvider(guarded, isIdentityExpired, doesIdentityRequireRefresh);
    if (!memoized) throw new Error('memoizeIdentityProvider returned no provider');
    return memoized;
  }
}

/**
 * Per account and region, the DynamoDB, AWS Backup and tagging clients of the audit, with the
 * account's credentials, each created once. The home account's clients use `options.credentials`
 * (unset in Lambda: the function's role; the CLI passes its profile's).
 * @param attach applied to each new client (tests and the benchmark attach the simulation)
 */
export function accountClientFactory(
  credentials: MemberCredentials,
  options: ClientOptions = {},
  attach?: Parameters<typeof regionalClientFactory>[1],
): (accountId: string, region: string) => RegionClients {
  const perAccount = new Map<string, (region: string) => RegionClients>();
  return (accountId, region) => {
    let factory = perAccount.get(accountId);
    if (!factory) {
      const provider = credentials.for(accountId);
      factory = regionalClientFactory({ ...options, ...(provider ? { credentials: provider } : {}) }, attach);
      perAccount.set(accountId, factory);
    }
    return factory(region);
  };
}
