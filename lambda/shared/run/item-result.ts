/**
 * The contract between the state machine's Distributed Map and the audit function (docs/design.md,
 * "Organization"): each item is one account × region, and what the audit returns for it is a small
 * summary, not the report. Step Functions caps a state's payload at 256 KiB and the Map's ResultWriter
 * copies every item's output to S3, so the findings go to the reports bucket (`reportKey`) and only
 * the counts and the first failing tables travel through the state machine (a few KB per item).
 *
 * Wiring: the audit handler, given an `AuditItemInput`, audits `{region, accountId}`, publishes the
 * per-region digest only when `notify` is true, and returns `toItemResult(report, reportKey)`.
 */
import { clip } from '../notify/slack-text';
import { AuditReport, AuditSummary, Finding } from '../types';

/** Failing tables carried per item; the run's digest shows the first ones, the report has all. */
export const ITEM_FAILING_LIMIT = 20;
/** Reasons and failures are clipped to this many characters. */
export const ITEM_TEXT_MAX_CHARS = 300;

/** One element of `runs/<runId>/items.json`, which the Map's ItemReader reads. */
export interface RunItem {
  accountId: string;
  region: string;
}

/** What the Map passes the audit function for one item (its ItemSelector). */
export interface AuditItemInput extends RunItem {
  runId: string;
  /** Publish the per-region digest (one audited account); false when the run sends one digest. */
  notify: boolean;
}

export interface ItemFailingTable {
  tableName: string;
  status: 'NON_COMPLIANT' | 'ERROR';
  reason: string;
}

/** What the audit function returns for one item (and the aggregation reads back from S3). */
export interface AuditItemResult extends RunItem {
  summary: AuditSummary;
  /** Set when the region could not be audited at all (tables not listable, role not assumable, …). */
  failure?: string;
  /** Where the full report of this item lies in the reports bucket. */
  reportKey?: string;
  /** The first ITEM_FAILING_LIMIT failing tables, NON_COMPLIANT before ERROR. */
  failing: ItemFailingTable[];
}

export const ZERO_SUMMARY: AuditSummary = { tables: 0, compliant: 0, nonCompliant: 0, errors: 0, exempt: 0 };

const clipText = (text: string): string => clip(text, ITEM_TEXT_MAX_CHARS);

const isFailing = (f: Finding): f is Finding & { status: ItemFailingTable['status'] } =>
  f.status === 'NON_COMPLIANT' || f.status === 'ERROR';

export function toItemResult(report: AuditReport, reportKey?: string): AuditItemResult {
  const failing = report.findings.filter(isFailing);
  const ordered = [
    ...failing.filter((f) => f.status === 'NON_COMPLIANT'),
    ...failing.filter((f) => f.status === 'ERROR'),
  ];
  return {
    accountId: report.accountId,
    region: report.region,
    summary: { ...report.summary },
    ...(report.failure !== undefined ? { failure: clipText(report.failure) } : {}),
    ...(reportKey !== undefined ? { reportKey } : {}),
    failing: ordered.slice(0, ITEM_FAILING_LIMIT).map((f) => ({
      tableName: f.tableName,
      status: f.status,
      reason: clipText(f.reason),
    })),
  };
}

/** The result of an item that produced none (its execution failed, or it never ran). */
export function failedItemResult(item: RunItem, failure: string): AuditItemResult {
  return {
    accountId: item.accountId,
    region: item.region,
    summary: { ...ZERO_SUMMARY },
    failure: clipText(failure),
    failing: [],
  };
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Shape check of a result read back from S3 (written by another function version, maybe). */
export function isAuditItemResult(value: unknown): value is AuditItemResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const summary = v.summary as Record<string, unknown> | undefined;
  return (
    typeof v.accountId === 'string' &&
    typeof v.region === 'string' &&
    typeof summary === 'object' &&
    summary !== null &&
    ['tables', 'compliant', 'nonCompliant', 'errors', 'exempt'].every((k) => isCount(summary[k])) &&
    (v.failure === undefined || typeof v.failure === 'string') &&
    (v.reportKey === undefined || typeof v.reportKey === 'string') &&
    Array.isArray(v.failing) &&
    v.failing.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        typeof (f as ItemFailingTable).tableName === 'string' &&
        ((f as ItemFailingTable).status === 'NON_COMPLIANT' || (f as ItemFailingTable).status === 'ERROR') &&
        typeof (f as ItemFailingTable).reason === 'string',
    )
  );
}
