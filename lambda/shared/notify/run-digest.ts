/**
 * The digest of a run over several accounts: ONE message for the whole run instead of one per
 * account and region. Sent only when some table is NON_COMPLIANT or could not be evaluated, or some
 * account × region could not be audited. It gives the totals, the accounts that could not be audited
 * at all (with why, e.g. the member role is missing), the counts per account worst first, the first
 * failing tables (account, region, table, reason), and where the run's full report lies in S3.
 *
 * Same shape as the regional digest (lambda/shared/notify/audit-digest.ts): plain text for email,
 * an AWS Chatbot custom notification for Slack, within SNS's 256 KB (at 1,000 accounts, accounts and
 * then tables are cut to what fits, with a count of what was left out) and Slack's 3,000 characters.
 */
import { tableArn } from '../arn';
import { RunSummary, failingCount } from '../run/run-summary';
import { RULE_ID } from '../types';
import { fitToBudget, largestFitting, RenderedMessage, toSubject } from './message';
import { fitDescription, slackCode, slackText } from './slack-text';

const RULE_TITLE = 'DynamoDB tables should use on-demand backup and restore';
const SLACK_ACCOUNT_LIMIT = 8;
const SLACK_TABLE_LIMIT = 10;
const UNAUDITED_SLACK_LIMIT = 5;

interface FailingRow {
  accountId: string;
  region: string;
  tableName: string;
  status: string;
  reason: string;
}

const int = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string): string => `${int(n)} ${n === 1 ? one : many}`;

export function reportUri(summary: Pick<RunSummary, 'bucket' | 'runId'>): string {
  return `s3://${summary.bucket}/runs/${summary.runId}/summary.json`;
}

export function renderRunDigest(summary: RunSummary): RenderedMessage | undefined {
  const failingTables = failingCount(summary.totals);
  if (failingTables === 0 && summary.itemsFailed === 0) return undefined;
  const rows: FailingRow[] = summary.results.flatMap((r) =>
    r.failing.map((f) => ({ accountId: r.accountId, region: r.region, ...f })),
  );
  const accountCount = largestFitting(summary.byAccount.length, (n) => render(summary, rows, n, 0));
  return fitToBudget(rows.length, (shown) => render(summary, rows, accountCount, shown));
}

/** The headline; `short` for the subject (fewer than 100 characters at 1,000 accounts). */
function headlineOf(summary: RunSummary, short = false): string {
  const failingTables = failingCount(summary.totals);
  const accountsFailing = summary.byAccount.filter((a) => failingCount(a.summary) > 0).length;
  const unaudited = summary.unauditedAccounts.length;
  const parts: string[] = [];
  if (failingTables > 0) {
    parts.push(
      `${plural(failingTables, short ? 'table' : 'DynamoDB table', short ? 'tables' : 'DynamoDB tables')} ` +
        `without a usable backup in ${int(accountsFailing)} of ${plural(summary.accounts, 'account', 'accounts')}`,
    );
  }
  if (unaudited > 0)
    parts.push(
      short ? `${int(unaudited)} not audited` : `${plural(unaudited, 'account', 'accounts')} not audited`,
    );
  const partial =
    summary.itemsFailed - summary.unauditedAccounts.reduce((n, u) => n + regionsOf(summary, u.accountId), 0);
  if (partial > 0) {
    parts.push(
      short
        ? `${plural(partial, 'region', 'regions')} failed`
        : `${plural(partial, 'account-region audit', 'account-region audits')} failed`,
    );
  }
  return parts.join(short ? '; ' : ', ');
}

function regionsOf(summary: RunSummary, accountId: string): number {
  return summary.byAccount.find((a) => a.accountId === accountId)?.regions ?? 0;
}

function accountLine(a: RunSummary['byAccount'][number]): string {
  const s = a.summary;
  const counts =
    `${int(s.nonCompliant)} non-compliant, ${int(s.errors)} not evaluated` +
    `${s.exempt > 0 ? `, ${int(s.exempt)} exempt` : ''} of ${plural(s.tables, 'table', 'tables')}`;
  const failed = a.failedRegions.length;
  return failed > 0 ? `${counts}; ${int(failed)} of ${int(a.regions)} regions not audited` : counts;
}

function totalsLine(summary: RunSummary): string {
  const t = summary.totals;
  return (
    `${plural(summary.accounts, 'account', 'accounts')} × ${plural(summary.regions, 'region', 'regions')} ` +
    `(${plural(summary.items, 'audit', 'audits')}): ${plural(t.tables, 'table', 'tables')}, ${int(t.compliant)} compliant, ` +
    `${int(t.nonCompliant)} non-compliant, ${int(t.errors)} could not be evaluated` +
    `${t.exempt > 0 ? `, ${int(t.exempt)} exempt` : ''}; ` +
    `${int(summary.itemsFailed)} account-region ${summary.itemsFailed === 1 ? 'audit' : 'audits'} failed`
  );
}

