/** The remediation event, checked before any AWS call. */
import { parseTableArn, TableRef } from '../shared/arn';
import { AuditAccounts, isAuditedAccount } from '../shared/org/audit-accounts';
import { AuditRegions, isAuditedRegion } from '../shared/regions';
import { RemediationResult } from '../shared/types';

export class InvalidRemediationEventError extends Error {
  override name = 'InvalidRemediationEventError';
}

/** Tables per event at most: a larger batch is a caller bug (the audit sends batches of 500). */
export const MAX_TABLES_PER_EVENT = 5000;

export interface RemediationScope {
  /** The auditor's own account. */
  accountId: string;
  homeRegion: string;
  auditRegions: AuditRegions;
  /** The accounts whose tables may be backed up. @default this account only */
  auditAccounts?: AuditAccounts;
}

export interface RemediationPlan {
  accepted: TableRef[];
  /** REJECTED and duplicate entries, with reasons. */
  refused: RemediationResult[];
  /** Every entry in the event's order: a table to back up, or the reason it is not. */
  entries: ({ accepted: TableRef } | { refused: RemediationResult })[];
}

/** The results in the order of the event's entries, whatever order the work finished in. */
export function resultsInEventOrder(plan: RemediationPlan, done: RemediationResult[]): RemediationResult[] {
  const byArn = new Map(done.map((r) => [r.tableArn, r]));
  return plan.entries.map((entry) =>
    'refused' in entry
      ? entry.refused
      : (byArn.get(entry.accepted.tableArn) ?? {
          tableArn: entry.accepted.tableArn,
          status: 'FAILED',
          reason: 'not processed',
        }),
  );
}

/** Throws when the event has no `tables` array; otherwise judges each entry on its own. */
export function planRemediation(event: unknown, scope: RemediationScope): RemediationPlan {
  if (typeof event !== 'object' || event === null || !Array.isArray((event as { tables?: unknown }).tables)) {
    throw new InvalidRemediationEventError(
      'Remediation event must be an object with a "tables" array: {"tables":[{"tableArn":"arn:aws:dynamodb:..."}]}',
    );
  }
  const tables = (event as { tables: unknown[] }).tables;
  if (tables.length > MAX_TABLES_PER_EVENT) {
    throw new InvalidRemediationEventError(
      `Remediation event has ${tables.length} tables; at most ${MAX_TABLES_PER_EVENT} are accepted`,
    );
  }
  const entries: RemediationPlan['entries'] = [];
  const refuse = (result: RemediationResult) => entries.push({ refused: result });
  const seen = new Set<string>();
  for (const entry of tables) {
    const raw =
      typeof entry === 'object' && entry !== null ? (entry as { tableArn?: unknown }).tableArn : undefined;
    const display = typeof raw === 'string' ? raw.slice(0, 2048) : String(raw);
    const parsed = parseTableArn(raw);
    if ('invalid' in parsed) {
      refuse({ tableArn: display, status: 'REJECTED', reason: parsed.invalid });
    } else if (
      !isAuditedAccount(scope.auditAccounts ?? { kind: 'home' }, scope.accountId, parsed.accountId)
    ) {
      refuse({
        tableArn: display,
        status: 'REJECTED',
        reason: `table belongs to account ${parsed.accountId}, which this stack does not audit`,
      });
    } else if (!isAuditedRegion(scope.auditRegions, scope.homeRegion, parsed.region)) {
      refuse({
        tableArn: display,
        status: 'REJECTED',
        reason: `region ${parsed.region} is not audited by this stack`,
      });
    } else if (seen.has(parsed.tableArn)) {
      refuse({ tableArn: display, status: 'SKIPPED', reason: 'listed twice in the event' });
    } else {
      seen.add(parsed.tableArn);
      entries.push({ accepted: parsed });
    }
  }
  return {
    accepted: entries.flatMap((e) => ('accepted' in e ? [e.accepted] : [])),
    refused: entries.flatMap((e) => ('refused' in e ? [e.refused] : [])),
    entries,
  };
}
