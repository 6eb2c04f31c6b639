/**
 * A run's first step (`{"step":"plan"}` of the run function): resolve the accounts (AuditAccounts)
 * and the regions (AuditRegions, with the audit's own `resolveRegions`/`listEnabledRegions`), write
 * the account × region items as one JSON array to `runs/<runId>/items.json` in the reports bucket
 * (1,000 accounts × 17 regions is about 800 KB: far over the 256 KiB a state may carry, hence S3 and
 * the Map's ItemReader), and return a small plan the state machine passes on.
 *
 * The regions are those enabled in the auditor's account (account:ListRegions lists its own). An
 * opt-in region that a member account has not enabled fails that account × region's audit, which
 * the run reports as that item's ERROR; every other item goes on.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { listEnabledRegions, resolveRegions } from '../enabled-regions';
import { ConfigurationError } from '../config';
import { AuditAccounts, resolveAccounts } from '../org/audit-accounts';
import { listOrganizationAccounts } from '../org/list-accounts';
import { AuditRegions } from '../regions';
import { RunItem } from './item-result';
import { runKeys } from './run-keys';

/** MaxConcurrentAudits: 1–1000 (the Map itself allows up to 10,000 children). */
export const MAX_CONCURRENT_AUDITS_RANGE = { min: 1, max: 1000 } as const;

export interface RunPlan {
  runId: string;
  bucket: string;
  itemsKey: string;
  /** The ResultWriter's Prefix for this run. */
  resultsPrefix: string;
  /** Number of accounts audited. */
  accounts: number;
  /** Number of regions audited in each account. */
  regions: number;
  /** accounts × regions. */
  items: number;
  /** Exactly one account: its regional audits send their own digests and the run sends none. */
  perRegionDigests: boolean;
  /** The Map's MaxConcurrency (MaxConcurrentAudits). */
  maxConcurrency: number;
}

export interface PlanDeps {
  s3: S3Client;
  organizations: OrganizationsClient;
  account: AccountClient;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export interface PlanConfig {
  runId: string;
  bucket: string;
  homeAccountId: string;
  homeRegion: string;
  auditAccounts: AuditAccounts;
  auditRegions: AuditRegions;
  maxConcurrency: number;
}

export function checkMaxConcurrency(value: unknown): number {
  const { min, max } = MAX_CONCURRENT_AUDITS_RANGE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      `MaxConcurrentAudits must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export async function planRun(deps: PlanDeps, config: PlanConfig): Promise<RunPlan> {
  const maxConcurrency = checkMaxConcurrency(config.maxConcurrency);
  const accounts = await resolveAccounts(config.auditAccounts, config.homeAccountId, async () => {
    const listed = await listOrganizationAccounts(deps.organizations);
    const skipped = Object.keys(listed.skipped).length;
    if (skipped > 0) deps.logger.info('Accounts not ACTIVE are not audited', { skipped: listed.skipped });
    return listed.active;
  });
  if (accounts.length === 0)
    throw new ConfigurationError('No account to audit: the organization lists no ACTIVE account');
  const regions = await resolveRegions(config.auditRegions, config.homeRegion, () =>
    listEnabledRegions(deps.account),
  );
  const items: RunItem[] = accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
  const keys = runKeys(config.runId);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: config.bucket,
      Key: keys.items,
      Body: JSON.stringify(items),
      ContentType: 'application/json',
    }),
  );
  const plan: RunPlan = {
    runId: config.runId,
    bucket: config.bucket,
    itemsKey: keys.items,
    resultsPrefix: keys.results,
    accounts: accounts.length,
    regions: regions.length,
    items: items.length,
    perRegionDigests: accounts.length === 1,
    maxConcurrency,
  };
  deps.logger.info('Run planned', { ...plan });
  return plan;
}
