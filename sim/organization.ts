/**
 * A simulated AWS Organization: several SimulatedAccounts behind one router, with STS AssumeRole
 * and Organizations ListAccounts answered by the organization itself.
 *
 * ```ts
 * const org = new SimulatedOrganization({ management: new SimulatedAccount({ accountId: '111111111111' }) });
 * org.addAccount(new SimulatedAccount({ accountId: '444455556666' }), { roles: ['DynamoDbBackupAuditorMember'] });
 * const sts = org.client(STSClient, { region: 'us-east-1' });             // signs as the management account
 * const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'run-1' }));
 * const ddb = org.client(DynamoDBClient, { region: 'eu-west-1', credentials: { ...from Credentials } });
 * await ddb.send(new ListTablesCommand({}));                               // answered by 444455556666
 * ```
 *
 * Routing (the plug-in's router hook, see plugin.ts): STS AssumeRole and every Organizations call go
 * to the organization; any other call goes to the account whose credentials signed it, read from the
 * access key id: SIM_CREDENTIALS belong to the management account (where the auditor runs), keys
 * handed out by AssumeRole to the account of the assumed role. A key nobody issued is refused with
 * `UnrecognizedClientException`, as AWS refuses unknown credentials.
 *
 * AssumeRole: a role listed for an ACTIVE account (`addAccount(..., { roles })`) trusts the
 * management account and hands out credentials; any other role is AccessDenied, with STS's message
 * (STS does not tell a missing role from a refused one). Credentials do not expire in the simulation.
 *
 * ListAccounts: every account (all states), from the management account only, at most 20 a page;
 * `emptyPages` interleaves empty pages that still carry a NextToken (see list-accounts.ts).
 *
 * Rate limits: ORGANIZATION_RATE_LIMITS, per operation and region of the caller, with the
 * throttling errors the services return (STS `Throttling`, Organizations `TooManyRequestsException`).
 */
import { randomUUID } from 'node:crypto';
import type { AccountState } from '@aws-sdk/client-organizations';
import type { SimulatedAccount } from './account';
import { Admission } from './admission';
import { assumeRoleIn, type IssuedCredentials, type RoleDirectory } from './assume-role';
import { CallCounters, type CallCounter, type CallOutcome } from './counters';
import { throttlingError, unrecognizedClient, type ServiceName } from './errors';
import { partitionOf } from './ids';
import {
  listAccountsIn,
  LIST_ACCOUNTS_MAX_RESULTS,
  type AccountDirectory,
  type MemberAccountRecord,
} from './list-accounts';
import { notModelled } from './modelled';
import { operationName } from './operations';
import {
  regionOf,
  SIM_CREDENTIALS,
  simulatedAccountPlugin,
  type AttachableClient,
  type SdkPluggable,
  type SimulatedCall,
  type SimulatedEndpoint,
} from './plugin';
import { sleep } from './sleep';

/**
 * Calls per second per operation and region of the caller. AWS documents token buckets for STS and
 * Organizations without a per-operation figure we could cite (docs/aws-facts.md), so these are
 * deliberately conservative assumptions; pass `rateLimits` to model others.
 */
export const ORGANIZATION_RATE_LIMITS: Readonly<Record<string, number>> = {
  AssumeRole: 100,
  ListAccounts: 5,
};

export const DEFAULT_ORGANIZATION_ID = 'o-a1b2c3d4e5';

export interface SimulatedOrganizationOptions {
  /** The management account: the auditor runs there, and calls signed with SIM_CREDENTIALS are its. */
  readonly management: SimulatedAccount;
  /** @default DEFAULT_ORGANIZATION_ID */
  readonly organizationId?: string;
  /** Latency of every STS AssumeRole and Organizations call, in ms. @default 0 */
  readonly latencyMs?: number;
  /** Multiplies the latency and the rate-limit windows; adjustable at run time. @default 1 */
  readonly timeScale?: number;
  /** Calls per second per operation, merged over ORGANIZATION_RATE_LIMITS (`Infinity` lifts one). */
  readonly rateLimits?: Readonly<Record<string, number>>;
  /** ListAccounts returns an empty page, with a NextToken, before each page of accounts. @default false */
  readonly emptyPages?: boolean;
  /** Largest ListAccounts page whatever MaxResults asks. @default 20 */
  readonly maxPageSize?: number;
}

