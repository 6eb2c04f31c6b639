/**
 * The ACTIVE accounts of the organization, through Organizations ListAccounts (management account or
 * delegated administrator only). The API returns at most 20 accounts a page and may return an empty
 * page that still carries a NextToken: the SDK's paginator follows NextToken, not page sizes, so every
 * page is read. `State` is read; the retired `Status` is not (docs/aws-facts.md).
 */
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { isAccountId } from './audit-accounts';

/** ListAccounts' largest page (`MaxResults` 1–20). */
export const LIST_ACCOUNTS_PAGE_SIZE = 20;

export interface ListedAccounts {
  /** ACTIVE accounts, sorted. */
  active: string[];
  /** Accounts in any other state (SUSPENDED, PENDING_CLOSURE, …), by id: left out of the run. */
  skipped: Record<string, string>;
  /** ListAccounts calls that returned a page (empty ones included). */
  pages: number;
}

export async function listOrganizationAccounts(
  organizations: OrganizationsClient,
  options: { abortSignal?: AbortSignal } = {},
): Promise<ListedAccounts> {
  const active = new Set<string>();
  const skipped: Record<string, string> = {};
  let pages = 0;
  const paginator = paginateListAccounts(
    { client: organizations, pageSize: LIST_ACCOUNTS_PAGE_SIZE },
    {},
    ...(options.abortSignal ? [{ abortSignal: options.abortSignal }] : []),
  );
  for await (const page of paginator) {
    pages++;
    for (const account of page.Accounts ?? []) {
      if (!isAccountId(account.Id)) continue;
      if (account.State === 'ACTIVE') active.add(account.Id);
      else skipped[account.Id] = account.State ?? 'UNKNOWN';
    }
  }
  return { active: [...active].sort(), skipped, pages };
}

/** Just the ACTIVE account ids, for `resolveAccounts`. */
export async function listActiveAccounts(organizations: OrganizationsClient): Promise<string[]> {
  return (await listOrganizationAccounts(organizations)).active;
}
