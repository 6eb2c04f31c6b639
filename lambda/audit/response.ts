/**
 * The AuditReport as a synchronous invocation returns it, inside Lambda's response limit (6 MB).
 * A very large region (thousands of tables with long names) would pass it: then the COMPLIANT findings
 * are left out and counted in `omittedCompliant`; the summary still counts every table and every
 * failing table stays.
 */
import { AuditReport } from '../shared/types';

/** Lambda's limit for a synchronous response: 6 MB. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;
/** Kept below the limit for what Lambda adds around the payload. */
const RESPONSE_BUDGET_BYTES = LAMBDA_RESPONSE_LIMIT_BYTES - 64 * 1024;

export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

export function responseBytes(report: AuditReport): number {
  return Buffer.byteLength(JSON.stringify(report));
}

export function fitResponse(report: AuditReport, budgetBytes = RESPONSE_BUDGET_BYTES): AuditReport {
  if (responseBytes(report) <= budgetBytes) return report;
  const failing = report.findings.filter((f) => f.status !== 'COMPLIANT');
  const trimmed: AuditReport = {
    ...report,
    findings: failing,
    omittedCompliant: report.findings.length - failing.length,
  };
  const bytes = responseBytes(trimmed);
  if (bytes > budgetBytes) {
    // Every failing table must stay; the digest has been sent and remediation requested already.
    throw new ResponseTooLargeError(
      `The failing findings of ${report.region} alone (${failing.length} tables, ${bytes} bytes) exceed ` +
        "Lambda's 6 MB response limit; the digest was sent. Audit this region with the CLI for the full list.",
    );
  }
  return trimmed;
}
