/**
 * Rule DynamoDB-005: a table is COMPLIANT when it has at least one usable backup, a native backup
 * whose status is AVAILABLE or an AWS Backup recovery point whose status is COMPLETED (or AVAILABLE).
 * Pure: it judges the evidence gathered elsewhere and never calls AWS.
 */
import { Finding, RULE_ID } from './types';

export type BackupSource = 'native' | 'awsBackup';

export interface BackupEvidence {
  source: BackupSource;
  status: string;
  createdAt?: Date;
}

/**
 * What one source said about a table: its backups, that it could not be read, or that it was not
 * consulted because the other source already proved the table compliant.
 */
export type SourceResult =
  { kind: 'listed'; backups: BackupEvidence[] } | { kind: 'failed'; error: string } | { kind: 'notNeeded' };

export interface TableEvidence {
  region: string;
  tableName: string;
  tableArn: string;
  native: SourceResult;
  awsBackup: SourceResult;
  /** Set when the audit ran out of time before this table could be judged. */
  notAudited?: string;
}

const USABLE: Record<BackupSource, ReadonlySet<string>> = {
  native: new Set(['AVAILABLE']),
  awsBackup: new Set(['COMPLETED', 'AVAILABLE']),
};

const SOURCE_LABEL: Record<BackupSource, string> = {
  native: 'native',
  awsBackup: 'AWS Backup',
};

export function isUsable(backup: BackupEvidence): boolean {
  return USABLE[backup.source].has(backup.status);
}

export function evaluate(evidence: TableEvidence): Finding {
  const base = {
    ruleId: RULE_ID,
    region: evidence.region,
    tableName: evidence.tableName,
    tableArn: evidence.tableArn,
  } as const;
  if (evidence.notAudited) return { ...base, status: 'ERROR', reason: evidence.notAudited };

  const listed = [evidence.native, evidence.awsBackup].flatMap((s) => (s.kind === 'listed' ? s.backups : []));
  const usable = listed.filter(isUsable);
  if (usable.length > 0) {
    const newest = newestOf(usable);
    const sources = [...new Set(usable.map((b) => SOURCE_LABEL[b.source]))].join(' and ');
    return {
      ...base,
      status: 'COMPLIANT',
      reason: `Has ${plural(usable.length, 'usable backup')} (${sources})${newest?.createdAt ? `, newest from ${newest.createdAt.toISOString()}` : ''}.`,
      ...(newest?.createdAt ? { lastBackupAt: newest.createdAt.toISOString() } : {}),
    };
  }

  const failures = (['native', 'awsBackup'] as const).flatMap((source) => {
    const result = evidence[source];
    return result.kind === 'failed'
      ? [`${SOURCE_LABEL[source]} backups could not be listed (${result.error})`]
      : [];
  });
  if (failures.length > 0) {
    return { ...base, status: 'ERROR', reason: `Could not evaluate: ${failures.join('; ')}.` };
  }

  if (listed.length === 0) {
    return {
      ...base,
      status: 'NON_COMPLIANT',
      reason: 'No backup at all: no native on-demand backup and no AWS Backup recovery point.',
    };
  }
  return {
    ...base,
    status: 'NON_COMPLIANT',
    reason: `Has ${plural(listed.length, 'backup')} but none usable: ${describeStatuses(listed)}.`,
  };
}

/** `native CREATING ×1, DELETED ×2; AWS Backup PARTIAL ×1` */
function describeStatuses(backups: BackupEvidence[]): string {
  return (['native', 'awsBackup'] as const)
    .map((source) => {
      const counts = new Map<string, number>();
      for (const b of backups) if (b.source === source) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
      if (counts.size === 0) return '';
      const parts = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s} ×${n}`);
      return `${SOURCE_LABEL[source]} ${parts.join(', ')}`;
    })
    .filter((s) => s !== '')
    .join('; ');
}

function newestOf(backups: BackupEvidence[]): BackupEvidence | undefined {
  let newest: BackupEvidence | undefined;
  for (const b of backups) {
    if (!b.createdAt) continue;
    if (!newest?.createdAt || b.createdAt > newest.createdAt) newest = b;
  }
  return newest ?? backups[0];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
