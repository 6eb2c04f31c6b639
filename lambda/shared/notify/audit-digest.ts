/**
 * The per-region digest of an audit: sent only when the region has NON_COMPLIANT or ERROR findings
 * (EXEMPT tables never cause one); failing tables grouped by cause, every one named, or the first ones
 * and a count when SNS's size limit would be passed; exemptions that end within 14 days listed.
 * A report that could not be written to the reports bucket is a hole in the compliance history: it is
 * told even when no table fails. A Security Hub problem rides along with a digest that is sent anyway.
 */
import { backupName } from '../backup-name';
import { AuditPolicy } from '../policy/audit-policy';
import { Cause, causeOf } from '../rule';
import { AuditReport, Finding, RULE_ID } from '../types';
import { fitToBudget, RenderedMessage, toSubject } from './message';
import { fitDescription, slackCode, slackText } from './slack-text';

export interface DigestContext {
  autoRemediation: boolean;
  /** Why remediation could not be requested, when it failed. */
  remediationError?: string;
  /** The table listing stopped at the time budget: more tables exist than were audited. */
  tableListIncomplete?: boolean;
  /** Why the exemption tags could not be read: tables were evaluated without them. */
  exemptionsUnavailable?: string;
  /** The policy the audit applied (shown so a reader knows the rule's meaning). */
  policy?: AuditPolicy;
  /** Why the report could not be written to the reports bucket (sends a digest by itself). */
  reportWriteError?: string;
  /** One line about a Security Hub problem (not enabled, refused findings, a failed call). */
  securityHub?: string;
}

const RULE_TITLE = 'DynamoDB tables should use on-demand backup and restore';
/** Slack shows a short list; the email carries the full one. */
const SLACK_TABLE_LIMIT = 15;
/** Exemptions ending within this many days are listed. */
export const EXEMPTION_NOTICE_DAYS = 14;
const EXEMPTIONS_LISTED_MAX = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The groups of failing tables, in the order the digest shows them. */
const GROUPS: { cause: Cause; title: string; slack: string }[] = [
  { cause: 'noBackup', title: 'No backup at all', slack: 'no backup' },
  { cause: 'unusableOnly', title: 'Only unusable backups', slack: 'unusable' },
  { cause: 'tooOld', title: 'Newest usable backup too old', slack: 'too old' },
  {
    cause: 'earlierTable',
    title: 'Backups of an earlier table only (re-created table)',
    slack: 're-created',
  },
  { cause: 'notEvaluated', title: 'COULD NOT BE EVALUATED', slack: 'error' },
];

export function renderAuditDigest(report: AuditReport, context: DigestContext): RenderedMessage | undefined {
  const failing = report.findings.filter((f) => f.status === 'NON_COMPLIANT' || f.status === 'ERROR');
  if (failing.length === 0 && !context.tableListIncomplete && context.reportWriteError === undefined) {
    return undefined;
  }
  const ordered = GROUPS.flatMap(({ cause }) => failing.filter((f) => causeOf(f) === cause));
  const ending = endingExemptions(report);
  return fitToBudget(ordered.length, (shown) =>
    render(report, context, ordered.slice(0, shown), ordered.length, ending),
  );
}

/** EXEMPT findings whose exemption ends within EXEMPTION_NOTICE_DAYS of the audit, soonest first. */
export function endingExemptions(report: AuditReport): Finding[] {
  const horizon = new Date(new Date(report.finishedAt).getTime() + EXEMPTION_NOTICE_DAYS * DAY_MS)
    .toISOString()
    .slice(0, 10);
  return report.findings
    .filter((f) => f.status === 'EXEMPT' && f.exemptUntil !== undefined && f.exemptUntil <= horizon)
    .sort((a, b) => (a.exemptUntil ?? '').localeCompare(b.exemptUntil ?? ''));
}

