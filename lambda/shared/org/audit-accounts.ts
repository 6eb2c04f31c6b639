/**
 * The AuditAccounts setting (docs/design.md, "Organization"): empty = this account only,
 * `ORGANIZATION` = every ACTIVE account of the AWS Organization, or a comma-separated list of account
 * ids. Parsed once from the environment; a malformed value is a deployment error.
 *
 * Wiring: the audit handler checks an event's `accountId` with `isAuditedAccount` before any AWS
 * call; the run function's plan resolves the accounts with `resolveAccounts`.
 */
import { ConfigurationError } from '../config';

export type AuditAccounts =
  { kind: 'home' } | { kind: 'organization' } | { kind: 'list'; accountIds: string[] };

/** An AWS account id: 12 digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

/** `''` → this account, `ORGANIZATION` → the organization, `111122223333,444455556666` → those. */
export function parseAuditAccounts(value: string): AuditAccounts {
  const trimmed = value.trim();
  if (trimmed === '') return { kind: 'home' };
  if (trimmed.toUpperCase() === 'ORGANIZATION') return { kind: 'organization' };
  const ids = trimmed.split(',').map((id) => id.trim());
  const invalid = ids.find((id) => !ACCOUNT_ID_PATTERN.test(id));
  if (invalid !== undefined) {
    throw new ConfigurationError(
      `AuditAccounts must be empty, ORGANIZATION, or 12-digit account ids separated by commas; ` +
        `"${invalid.slice(0, 40)}" is not a 12-digit account id`,
    );
  }
  return { kind: 'list', accountIds: [...new Set(ids)] };
}

/**
 * Whether this stack audits `accountId`. With ORGANIZATION any well-formed id is accepted here: the
 * stack does not hold the organization's membership, the member role does. It exists only where the
 * StackSet (or the account's owner) deployed it, and its trust policy admits the auditor's roles only
 * with `aws:PrincipalOrgID`, so an account outside the organization refuses the AssumeRole.
 */
export function isAuditedAccount(setting: AuditAccounts, homeAccountId: string, accountId: string): boolean {
  if (!ACCOUNT_ID_PATTERN.test(accountId)) return false;
  switch (setting.kind) {
    case 'home':
      return accountId === homeAccountId;
    case 'organization':
      return true;
    case 'list':
      return setting.accountIds.includes(accountId);
  }
}

/**
 * The accounts a run audits, sorted: this account, the listed ones, or the organization's ACTIVE
 * accounts (`listActiveAccounts` is called only then).
 */
export async function resolveAccounts(
  setting: AuditAccounts,
  homeAccountId: string,
  listActiveAccounts: () => Promise<string[]>,
): Promise<string[]> {
  switch (setting.kind) {
    case 'home':
      return [homeAccountId];
    case 'list':
      return [...setting.accountIds].sort();
    case 'organization':
      return [...new Set(await listActiveAccounts())].sort();
  }
}