function render(
  summary: RunSummary,
  rows: FailingRow[],
  accountsShown: number,
  tablesShown: number,
): RenderedMessage {
  const headline = headlineOf(summary);
  const worst = summary.totals.nonCompliant > 0 ? 'NON_COMPLIANT' : 'ERROR';
  const uri = reportUri(summary);
  const nextSteps = [
    `Full report of every account and region: ${uri}`,
    ...(summary.unauditedAccounts.length > 0
      ? [
          'Accounts not audited: deploy the member role there (MemberOrganizationalUnitIds, or the ' +
            'DynamoDbBackupAuditorMemberRole stack) and check it trusts this auditor.',
        ]
      : []),
  ];
  return {
    subject: toSubject(`${RULE_ID}: ${headlineOf(summary, true)}`),
    email: renderEmail(summary, rows, accountsShown, tablesShown, headline, nextSteps),
    chatbot: {
      version: '1.0',
      source: 'custom',
      id: `${RULE_ID}-run-${summary.runId}`,
      content: {
        textType: 'client-markdown',
        title: `:warning: ${RULE_ID}: ${headline}`,
        description: renderSlack(summary, rows),
        nextSteps,
        keywords: [RULE_ID, 'organization', 'High'],
      },
      metadata: {
        threadId: `${RULE_ID}-run`,
        summary: headline,
        eventType: `${RULE_ID} audit`,
        relatedResources: rows
          .slice(0, SLACK_TABLE_LIMIT)
          .map((r) => tableArn(r.region, r.accountId, r.tableName)),
        additionalContext: { run: summary.runId, accounts: String(summary.accounts), status: worst },
      },
    },
    attributes: { status: worst, region: 'multiple' },
  };
}

function renderEmail(
  summary: RunSummary,
  rows: FailingRow[],
  accountsShown: number,
  tablesShown: number,
  headline: string,
  nextSteps: string[],
): string {
  const lines = [
    `${headline}.`,
    '',
    `Rule: ${RULE_ID} "${RULE_TITLE}" (risk: High).`,
    'A table complies when it has at least one usable backup: a native on-demand backup that is AVAILABLE',
    'or an AWS Backup recovery point that is COMPLETED.',
    '',
    `Run ${summary.runId} finished ${summary.finishedAt}: ${totalsLine(summary)}.`,
    `Full report: ${reportUri(summary)}`,
  ];
  const { unauditedAccounts } = summary;
  if (unauditedAccounts.length > 0) {
    lines.push('', `ACCOUNTS THAT COULD NOT BE AUDITED (${int(unauditedAccounts.length)})`);
    for (const u of unauditedAccounts)
      lines.push(
        `- ${u.accountId} (all ${plural(regionsOf(summary, u.accountId), 'region', 'regions')}): ${u.reason}`,
      );
  }
  lines.push('', `COUNTS PER ACCOUNT, WORST FIRST (${int(summary.byAccount.length)})`);
  for (const a of summary.byAccount.slice(0, accountsShown))
    lines.push(`- ${a.accountId}: ${accountLine(a)}`);
  if (accountsShown < summary.byAccount.length) {
    lines.push(
      `... and ${int(summary.byAccount.length - accountsShown)} more accounts not listed here (SNS message size limit); the report lists every one.`,
    );
  }
  const failingTables = failingCount(summary.totals);
  if (rows.length > 0) {
    lines.push('', `FIRST FAILING TABLES (${int(tablesShown)} of ${int(failingTables)})`);
    for (const r of rows.slice(0, tablesShown))
      lines.push(`- ${r.accountId} ${r.region} ${r.tableName} (${r.status})`, `  Why: ${r.reason}`);
    if (tablesShown < failingTables) {
      lines.push(
        `... and ${int(failingTables - tablesShown)} more failing tables not listed here; each account and region's report has them all.`,
      );
    }
  }
  lines.push('', ...nextSteps);
  return lines.join('\n');
}

function renderSlack(summary: RunSummary, rows: FailingRow[]): string {
  const t = summary.totals;
  const header = [
    `*${int(t.nonCompliant)} non-compliant, ${int(t.errors)} not evaluated* of ${int(t.tables)} tables · ` +
      `${plural(summary.accounts, 'account', 'accounts')} × ${plural(summary.regions, 'region', 'regions')} · run ${slackCode(summary.runId, 80)}`,
  ];
  const unaudited = summary.unauditedAccounts;
  if (unaudited.length > 0) {
    const ids = unaudited.slice(0, UNAUDITED_SLACK_LIMIT).map((u) => slackCode(u.accountId, 20));
    header.push(
      `:x: Not audited: ${ids.join(', ')}${unaudited.length > UNAUDITED_SLACK_LIMIT ? ` and ${int(unaudited.length - UNAUDITED_SLACK_LIMIT)} more` : ''} ` +
        `(${slackText(unaudited[0]?.reason ?? '', 200)})`,
    );
  }
  const accounts = summary.byAccount
    .filter((a) => failingCount(a.summary) > 0 || a.failedRegions.length > 0)
    .slice(0, SLACK_ACCOUNT_LIMIT)
    .map((a) => `• ${slackCode(a.accountId, 20)} ${slackText(accountLine(a))}`);
  const tables = rows
    .slice(0, SLACK_TABLE_LIMIT)
    .map(
      (r) =>
        `• ${slackCode(r.accountId, 20)} ${slackText(r.region, 40)} ${slackCode(r.tableName)} _${r.status === 'ERROR' ? 'error' : 'non-compliant'}_ ${slackText(r.reason)}`,
    );
  return fitDescription(
    header,
    [...accounts, ...tables],
    (hidden) => `…and ${int(hidden)} more lines (see the email digest and the run report).`,
  );
}
