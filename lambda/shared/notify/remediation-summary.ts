/** One summary of what a remediation run did: backups created, skipped, failed, rejected. */
import { regionOfArn } from '../arn';
import { RemediationResult, RemediationStatus, RULE_ID } from '../types';
import { fitToBudget, RenderedMessage, toSubject } from './message';
import { fitDescription, slackCode, slackText } from './slack-text';

const ORDER: RemediationStatus[] = ['FAILED', 'REJECTED', 'CREATED', 'SKIPPED'];
const SLACK_RESULT_LIMIT = 15;

export function renderRemediationSummary(results: RemediationResult[], accountId: string): RenderedMessage {
  const ordered = ORDER.flatMap((status) => results.filter((r) => r.status === status));
  return fitToBudget(ordered.length, (shown) => render(ordered.slice(0, shown), results, accountId));
}

function count(results: RemediationResult[], status: RemediationStatus): number {
  return results.filter((r) => r.status === status).length;
}

function render(shown: RemediationResult[], all: RemediationResult[], accountId: string): RenderedMessage {
  const created = count(all, 'CREATED');
  const problems = count(all, 'FAILED') + count(all, 'REJECTED');
  // Rejected entries are untrusted input: keep them out of the subject, attributes and resources.
  const valid = all.filter((r) => r.status !== 'REJECTED' && regionOfArn(r.tableArn));
  const regions = [...new Set(valid.map((r) => regionOfArn(r.tableArn) ?? ''))].sort();
  const where =
    regions.length === 1
      ? (regions[0] ?? '')
      : regions.length === 0
        ? 'no valid region'
        : `${regions.length} regions`;
  const headline =
    `remediation in ${where}: ${created} ${created === 1 ? 'backup' : 'backups'} created` +
    (problems > 0 ? `, ${problems} failed` : '') +
    (count(all, 'SKIPPED') > 0 ? `, ${count(all, 'SKIPPED')} skipped` : '');
  const tally = ORDER.map((s) => `${count(all, s)} ${s.toLowerCase()}`).join(', ');
  const line = (r: RemediationResult): string =>
    `${r.status} ${r.tableArn}` +
    (r.backupName ? ` -> backup ${r.backupName}` : '') +
    (r.reason ? ` (${r.reason})` : '');
  const email = [
    `${RULE_ID} auto-remediation, account ${accountId}: ${tally}.`,
    '',
    'Each table without a usable backup gets one on-demand backup named <table>-autobackup-<UTC time>.',
    'Nothing is ever deleted. Backups are billed per GB-month while you retain them.',
    '',
    ...shown.map(line),
    ...(shown.length < all.length
      ? ['', `... and ${all.length - shown.length} more results not listed (SNS message size limit).`]
      : []),
  ].join('\n');
  // Table names of REJECTED entries came from the caller: everything here is escaped and clipped.
  const slackItems = shown.map(
    (r) =>
      `• *${r.status}* ${slackCode(r.tableArn.split('/').pop() ?? r.tableArn)}` +
      `${r.backupName ? ` → ${slackCode(r.backupName)}` : ''}${r.reason ? ` (${slackText(r.reason)})` : ''}`,
  );
  return {
    subject: toSubject(`${RULE_ID}: ${headline} (${accountId})`),
    email,
    chatbot: {
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: `${problems > 0 ? ':x:' : ':white_check_mark:'} ${RULE_ID}: ${headline}`,
        description: fitDescription(
          [`${tally} · account \`${accountId}\``],
          slackItems,
          (hidden) => `…and ${hidden + all.length - shown.length} more (see the email).`,
          { maxItems: SLACK_RESULT_LIMIT },
        ),
        ...(problems > 0
          ? { nextSteps: ['Read the reasons above; failed tables are retried by the next audit.'] }
          : {}),
        keywords: [RULE_ID, 'remediation', ...regions],
      },
      metadata: {
        eventType: `${RULE_ID} remediation`,
        summary: headline,
        relatedResources: valid.slice(0, SLACK_RESULT_LIMIT).map((r) => r.tableArn),
        additionalContext: { account: accountId },
      },
    },
    attributes: {
      status: problems > 0 ? 'REMEDIATION_FAILED' : 'REMEDIATED',
      region: regions.length === 1 ? where : regions.length === 0 ? 'none' : 'multiple',
    },
  };
}
