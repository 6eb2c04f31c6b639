/**
 * One region's audit in Security Hub: one ASFF finding per audited table (keeping the CreatedAt of
 * findings that already exist), and the findings of tables gone since the last import re-imported
 * ARCHIVED. The existing findings are read once (readExistingFindings), before this is called.
 * Archival needs the complete table list: when the listing was cut short by the time budget, the
 * tables not listed may still exist, so nothing is archived.
 */
import { AwsSecurityFinding, ImportFindingsError, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Pacer } from '../pacing';
import { AuditReport } from '../types';
import { toArchived, toAsff } from './asff';
import { ExistingFindings } from './existing-findings';
import { importFindings } from './importer';

export interface SecurityHubOutcome {
  /** Findings sent (ACTIVE ones and ARCHIVED ones). */
  sent: number;
  imported: number;
  /** Findings of deleted tables among those sent, re-imported ARCHIVED. */
  archived: number;
  /** Findings not imported. */
  failed: number;
  /** BatchImportFindings calls. */
  calls: number;
  /** The first FailedFindings. */
  failures: ImportFindingsError[];
  /** Security Hub is not enabled in the region: the service's message. */
  notEnabled?: string;
  /** A call that failed as a whole (access denied, throttled past every retry, …). */
  error?: string;
  /** Why findings of deleted tables were not archived, when that was not possible. */
  archivalSkipped?: string;
}

/** Archival skipped because the table list is incomplete (the digest already warns about that). */
export const LIST_INCOMPLETE = 'the table listing was cut short by the time budget';

export async function syncSecurityHub(
  client: SecurityHubClient,
  pacer: Pacer,
  input: { report: AuditReport; tableListComplete: boolean; existing: ExistingFindings },
): Promise<SecurityHubOutcome> {
  const { report, tableListComplete, existing } = input;
  const empty = { sent: 0, imported: 0, archived: 0, calls: 0, failures: [] };
  if (existing.kind === 'notEnabled') {
    return { ...empty, failed: report.findings.length, notEnabled: existing.message };
  }
  const known = existing.kind === 'read' ? existing.byTableArn : new Map<string, AwsSecurityFinding>();
  const auditedAt = report.finishedAt;
  const current = report.findings.map((finding) => {
    const createdAt = known.get(finding.tableArn)?.CreatedAt;
    return toAsff(finding, { accountId: report.accountId, auditedAt, ...(createdAt ? { createdAt } : {}) });
  });

  let archived: AwsSecurityFinding[] = [];
  let archivalSkipped: string | undefined;
  if (existing.kind === 'failed') {
    archivalSkipped = `existing findings could not be read (${existing.error})`;
  } else if (!tableListComplete) {
    archivalSkipped = LIST_INCOMPLETE;
  } else {
    const audited = new Set(report.findings.map((f) => f.tableArn));
    archived = [...known]
      .filter(([tableArn]) => !audited.has(tableArn))
      .map(([, finding]) => toArchived(finding, auditedAt));
  }

  const sent = [...current, ...archived];
  const result = await importFindings(client, pacer, sent);
  return {
    sent: sent.length,
    imported: result.imported,
    archived: archived.length,
    failed: result.failed,
    calls: result.calls,
    failures: result.failures,
    ...(result.notEnabled ? { notEnabled: result.notEnabled } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(archivalSkipped ? { archivalSkipped } : {}),
  };
}

/** The one digest line about Security Hub, when something went wrong; undefined otherwise. */
export function securityHubNote(outcome: SecurityHubOutcome, region: string): string | undefined {
  if (outcome.notEnabled !== undefined) {
    return (
      `Security Hub is not enabled in ${region} for this account, so no finding was imported ` +
      `(${outcome.notEnabled}). Enable Security Hub there, or update the stack with SecurityHubFindings=false.`
    );
  }
  const notes: string[] = [];
  if (outcome.error !== undefined) {
    notes.push(
      `Security Hub import stopped after ${outcome.imported} of ${outcome.sent} findings: ${outcome.error}.`,
    );
  } else if (outcome.failed > 0) {
    const first = outcome.failures[0];
    notes.push(
      `Security Hub refused ${outcome.failed} of ${outcome.sent} findings` +
        `${first ? ` (first: ${first.Id ?? 'unknown id'}: ${first.ErrorCode ?? ''} ${first.ErrorMessage ?? ''})`.replace(/\s+\)/, ')') : ''}; ` +
        "see the audit function's log.",
    );
  }
  if (outcome.archivalSkipped !== undefined && outcome.archivalSkipped !== LIST_INCOMPLETE) {
    notes.push(`Findings of deleted tables were not archived in Security Hub: ${outcome.archivalSkipped}.`);
  }
  return notes.length > 0 ? notes.join(' ') : undefined;
}
