/**
 * Rule DynamoDB-005: a table is COMPLIANT when it has at least one usable backup, a native backup
 * whose status is AVAILABLE or an AWS Backup recovery point whose status is COMPLETED (or AVAILABLE),
 * refined by the audit policy: the newest usable backup must be young enough (MaxBackupAgeHours), and
 * with identity checks on it must belong to the table that exists now, not to an earlier table of the
 * same name. Pure: it judges the evidence gathered elsewhere and never calls AWS. Exemptions are
 * applied afterwards (policy/exemptions.ts).
 */
import { Finding, RULE_ID } from './types';

export type BackupSource = 'native' | 'awsBackup';

export interface BackupEvidence {
  source: BackupSource;
  status: string;
  createdAt?: Date;
  /** Native backups: the TableId of the table the backup was made of. */
  tableId?: string;
}

/**
 * What one source said about a table: its backups, that it could not be read, or that it was not
 * consulted because the other source already proved the table compliant.
 */
export type SourceResult =
  { kind: 'listed'; backups: BackupEvidence[] } | { kind: 'failed'; error: string } | { kind: 'notNeeded' };

/** The table that exists now (DescribeTable), or why it could not be described. */
export type TableIdentity = { tableId: string; createdAt: Date } | { failed: string };

export interface TableEvidence {
  region: string;
  tableName: string;
  tableArn: string;
  native: SourceResult;
  awsBackup: SourceResult;
  /** Set when the audit ran out of time before this table could be judged. */
  notAudited?: string;
  /** Set when identity checks are on and the table was described. */
  identity?: TableIdentity;
}

/** The policy parts the rule itself applies. */
export interface RulePolicy {
  /** 0: any age. */
  maxBackupAgeHours: number;
  /** The audit's time: backup ages are measured from it. */
  now: Date;
}

export const ANY_AGE: RulePolicy = { maxBackupAgeHours: 0, now: new Date(0) };

/** Why a table fails, for the digest's groups. */
export type Cause = 'noBackup' | 'unusableOnly' | 'tooOld' | 'earlierTable' | 'notEvaluated';

const USABLE: Record<BackupSource, ReadonlySet<string>> = {
  native: new Set(['AVAILABLE']),
  awsBackup: new Set(['COMPLETED', 'AVAILABLE']),
};

const SOURCE_LABEL: Record<BackupSource, string> = {
  native: 'native',
  awsBackup: 'AWS Backup',
};

/**
 * The first words of the NON_COMPLIANT reasons the digest groups by (any other NON_COMPLIANT reason,
 * "Has 2 backups but none usable: …", means only unusable backups).
 */
const REASON_START: Record<'noBackup' | 'tooOld' | 'earlierTable', string> = {
  noBackup: 'No backup at all',
  tooOld: 'Newest usable backup is',
  earlierTable: 'Backups of an earlier table only',
};

const HOUR_MS = 60 * 60 * 1000;

export function isUsable(backup: BackupEvidence): boolean {
  return USABLE[backup.source].has(backup.status);
}

/** Whether a backup was made of the table that exists now (native: its TableId; AWS Backup: its time). */
export function belongsTo(backup: BackupEvidence, identity: { tableId: string; createdAt: Date }): boolean {
  if (backup.source === 'native') return backup.tableId === identity.tableId;
  return backup.createdAt !== undefined && backup.createdAt >= identity.createdAt;
}

/** Usable, of the current table (when known) and young enough: a backup that makes the table compliant. */
export function isQualifying(backup: BackupEvidence, policy: RulePolicy, identity?: TableIdentity): boolean {
  if (!isUsable(backup)) return false;
  if (identity && 'tableId' in identity && !belongsTo(backup, identity)) return false;
  return isFresh(backup, policy);
}

function isFresh(backup: BackupEvidence, policy: RulePolicy): boolean {
  if (policy.maxBackupAgeHours <= 0) return true;
  return (
    backup.createdAt !== undefined &&
    policy.now.getTime() - backup.createdAt.getTime() <= policy.maxBackupAgeHours * HOUR_MS
  );
}