function render(
  report: AuditReport,
  context: DigestContext,
  shown: Finding[],
  failingCount: number,
  ending: Finding[],
): RenderedMessage {
  const { region, accountId, summary } = report;
  const headline = `${failingCount} of ${summary.tables} DynamoDB ${summary.tables === 1 ? 'table' : 'tables'} in ${region} without a usable backup`;
  const subject = toSubject(`${RULE_ID}: ${headline} (${accountId})`);
  const worst = summary.nonCompliant > 0 ? 'NON_COMPLIANT' : 'ERROR';
  const slackShown = shown.slice(0, SLACK_TABLE_LIMIT);
  return {
    subject,
    email: renderEmail(report, context, shown, failingCount, headline, ending),
    chatbot: {
      version: '1.0',
      source: 'custom',
      id: `${RULE_ID}-${region}-${report.finishedAt}`,
      content: {
        textType: 'client-markdown',
        title: `:warning: ${RULE_ID}: ${headline}`,
        description: renderSlackDescription(report, context, slackShown, failingCount, ending),
        nextSteps: nextSteps(report, context),
        keywords: [RULE_ID, region, 'High'],
      },
      metadata: {
        threadId: `${RULE_ID}-${accountId}-${region}`,
        summary: headline,
        eventType: `${RULE_ID} audit`,
        relatedResources: slackShown.map((f) => f.tableArn),
        additionalContext: { account: accountId, region, status: worst },
      },
    },
    attributes: { status: worst, region },
  };
}

function countsLine(report: AuditReport): string {
  const { summary } = report;
  return (
    `${summary.tables} tables, ${summary.compliant} compliant, ${summary.nonCompliant} non-compliant, ` +
    `${summary.errors} could not be evaluated${summary.exempt > 0 ? `, ${summary.exempt} exempt` : ''}`
  );
}

function policyLines(policy: AuditPolicy | undefined): string[] {
  const lines = [
    'A table complies when it has at least one usable backup: a native on-demand backup that is AVAILABLE',
    'or an AWS Backup recovery point that is COMPLETED.',
  ];
  if (policy && policy.maxBackupAgeHours > 0)
    lines.push(`Policy: the newest usable backup must be at most ${policy.maxBackupAgeHours} hours old.`);
  if (policy?.verifyTableIdentity)
    lines.push('Policy: a backup counts only if it was made of the table that exists now.');
  return lines;
}

function renderEmail(
  report: AuditReport,
  context: DigestContext,
  shown: Finding[],
  failingCount: number,
  headline: string,
  ending: Finding[],
): string {
  const { region, accountId } = report;
  const lines = [
    `${headline} (account ${accountId}).`,
    '',
    `Rule: ${RULE_ID} "${RULE_TITLE}" (risk: High).`,
    ...policyLines(context.policy),
    '',
    `Audit of ${region} finished ${report.finishedAt}: ${countsLine(report)}.`,
  ];
  if (context.tableListIncomplete) {
    lines.push(
      '',
      'WARNING: the audit ran out of time while listing tables; tables after these were not audited.',
    );
  }
  if (context.exemptionsUnavailable) {
    lines.push(
      '',
      `WARNING: exemption tags could not be read (${context.exemptionsUnavailable}); tables were evaluated without their tag exemptions.`,
    );
  }
  if (context.reportWriteError) {
    lines.push(
      '',
      `WARNING: this audit's report could not be saved in the reports bucket (${context.reportWriteError}); the history has no entry for this run.`,
    );
  }
  if (context.securityHub) lines.push('', `WARNING: ${context.securityHub}`);
  const nonCompliant = shown.filter((f) => f.status === 'NON_COMPLIANT');
  if (nonCompliant.length > 0) lines.push('', `NON-COMPLIANT (${report.summary.nonCompliant})`);
  for (const group of GROUPS) {
    const members = shown.filter((f) => causeOf(f) === group.cause);
    if (members.length === 0) continue;
    if (group.cause === 'notEvaluated') {
      lines.push('', `COULD NOT BE EVALUATED (${report.summary.errors})`);
    } else {
      const total = report.findings.filter((f) => causeOf(f) === group.cause).length;
      lines.push('', `${group.title} (${total})`);
    }
    for (const f of members) {
      lines.push(`- ${f.tableName} (${f.region})`, `  Why: ${f.reason}`);
      if (f.status === 'NON_COMPLIANT' && !context.autoRemediation) {
        lines.push(
          `  Fix: aws dynamodb create-backup --region ${f.region} --table-name ${f.tableName} ` +
            `--backup-name ${backupName(f.tableName, new Date(report.finishedAt))}`,
        );
      }
    }
    if (group.cause === 'notEvaluated') {
      lines.push(
        "  Check the audit function's permissions and logs; these tables are never remediated automatically.",
      );
    }
  }
  const hidden = failingCount - shown.length;
  if (hidden > 0) {
    lines.push(
      '',
      `... and ${hidden} more failing tables not listed here (SNS message size limit).`,
      "Run the audit CLI or read the audit function's report for the full list.",
    );
  }
  if (ending.length > 0) {
    lines.push('', `EXEMPTIONS ENDING WITHIN ${EXEMPTION_NOTICE_DAYS} DAYS (${ending.length})`);
    for (const f of ending.slice(0, EXEMPTIONS_LISTED_MAX))
      lines.push(`- ${f.tableName} (${f.region}): last exempt day ${f.exemptUntil}`);
    if (ending.length > EXEMPTIONS_LISTED_MAX)
      lines.push(`... and ${ending.length - EXEMPTIONS_LISTED_MAX} more.`);
  }
  lines.push('', ...nextSteps(report, context));
  return lines.join('\n');
}

