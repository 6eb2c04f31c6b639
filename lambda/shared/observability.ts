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
  nonCompliantTables: 'NonCompliantTables',
  errorTables: 'ErrorTables',
  exemptTables: 'ExemptTables',
  remediationRequested: 'RemediationRequested',
  /** A region whose tables could not be listed; also published without the region dimension. */
  regionAuditFailures: 'RegionAuditFailures',
  backupsCreated: 'BackupsCreated',
  remediationSkipped: 'RemediationSkipped',
  remediationFailed: 'RemediationFailed',
} as const;
