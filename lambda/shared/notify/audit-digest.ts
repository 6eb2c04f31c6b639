/**
 * The per-region digest of an audit: sent only when the region has NON_COMPLIANT or ERROR findings;
 * names every failing table, or the first ones and a count when SNS's size limit would be passed.
 */
import { backupName } from '../backup-name';
import { AuditReport, Finding, RULE_ID } from '../types';
import { fitToBudget, RenderedMessage, toSubject } from './message';
import { fitDescription, slackCode, slackText } from './slack-text';

export interface DigestContext {
  autoRemediation: boolean;
  /** Why remediation could not be requested, when it failed. */
  remediationError?: string;
  /** The table listing stopped at the time budget: more tables exist than were audited. */
  tableListIncomplete?: boolean;
}

const RULE_TITLE = 'DynamoDB tables should use on-demand backup and restore';
/** Slack shows a short list; the email carries the full one. */
const SLACK_TABLE_LIMIT = 15;

export function renderAuditDigest(report: AuditReport, context: DigestContext): RenderedMessage | undefined {
  const failing = report.findings.filter((f) => f.status !== 'COMPLIANT');
  if (failing.length === 0 && !context.tableListIncomplete) return undefined;
  const nonCompliant = failing.filter((f) => f.status === 'NON_COMPLIANT');
  const errors = failing.filter((f) => f.status === 'ERROR');
  const ordered = [...nonCompliant, ...errors];
  return fitToBudget(ordered.length, (shown) =>
    render(report, context, ordered.slice(0, shown), ordered.length),
  );
}

function render(
  report: AuditReport,
  context: DigestContext,
  shown: Finding[],
  failingCount: number,
): RenderedMessage {
  const { region, accountId, summary } = report;
  const headline = `${failingCount} of ${summary.tables} DynamoDB ${summary.tables === 1 ? 'table' : 'tables'} in ${region} without a usable backup`;
  const subject = toSubject(`${RULE_ID}: ${headline} (${accountId})`);
  const worst = summary.nonCompliant > 0 ? 'NON_COMPLIANT' : 'ERROR';
  return {
    subject,
    email: renderEmail(report, context, shown, failingCount, headline),
    chatbot: {
      version: '1.0',
      source: 'custom',
      id: `${RULE_ID}-${region}-${report.finishedAt}`,
      content: {
        textType: 'client-markdown',
        title: `:warning: ${RULE_ID}: ${headline}`,
        description: renderSlackDescription(report, shown.slice(0, SLACK_TABLE_LIMIT), failingCount),
        nextSteps: nextSteps(report, context),
        keywords: [RULE_ID, region, 'High'],
      },
      metadata: {
        threadId: `${RULE_ID}-${accountId}-${region}`,
        summary: headline,
        eventType: `${RULE_ID} audit`,
        relatedResources: shown.slice(0, SLACK_TABLE_LIMIT).map((f) => f.tableArn),
        additionalContext: { account: accountId, region, status: worst },
      },
    },
    attributes: { status: worst, region },
  };
}

function renderEmail(
  report: AuditReport,
  context: DigestContext,
  shown: Finding[],
  failingCount: number,
  headline: string,
): string {
  const { region, accountId, summary } = report;
  const lines = [
    `${headline} (account ${accountId}).`,
    '',
    `Rule: ${RULE_ID} "${RULE_TITLE}" (risk: High).`,
    'A table complies when it has at least one usable backup: a native on-demand backup that is AVAILABLE',
    'or an AWS Backup recovery point that is COMPLETED.',
    '',
    `Audit of ${region} finished ${report.finishedAt}: ${summary.tables} tables, ${summary.compliant} compliant, ` +
      `${summary.nonCompliant} non-compliant, ${summary.errors} could not be evaluated.`,
  ];
  if (context.tableListIncomplete) {
    lines.push(
      '',
      'WARNING: the audit ran out of time while listing tables; tables after these were not audited.',
    );
  }
  const nonCompliant = shown.filter((f) => f.status === 'NON_COMPLIANT');
  const errors = shown.filter((f) => f.status === 'ERROR');
  if (nonCompliant.length > 0) {
    lines.push('', `NON-COMPLIANT (${summary.nonCompliant})`);
    for (const f of nonCompliant) {
      lines.push(`- ${f.tableName} (${f.region})`, `  Why: ${f.reason}`);
      if (!context.autoRemediation) {
        lines.push(
          `  Fix: aws dynamodb create-backup --region ${f.region} --table-name ${f.tableName} ` +
            `--backup-name ${backupName(f.tableName, new Date(report.finishedAt))}`,
        );
      }
    }
  }
  if (errors.length > 0) {
    lines.push('', `COULD NOT BE EVALUATED (${summary.errors})`);
    for (const f of errors) lines.push(`- ${f.tableName} (${f.region})`, `  Why: ${f.reason}`);
    lines.push(
      "  Check the audit function's permissions and logs; these tables are never remediated automatically.",
    );
  }
  const hidden = failingCount - shown.length;
  if (hidden > 0) {
    lines.push(
      '',
      `... and ${hidden} more failing tables not listed here (SNS message size limit).`,
      "Run the audit CLI or read the audit function's report for the full list.",
    );
  }
  lines.push('', ...nextSteps(report, context));
  return lines.join('\n');
}

function renderSlackDescription(report: AuditReport, shown: Finding[], failingCount: number): string {
  const { summary, accountId, region } = report;
  return fitDescription(
    [
      `*${summary.nonCompliant} non-compliant, ${summary.errors} not evaluated* of ${summary.tables} tables · account \`${accountId}\` · ${region}`,
    ],
    shown.map(
      (f) => `• ${slackCode(f.tableName)} ${f.status === 'ERROR' ? '(error) ' : ''}${slackText(f.reason)}`,
    ),
    (hidden) => `…and ${hidden + failingCount - shown.length} more (see the email digest).`,
  );
}

function nextSteps(report: AuditReport, context: DigestContext): string[] {
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