export interface MemberOptions {
  /** Roles of the account that trust the management account (AssumeRole succeeds). @default [] */
  readonly roles?: readonly string[];
  /** `State` in ListAccounts; only ACTIVE accounts can be assumed into. @default 'ACTIVE' */
  readonly state?: AccountState;
  /** @default `account-<id>` */
  readonly name?: string;
}

/** One successful AssumeRole. */
export interface AssumedRole {
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly accessKeyId: string;
}

interface Member {
  readonly account: SimulatedAccount;
  readonly roles: Set<string>;
  readonly record: MemberAccountRecord;
}

export class SimulatedOrganization implements SimulatedEndpoint {
  readonly organizationId: string;
  readonly management: SimulatedAccount;
  /** Every successful AssumeRole, in order. */
  readonly assumed: AssumedRole[] = [];
  /** Adjustable at run time; applies from the next call. */
  timeScale: number;

  private readonly members = new Map<string, Member>();
  private readonly keys = new Map<string, string>();
  private readonly admission: Admission;
  private readonly counters = new CallCounters();
  private readonly latencyMs: number;
  private readonly emptyPages: boolean;
  private readonly maxPageSize: number;
  private issuedCount = 0;

  constructor(options: SimulatedOrganizationOptions) {
    this.management = options.management;
    this.organizationId = options.organizationId ?? DEFAULT_ORGANIZATION_ID;
    this.timeScale = options.timeScale ?? 1;
    this.latencyMs = options.latencyMs ?? 0;
    this.emptyPages = options.emptyPages ?? false;
    this.maxPageSize = options.maxPageSize ?? LIST_ACCOUNTS_MAX_RESULTS;
    this.admission = new Admission({ rateLimits: { ...ORGANIZATION_RATE_LIMITS, ...options.rateLimits } });
    this.addAccount(options.management, { name: 'management' });
  }

  // ---- Accounts and roles -----------------------------------------------------------------------

  /** Adds an account (or updates the roles and state of one already in). Returns the account. */
  addAccount(account: SimulatedAccount, options: MemberOptions = {}): SimulatedAccount {
    const existing = this.members.get(account.accountId);
    if (existing && existing.account !== account) {
      throw new Error(
        `addAccount: another account with id ${account.accountId} is already in the organization`,
      );
    }
    this.members.set(account.accountId, {
      account,
      roles: new Set(options.roles ?? existing?.roles ?? []),
      record: {
        id: account.accountId,
        name: options.name ?? existing?.record.name ?? `account-${account.accountId}`,
        state: options.state ?? existing?.record.state ?? 'ACTIVE',
        joinedAt:
          existing?.record.joinedAt ?? new Date(Date.UTC(2020, 0, 1) + this.members.size * 86_400_000),
        joinedMethod: account === this.management ? 'CREATED' : 'INVITED',
      },
    });
    return account;
  }

  /** The member account with this id. */
  account(accountId: string): SimulatedAccount {
    const member = this.members.get(accountId);
    if (!member) throw new Error(`account: no account ${accountId} in the organization`);
    return member.account;
  }

  /** Every account, the management account first, in the order they joined. */
  get accounts(): SimulatedAccount[] {
    return [...this.members.values()].map((m) => m.account);
  }

  /** Removes a role from an account (AssumeRole of it is then AccessDenied). */
  removeRole(accountId: string, roleName: string): void {
    this.members.get(accountId)?.roles.delete(roleName);
  }

  /** The account whose credentials carry this access key id. */
  accountOfKey(accessKeyId: string | undefined): string | undefined {
    if (accessKeyId === undefined) return undefined;
    if (accessKeyId === SIM_CREDENTIALS.accessKeyId) return this.management.accountId;
    return this.keys.get(accessKeyId);
  }

  // ---- Plugging into SDK clients ----------------------------------------------------------------

  /** The plug-in routing every call of `client` through the organization, in `client`'s region. */
  pluginFor(client: AttachableClient): SdkPluggable {
    return simulatedAccountPlugin((call) => this.route(call), regionOf(client));
  }

  /**
   * A plug-in for a client the caller never sees, such as the STS client inside the SDK's
   * `fromTemporaryCredentials` (`clientPlugins: [org.pluginForRegion('us-east-1')]`).
   */
  pluginForRegion(region: string): SdkPluggable {
    return simulatedAccountPlugin(
      (call) => this.route(call),
      async () => region,
    );
  }

  /** Routes every command of `client` through the organization; returns the client. */
  attach<C extends AttachableClient>(client: C): C {
    client.middlewareStack.use(this.pluginFor(client));
    return client;
  }

