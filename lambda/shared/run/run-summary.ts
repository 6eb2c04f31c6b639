/**
 * A run's report (`runs/<runId>/summary.json`), built from its items' results: totals, counts per
 * account worst first, the accounts that could not be audited at all (every region failed, such as a
 * missing member role), and every item's result (the first failing tables and where its full report
 * lies). Pure: the aggregation step reads the results and writes this.
 */
import { AuditSummary } from '../types';
import { AuditItemResult, ZERO_SUMMARY } from './item-result';

export interface AccountRunSummary {
  accountId: string;
  /** Regions planned for the account. */
  regions: number;
  summary: AuditSummary;
  /** Regions that could not be audited, with why. */
  failedRegions: { region: string; reason: string }[];
}

export interface RunSummary {
  runId: string;
  bucket: string;
  finishedAt: string;
  accounts: number;
  regions: number;
  items: number;
  totals: AuditSummary;
  /** Items (account × region) that could not be audited. */
  itemsFailed: number;
  /** Worst first: failing tables (non-compliant + not evaluated), then failed regions, then id. */
  byAccount: AccountRunSummary[];
  /** Accounts of which no region could be audited, with the first reason. */
  unauditedAccounts: { accountId: string; reason: string }[];
  /** Every item's result, in the order of `byAccount`, then region. */
  results: AuditItemResult[];
}

const add = (a: AuditSummary, b: AuditSummary): AuditSummary => ({
  tables: a.tables + b.tables,
  compliant: a.compliant + b.compliant,
  nonCompliant: a.nonCompliant + b.nonCompliant,
  errors: a.errors + b.errors,
  exempt: a.exempt + b.exempt,
});

/** Tables that need a person: non-compliant or not evaluated. */
export const failingCount = (summary: AuditSummary): number => summary.nonCompliant + summary.errors;

/** Orders accounts worst first. */
export function worstFirst(a: AccountRunSummary, b: AccountRunSummary): number {
  return (
    failingCount(b.summary) - failingCount(a.summary) ||
    b.failedRegions.length - a.failedRegions.length ||
    a.accountId.localeCompare(b.accountId)
  );
}

export function summarizeRun(
  run: { runId: string; bucket: string; regions: number; finishedAt: Date },
  results: AuditItemResult[],
): RunSummary {
  const accounts = new Map<string, { summary: AccountRunSummary; results: AuditItemResult[] }>();
  for (const result of results) {
    let entry = accounts.get(result.accountId);
    if (!entry) {
      entry = {
        summary: { accountId: result.accountId, regions: 0, summary: { ...ZERO_SUMMARY }, failedRegions: [] },
        results: [],
      };
      accounts.set(result.accountId, entry);
    }
    entry.summary.regions++;
    entry.summary.summary = add(entry.summary.summary, result.summary);
    if (result.failure !== undefined)
      entry.summary.failedRegions.push({ region: result.region, reason: result.failure });
    entry.results.push(result);
  }
  const ordered = [...accounts.values()].sort((a, b) => worstFirst(a.summary, b.summary));
  for (const entry of ordered) entry.results.sort((a, b) => a.region.localeCompare(b.region));
  const byAccount = ordered.map((e) => e.summary);
  return {
    runId: run.runId,
    bucket: run.bucket,
    finishedAt: run.finishedAt.toISOString(),
    accounts: byAccount.length,
    regions: run.regions,
    items: results.length,
    totals: byAccount.reduce((sum, a) => add(sum, a.summary), { ...ZERO_SUMMARY }),
    itemsFailed: results.filter((r) => r.failure !== undefined).length,
    byAccount,
    unauditedAccounts: byAccount
      .filter((a) => a.regions > 0 && a.failedRegions.length === a.regions)
      .map((a) => ({ accountId: a.accountId, reason: a.failedRegions[0]?.reason ?? '' })),
    results: ordered.flatMap((e) => e.results),
  };
}
