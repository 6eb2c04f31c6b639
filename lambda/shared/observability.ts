/**
 * Observability in one place: the functions' service names, the metrics namespace and the names of
 * the metrics the stack's alarms and dashboard read. The stack imports these too.
 */
export const AUDIT_SERVICE = 'dynamodb-backup-audit';
export const REMEDIATION_SERVICE = 'dynamodb-backup-remediate';
export const METRICS_NAMESPACE = 'DynamoDbBackupAuditor';

/** Metric names (Count), published per region (dimensions service, region). */
export const METRIC = {
  tablesAudited: 'TablesAudited',
  compliantTables: 'CompliantTables',
  nonCompliantTables: 'NonCompliantTables',
  errorTables: 'ErrorTables',
  exemptTables: 'ExemptTables',
  remediationRequested: 'RemediationRequested',
  /** A region whose tables could not be listed; also published without the region dimension. */
  regionAuditFailures: 'RegionAuditFailures',
  backupsCreated: 'BackupsCreated',
  remediationSkipped: 'RemediationSkipped',
  remediationFailed: 'RemediationFailed',
  /** 1 when the region's report could not be written to the reports bucket. */
  reportWriteFailures: 'ReportWriteFailures',
  /** Findings imported into Security Hub (SecurityHubFindings=true only). */
  securityHubFindingsImported: 'SecurityHubFindingsImported',
  /** Findings Security Hub did not import: refused, or Security Hub not enabled or not reachable. */
  securityHubFailedFindings: 'SecurityHubFailedFindings',
} as const;