  /** A client attached to the organization, signing as the management account unless given credentials. */
  client<C extends AttachableClient, Config extends object>(
    ctor: new (config: Config) => C,
    config: Config,
  ): C {
    return this.attach(new ctor({ credentials: SIM_CREDENTIALS, ...config }));
  }

  /** The router hook: the organization for AssumeRole and Organizations, else the signing account. */
  route(call: SimulatedCall): SimulatedEndpoint {
    if (this.serviceOf(call) !== undefined) return this;
    const accountId = this.accountOfKey(call.accessKeyId);
    const member = accountId === undefined ? undefined : this.members.get(accountId);
    if (member) return member.account;
    return {
      answer: () => Promise.reject(unrecognizedClient(call.accessKeyId)),
    };
  }

  /** Answers STS AssumeRole and Organizations calls: admission, latency, then the model. */
  async answer(request: SimulatedCall): Promise<object> {
    const service = this.serviceOf(request);
    const operation = operationName(request.commandName);
    if (service === undefined) throw notModelled(`${request.clientName}.${operation} in an organization`);
    const { region, abortSignal } = request;
    const counter = this.counters.of(region, operation);
    const throttled = this.admission.throttles(service, operation, region, this.timeScale);
    await sleep(this.latencyMs * this.timeScale, abortSignal);
    if (throttled) {
      counter.throttled++;
      throw throttlingError(service, operation);
    }
    try {
      const caller = this.accountOfKey(request.accessKeyId);
      if (caller === undefined) throw unrecognizedClient(request.accessKeyId);
      const call = { operation, partition: partitionOf(region) };
      let output: object;
      if (service === 'sts')
        output = assumeRoleIn(this.roleDirectory(), call, caller, request.input as never);
      else if (operation === 'ListAccounts')
        output = listAccountsIn(this.accountDirectory(), call, caller, request.input as never);
      else throw notModelled(`${request.clientName}.${operation}`);
      counter.ok++;
      return {
        ...output,
        $metadata: { httpStatusCode: 200, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 },
      };
    } catch (e) {
      counter.failed++;
      throw e;
    }
  }

  // ---- Counters ---------------------------------------------------------------------------------

  /** AssumeRole and Organizations calls per region and operation (every attempt, by outcome). */
  get calls(): Readonly<Record<string, Readonly<Record<string, Readonly<CallCounter>>>>> {
    return this.counters.calls;
  }

  /** Number of AssumeRole and Organizations calls, optionally for one operation, region and outcome. */
  callCount(operation?: string, region?: string, outcome?: CallOutcome): number {
    return this.counters.count(operation, region, outcome);
  }

  /** Zeroes the counters and restarts the rate-limit windows. */
  resetCounters(): void {
    this.counters.reset();
    this.admission.reset();
  }

  // ---- Models' views of the organization --------------------------------------------------------

  private serviceOf(call: Pick<SimulatedCall, 'clientName' | 'commandName'>): ServiceName | undefined {
    if (call.clientName === 'OrganizationsClient') return 'organizations';
    if (call.clientName === 'STSClient' && operationName(call.commandName) === 'AssumeRole') return 'sts';
    return undefined;
  }

  private roleDirectory(): RoleDirectory {
    return {
      canAssume: (caller, accountId, roleName) => {
        const member = this.members.get(accountId);
        return (
          caller === this.management.accountId &&
          member !== undefined &&
          member.record.state === 'ACTIVE' &&
          member.roles.has(roleName)
        );
      },
      issue: (accountId, roleName, sessionName, durationSeconds): IssuedCredentials => {
        const serial = (this.issuedCount++).toString(36).toUpperCase().padStart(4, '0');
        const accessKeyId = `ASIA${accountId}${serial}`;
        this.keys.set(accessKeyId, accountId);
        this.assumed.push({ accountId, roleName, sessionName, accessKeyId });
        return {
          accessKeyId,
          secretAccessKey: randomUUID(),
          sessionToken: randomUUID(),
          expiration: new Date(Date.now() + durationSeconds * 1000),
        };
      },
    };
  }

  private accountDirectory(): AccountDirectory {
    return {
      organizationId: this.organizationId,
      managementAccountId: this.management.accountId,
      accounts: [...this.members.values()].map((m) => m.record),
      emptyPages: this.emptyPages,
      maxPageSize: this.maxPageSize,
    };
  }
}
