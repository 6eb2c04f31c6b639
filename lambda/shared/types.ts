/**
 * The contracts of docs/design.md: the rule's finding, the per-region audit report and the
 * remediation event and result. Outside tools read these shapes: change them only with docs/design.md.
 */

export const RULE_ID = 'DynamoDB-005';

export type Status = 'COMPLIANT' | 'NON_COMPLIANT' | 'ERROR' | 'EXEMPT';

export interface Finding {
  ruleId: typeof RULE_ID;
  region: string;
  tableName: string;
  tableArn: string;
  status: Status;
  /** One human sentence. */
  reason: string;
  /** ISO 8601 creation time of the newest usable backup, when there is one. */
  lastBackupAt?: string;
  /** YYYY-MM-DD, the last exempt day of an EXEMPT finding whose exemption has an end date. */
  exemptUntil?: string;
}

export interface AuditSummary {
  tables: number;
  compliant: number;
  nonCompliant: number;
  errors: number;
  exempt: number;
}

export interface AuditReport {
  region: string;
  accountId: string;
  startedAt: string;
  finishedAt: string;
  summary: AuditSummary;
  /** One per table, compliant ones included. */
  findings: Finding[];
  /** Tables handed to the remediation Lambda (0 when disabled). */
  remediationRequested: number;
  /**
   * COMPLIANT findings left out of a Lambda response that would otherwise pass Lambda's 6 MB
   * response limit (the summary still counts them).
   */
  omittedCompliant?: number;
  /**
   * Set when the region could not be audited at all (its tables could not be listed): why. The
   * findings are then empty and the summary zero; an alert has been sent.
   */
  failure?: string;
}

/** What the audit Lambda returns for `{}`: the run it started (a Step Functions execution). */
export interface RunStarted {
  executionArn: string;
  /** ISO 8601. */
  startedAt: string;
}

export interface RemediationEvent {
  tables: { tableArn: string }[];
}

export type RemediationStatus = 'CREATED' | 'SKIPPED' | 'FAILED' | 'REJECTED';

export interface RemediationResult {
  tableArn: string;
  status: RemediationStatus;
  backupName?: string;
  backupArn?: string;
  reason?: string;
}

export interface RemediationResponse {
  results: RemediationResult[];
}
