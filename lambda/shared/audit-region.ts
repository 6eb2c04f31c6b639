/**
 * One region's audit, the core shared by the audit Lambda and the CLI: list every table, gather
 * native backups (one account-wide listing), the exemption tags (one tag:GetResources listing) and,
 * only for tables without a qualifying native backup, AWS Backup recovery points; with identity checks
 * on, describe the tables that would pass; judge each table with the rule and the policy.
 * Calls for T tables, B native backups and K tables without a qualifying native backup:
 * ceil(T/100) + ceil(B/100) + 1 tag listing + (K < 3 ? K : 2 + min(vault pages, K)), each listing
 * plus one empty page when its last page is full (docs/scaling.md); with identity checks on, one
 * DescribeTable per table that would pass.
 */
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { tableArn } from './arn';
import { Budget, NOT_AUDITED_REASON } from './budget';
import { ExemptionTags, listExemptionTags } from './listing/exemption-tags';
import { listNativeBackups, NativeBackupIndex } from './listing/native-backups';
import { lookUpRecoveryPoints, RecoveryPointStrategy } from './listing/recovery-points';
import { describeTableIdentities } from './listing/table-identity';
import { listTableNames } from './listing/tables';
import { createPacer, Pacer, RateLimits } from './pacing';
import { AuditPolicy, DEFAULT_POLICY } from './policy/audit-policy';
import {
  applyExemption,
  Exemption,
  exemptionFromPattern,
  exemptionFromTags,
  patternMatcher,
  utcDay,
} from './policy/exemptions';
import {
  BackupEvidence,
  evaluate,
  isQualifying,
  isUsable,
  RulePolicy,
  SourceResult,
  TableEvidence,
} from './rule';
import { AuditReport, AuditSummary, Finding } from './types';

export interface RegionClients {
  dynamodb: DynamoDBClient;
  backup: BackupClient;
  tagging: ResourceGroupsTaggingAPIClient;
  /** Used by the audit Lambda only (Security Hub findings), never by collectFindings. */
  securityhub: SecurityHubClient;
}