export function evaluate(evidence: TableEvidence, policy: RulePolicy = ANY_AGE): Finding {
  const base = {
    ruleId: RULE_ID,
    region: evidence.region,
    tableName: evidence.tableName,
    tableArn: evidence.tableArn,
  } as const;
  if (evidence.notAudited) return { ...base, status: 'ERROR', reason: evidence.notAudited };

  const listed = [evidence.native, evidence.awsBackup].flatMap((s) => (s.kind === 'listed' ? s.backups : []));
  const usable = listed.filter(isUsable);
  const identity = evidence.identity;
  const current = identity && 'tableId' in identity ? usable.filter((b) => belongsTo(b, identity)) : usable;
  const fresh = current.filter((b) => isFresh(b, policy));
  const newest = newestOf(current);
  const lastBackupAt = newest?.createdAt ? { lastBackupAt: newest.createdAt.toISOString() } : {};

  if (fresh.length > 0) {
    if (identity && 'failed' in identity) {
      return {
        ...base,
        status: 'ERROR',
        reason: `Could not evaluate: the table could not be described to check that its backups are its own (${identity.failed}).`,
      };
    }
    const sources = [...new Set(fresh.map((b) => SOURCE_LABEL[b.source]))].join(' and ');
    const newestFresh = newestOf(fresh);
    return {
      ...base,
      status: 'COMPLIANT',
      reason: `Has ${plural(fresh.length, 'usable backup')} (${sources})${newestFresh?.createdAt ? `, newest from ${newestFresh.createdAt.toISOString()}` : ''}.`,
      ...lastBackupAt,
    };
  }

  const failures = (['native', 'awsBackup'] as const).flatMap((source) => {
    const result = evidence[source];
    return result.kind === 'failed'
      ? [`${SOURCE_LABEL[source]} backups could not be listed (${result.error})`]
      : [];
  });
  if (failures.length > 0) {
    return {
      ...base,
      status: 'ERROR',
      reason: `Could not evaluate: ${failures.join('; ')}.`,
      ...lastBackupAt,
    };
  }

  if (current.length > 0 && newest) {
    return {
      ...base,
      status: 'NON_COMPLIANT',
      reason:
        `${REASON_START.tooOld} ${ageOf(newest, policy.now)} old` +
        `${newest.createdAt ? ` (${newest.createdAt.toISOString()})` : ''}; the limit is ${plural(policy.maxBackupAgeHours, 'hour')}.`,
      ...lastBackupAt,
    };
  }
  if (usable.length > 0 && identity && 'tableId' in identity) {
    return {
      ...base,
      status: 'NON_COMPLIANT',
      reason:
        `${REASON_START.earlierTable}: the table was re-created on ${identity.createdAt.toISOString()}, and its ` +
        `${plural(usable.length, 'usable backup')} (${describeStatuses(usable)}) belong to the table it replaced.`,
    };
  }
  if (listed.length === 0) {
    return {
      ...base,
      status: 'NON_COMPLIANT',
      reason: `${REASON_START.noBackup}: no native on-demand backup and no AWS Backup recovery point.`,
    };
  }
  return {
    ...base,
    status: 'NON_COMPLIANT',
    reason: `Has ${plural(listed.length, 'backup')} but none usable: ${describeStatuses(listed)}.`,
  };
}

/** Why a failing finding fails; undefined for COMPLIANT and EXEMPT ones. */
export function causeOf(finding: Finding): Cause | undefined {
  if (finding.status === 'ERROR') return 'notEvaluated';
  if (finding.status !== 'NON_COMPLIANT') return undefined;
  const found = (Object.keys(REASON_START) as (keyof typeof REASON_START)[]).find((cause) =>
    finding.reason.startsWith(REASON_START[cause]),
  );
  return found ?? 'unusableOnly';
}

/** `9 days`, `30 hours`, `45 minutes`. */
function ageOf(backup: BackupEvidence, now: Date): string {
  if (!backup.createdAt) return 'of unknown age, so too';
  const hours = (now.getTime() - backup.createdAt.getTime()) / HOUR_MS;
  if (hours >= 48) return plural(Math.floor(hours / 24), 'day');
  if (hours >= 1) return plural(Math.floor(hours), 'hour');
  return plural(Math.max(0, Math.floor(hours * 60)), 'minute');
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