function renderSlackDescription(
  report: AuditReport,
  context: DigestContext,
  shown: Finding[],
  failingCount: number,
  ending: Finding[],
): string {
  const { summary, accountId, region } = report;
  const header = [
    `*${summary.nonCompliant} non-compliant, ${summary.errors} not evaluated*${summary.exempt > 0 ? `, ${summary.exempt} exempt` : ''} of ${summary.tables} tables · account \`${accountId}\` · ${region}`,
  ];
  if (context.exemptionsUnavailable)
    header.push(`:warning: exemption tags could not be read (${slackText(context.exemptionsUnavailable)})`);
  if (context.reportWriteError)
    header.push(`:warning: the report could not be saved in S3 (${slackText(context.reportWriteError)})`);
  if (context.securityHub) header.push(`:warning: ${slackText(context.securityHub)}`);
  if (ending.length > 0) {
    const names = ending.slice(0, 5).map((f) => `${slackCode(f.tableName, 80)} (${f.exemptUntil})`);
    header.push(
      `Exemptions ending within ${EXEMPTION_NOTICE_DAYS} days: ${names.join(', ')}${ending.length > 5 ? ` and ${ending.length - 5} more` : ''}`,
    );
  }
  const label = (f: Finding) => GROUPS.find((g) => g.cause === causeOf(f))?.slack ?? 'failing';
  return fitDescription(
    header,
    shown.map((f) => `• ${slackCode(f.tableName)} _${label(f)}_ ${slackText(f.reason)}`),
    (hidden) => `…and ${hidden + failingCount - shown.length} more (see the email digest).`,
  );
}

function nextSteps(report: AuditReport, context: DigestContext): string[] {
  if (report.summary.nonCompliant === 0 && report.summary.errors === 0)
    return ["Check the audit function's permissions and logs for what went wrong."];
  if (report.summary.nonCompliant === 0)
    return ["Check the audit function's permissions and logs for the tables that could not be evaluated."];
  if (context.remediationError) {
    return [
      `Auto-remediation is ON but could not be requested (${context.remediationError}); create the backups by hand or re-run the audit.`,
    ];
  }
  if (context.autoRemediation) {
    return [
      `Auto-remediation is ON: an on-demand backup was requested for ${report.remediationRequested} non-compliant ${report.remediationRequested === 1 ? 'table' : 'tables'}; a summary of the backups created follows.`,
    ];
  }
  return [
    'Auto-remediation is OFF: create a backup with the command shown for each table, or update the stack with AutoRemediation=true.',
  ];
}