export interface CollectOptions {
  region: string;
  accountId: string;
  rates: RateLimits;
  budget: Budget;
  /** @default DEFAULT_POLICY (the rule as written) */
  policy?: AuditPolicy;
  /** The audit's time: backup ages and exemption end dates are judged against it. @default now */
  now?: Date;
  /** Multiplies pacing intervals (benchmarks only). @default 1 */
  timeScale?: number;
  /** Progress callback (the CLI's progress line). */
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { phase: 'tablesListed'; tables: number }
  | { phase: 'nativeBackupsListed'; tablesWithoutUsableNative: number }
  | { phase: 'evaluated'; tables: number };

export interface RegionFindings {
  findings: Finding[];
  /** False when the table listing itself stopped at the time budget: some tables are missing. */
  tableListComplete: boolean;
  recoveryPointStrategy: RecoveryPointStrategy;
  /** Why the exemption tags could not be read (the tables were evaluated without them). */
  exemptionsUnavailable?: string;
  /** DescribeTable calls made for identity checks. */
  tablesDescribed: number;
}

export async function collectFindings(
  clients: RegionClients,
  options: CollectOptions,
): Promise<RegionFindings> {
  const { region, accountId, rates, budget } = options;
  const policy = options.policy ?? DEFAULT_POLICY;
  const now = options.now ?? new Date();
  const rulePolicy: RulePolicy = { maxBackupAgeHours: policy.maxBackupAgeHours, now };
  const timeScale = options.timeScale ?? 1;
  const backupPacers = {
    pacer: createPacer(rates.backupListPerSecond, rates.perTableConcurrency, timeScale),
    perTablePacer: createPacer(Infinity, rates.perTableConcurrency),
  };
  // ListTables, the account-wide ListBackups and the tag listing are independent: run them side by
  // side, so the region takes as long as the slowest (ListBackups, at 5 calls a second).
  const tablesFailed = new AbortController();
  const listingBudget: Budget = {
    exhausted: () => tablesFailed.signal.aborted || budget.exhausted(),
    signal: AbortSignal.any([budget.signal, tablesFailed.signal]),
  };
  const nativePromise = listNativeBackups(
    clients.dynamodb,
    createPacer(rates.listBackupsPerSecond, 1, timeScale),
    listingBudget,
  );
  const tagsPromise = listExemptionTags(clients.tagging, listingBudget);
  const listing = await listTableNames(clients.dynamodb, budget).catch(async (error: unknown) => {
    tablesFailed.abort(); // the region cannot be audited: stop the other listings too
    await Promise.all([nativePromise, tagsPromise]);
    throw error;
  });
  options.onProgress?.({ phase: 'tablesListed', tables: listing.names.length });
  const native = await nativePromise;

  const evidence: TableEvidence[] = listing.names.map((name) => ({
    region,
    tableName: name,
    tableArn: tableArn(region, accountId, name),
    native: nativeResult(native.byTable.get(name) ?? [], native.incomplete),
    awsBackup: { kind: 'notNeeded' },
  }));

  // AWS Backup is asked about every table without a qualifying native backup: none at all, only
  // unusable ones, or only ones older than the age limit.
  const needAwsBackup = evidence.filter((e) => !hasQualifying(e.native, rulePolicy));
  options.onProgress?.({ phase: 'nativeBackupsListed', tablesWithoutUsableNative: needAwsBackup.length });
  const lookup = await lookUpAwsBackup(clients, backupPacers, budget, needAwsBackup);

  let tablesDescribed = 0;
  if (policy.verifyTableIdentity) {
    tablesDescribed = await verifyIdentities(
      clients,
      { rates, timeScale, backupPacers },
      budget,
      evidence,
      rulePolicy,
    );
  }
  for (const e of evidence) {
    // Native listing cut by the budget and nothing else proved the table compliant.
    if (
      e.native.kind === 'failed' &&
      native.incomplete?.reason === 'budget' &&
      !hasQualifying(e.awsBackup, rulePolicy)
    ) {
      e.notAudited = NOT_AUDITED_REASON;
    }
  }

  const tags = await tagsPromise;
  const exemptionOf = exemptions(policy, tags, now);
  const findings = evidence.map((e) => applyExemption(evaluate(e, rulePolicy), exemptionOf(e)));
  options.onProgress?.({ phase: 'evaluated', tables: findings.length });
  return {
    findings,
    tableListComplete: listing.complete,
    recoveryPointStrategy: lookup,
    tablesDescribed,
    ...('unavailable' in tags ? { exemptionsUnavailable: tags.unavailable } : {}),
  };
}

/** Fills the AWS Backup evidence of `tables`; a table not reached before the deadline is not audited. */
async function lookUpAwsBackup(
  clients: RegionClients,
  pacers: { pacer: Pacer; perTablePacer: Pacer },
  budget: Budget,
  tables: TableEvidence[],
): Promise<RecoveryPointStrategy> {
  const lookup = await lookUpRecoveryPoints(
    { backup: clients.backup, ...pacers, budget },
    tables.map((e) => e.tableArn),
  );
  for (const e of tables) {
    const result = lookup.results.get(e.tableArn);
    if (result) e.awsBackup = result;
    else e.notAudited = NOT_AUDITED_REASON;
  }
  return lookup.strategy;
}

/**
 * Identity checks: describe each table that would pass, and record its identity. A table that then
 * passes only on an earlier table's native backups is asked about in AWS Backup too, as any table
 * without a qualifying native backup is. Returns the number of tables described.
 */
async function verifyIdentities(
  clients: RegionClients,
  pacing: { rates: RateLimits; timeScale: number; backupPacers: { pacer: Pacer; perTablePacer: Pacer } },
  budget: Budget,
  evidence: TableEvidence[],
  rulePolicy: RulePolicy,
): Promise<number> {
  const passing = evidence.filter(
    (e) => !e.notAudited && (hasQualifying(e.native, rulePolicy) || hasQualifying(e.awsBackup, rulePolicy)),
  );
  const identities = await describeTableIdentities(
    clients.dynamodb,
    createPacer(pacing.rates.describeTablePerSecond, pacing.rates.perTableConcurrency, pacing.timeScale),
    budget,
    passing.map((e) => e.tableName),
  );
  const recheck: TableEvidence[] = [];
  for (const e of passing) {
    const identity = identities.get(e.tableName);
    if (!identity) {
      e.notAudited = NOT_AUDITED_REASON;
      continue;
    }
    e.identity = identity;
    if (e.awsBackup.kind === 'notNeeded' && !hasQualifying(e.native, rulePolicy, e)) recheck.push(e);
  }
  if (recheck.length > 0) await lookUpAwsBackup(clients, pacing.backupPacers, budget, recheck);
  return passing.length;
}

function hasQualifying(result: SourceResult, policy: RulePolicy, evidence?: TableEvidence): boolean {
  return result.kind === 'listed' && result.backups.some((b) => isQualifying(b, policy, evidence?.identity));
}

/** The exemption of each table: a configured pattern first, then its tags. */
function exemptions(
  policy: AuditPolicy,
  tags: ExemptionTags,
  now: Date,
): (evidence: TableEvidence) => Exemption | undefined {
  const matchPattern = patternMatcher(policy.exemptPatterns);
  const today = utcDay(now);
  return (e) => {
    const pattern = matchPattern(e.tableName);
    if (pattern !== undefined) return exemptionFromPattern(pattern);
    const tableTags = 'byArn' in tags ? tags.byArn.get(e.tableArn) : undefined;
    return tableTags ? exemptionFromTags(tableTags, today) : undefined;
  };
}

/**
 * A table's native evidence. With a complete listing, its backups (maybe none). With a cut-short
 * listing, an AVAILABLE backup seen is still proof; anything less is unknown, so a failure.
 */
function nativeResult(backups: BackupEvidence[], incomplete: NativeBackupIndex['incomplete']): SourceResult {
  if (!incomplete || backups.some(isUsable)) return { kind: 'listed', backups };
  return {
    kind: 'failed',
    error: incomplete.reason === 'error' ? incomplete.error : 'time budget exhausted',
  };
}

export function summarize(findings: Finding[]): AuditSummary {
  const count = (status: Finding['status']) => findings.filter((f) => f.status === status).length;
  return {
    tables: findings.length,
    compliant: count('COMPLIANT'),
    nonCompliant: count('NON_COMPLIANT'),
    errors: count('ERROR'),
    exempt: count('EXEMPT'),
  };
}

export function buildReport(
  scope: { region: string; accountId: string; startedAt: Date; finishedAt: Date },
  findings: Finding[],
  remediationRequested: number,
): AuditReport {
  return {
    region: scope.region,
    accountId: scope.accountId,
    startedAt: scope.startedAt.toISOString(),
    finishedAt: scope.finishedAt.toISOString(),
    summary: summarize(findings),
    findings,
    remediationRequested,
  };
}
