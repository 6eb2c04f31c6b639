/**
 * Organizations ListAccounts: every account of the organization (all states), at most 20 a page
 * (`MaxResults` 1–20), from the management account only. As the API reference warns, a page can be
 * empty while `NextToken` is set; `emptyPages` makes the simulation return such pages (one before
 * every page of accounts, so even the first answer is empty), so a caller that stops at the first
 * empty page misses accounts. A plain SimulatedAccount is in no organization.
 */
import type {
  Account,
  AccountState,
  ListAccountsRequest,
  ListAccountsResponse,
} from '@aws-sdk/client-organizations';
import { organizationsErrors } from './errors';
import { requireModelledMembers } from './modelled';
import type { CallInfo, SimWorld } from './state';

export const LIST_ACCOUNTS_MAX_RESULTS = 20;

export interface MemberAccountRecord {
  readonly id: string;
  readonly name: string;
  readonly state: AccountState;
  readonly joinedAt: Date;
  readonly joinedMethod: 'CREATED' | 'INVITED';
}

/** What the ListAccounts model needs from the organization. */
export interface AccountDirectory {
  readonly organizationId: string;
  readonly managementAccountId: string;
  /** Every account, the management account included, in the order they joined. */
  readonly accounts: readonly MemberAccountRecord[];
  /** Return an empty page (with a NextToken) before each page of accounts. */
  readonly emptyPages: boolean;
  /** Largest page returned whatever MaxResults asks (services may return fewer). */
  readonly maxPageSize: number;
}

/** The retired `Status` that still accompanies `State`. */
function legacyStatus(state: AccountState): Account['Status'] {
  if (state === 'ACTIVE') return 'ACTIVE';
  if (state === 'PENDING_CLOSURE') return 'PENDING_CLOSURE';
  return 'SUSPENDED';
}

function toAccount(directory: AccountDirectory, partition: string, record: MemberAccountRecord): Account {
  return {
    Id: record.id,
    Arn: `arn:${partition}:organizations::${directory.managementAccountId}:account/${directory.organizationId}/${record.id}`,
    Email: `aws+${record.id}@example.com`,
    Name: record.name,
    State: record.state,
    Status: legacyStatus(record.state),
    JoinedMethod: record.joinedMethod,
    JoinedTimestamp: record.joinedAt,
  };
}

/** Token `<offset>.<e|a>`: the next page starts at `offset` and is empty (`e`) or accounts (`a`). */
function parseToken(token: string | undefined): { offset: number; empty: boolean } | undefined {
  if (token === undefined) return undefined;
  const match = /^(\d+)\.([ea])$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) throw organizationsErrors.invalidNextToken();
  return { offset: Number(match[1]), empty: match[2] === 'e' };
}

const token = (offset: number, empty: boolean): string =>
  Buffer.from(`${offset}.${empty ? 'e' : 'a'}`).toString('base64url');

/** ListAccounts answered by an organization; `callerAccountId` is the account that signed the call. */
export function listAccountsIn(
  directory: AccountDirectory,
  call: Pick<CallInfo, 'operation' | 'partition'>,
  callerAccountId: string,
  input: ListAccountsRequest,
): ListAccountsResponse {
  requireModelledMembers(call.operation, input, ['MaxResults', 'NextToken']);
  const maxResults = input.MaxResults ?? LIST_ACCOUNTS_MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > LIST_ACCOUNTS_MAX_RESULTS) {
    throw organizationsErrors.validation(
      'maxResults',
      String(maxResults),
      `Member must have value between 1 and ${LIST_ACCOUNTS_MAX_RESULTS}`,
    );
  }
  if (callerAccountId !== directory.managementAccountId) throw organizationsErrors.accessDenied();
  const position = parseToken(input.NextToken) ?? { offset: 0, empty: directory.emptyPages };
  const { accounts } = directory;
  if (position.empty) return { Accounts: [], NextToken: token(position.offset, false) };
  const size = Math.min(maxResults, directory.maxPageSize);
  const page = accounts.slice(position.offset, position.offset + size);
  const next = position.offset + page.length;
  return {
    Accounts: page.map((record) => toAccount(directory, call.partition, record)),
    ...(next < accounts.length ? { NextToken: token(next, directory.emptyPages) } : {}),
  };
}

/** ListAccounts sent to a plain SimulatedAccount: it belongs to no organization. */
export function listAccounts(
  _world: SimWorld,
  call: CallInfo,
  input: ListAccountsRequest,
): ListAccountsResponse {
  requireModelledMembers(call.operation, input, ['MaxResults', 'NextToken']);
  throw organizationsErrors.notInUse();
}
