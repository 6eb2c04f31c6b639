/** What reaches Slack: untrusted text escaped and clipped, descriptions within a fixed budget. */
import { renderAuditDigest } from '../lambda/shared/notify/audit-digest';
import { renderAuditFailure } from '../lambda/shared/notify/audit-failure';
import { renderRemediationSummary } from '../lambda/shared/notify/remediation-summary';
import {
  fitDescription,
  SLACK_DESCRIPTION_MAX_CHARS,
  SLACK_VALUE_MAX_CHARS,
  slackText,
} from '../lambda/shared/notify/slack-text';
import { AuditReport, Finding, RemediationResult } from '../lambda/shared/types';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const HOSTILE =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/<!channel> <https://evil.example|click> `x` & *bold*';

/** Slack's control sequences that must never survive: mentions, links and code-span breaks. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/<!|<https?:|<@/);
  expect(text).not.toContain('`x`');
}

describe('Slack text', () => {
  it('escapes mentions, links and ampersands and flattens line breaks', () => {
    expect(slackText('a <!here> & <http://x|y>\nnext `line`')).toBe(
      "a &lt;!here&gt; &amp; &lt;http://x|y&gt; next 'line'",
    );
  });

  it(`clips an untrusted value to ${SLACK_VALUE_MAX_CHARS} characters`, () => {
    const text = slackText('x'.repeat(5000));
    expect([...text]).toHaveLength(SLACK_VALUE_MAX_CHARS);
    expect(text.endsWith('…')).toBe(true);
  });

  it('keeps a description within its budget and says how many items it left out', () => {
    const items = Array.from({ length: 500 }, (_, i) => `• item ${i} ${'y'.repeat(100)}`);
    const text = fitDescription(['header'], items, (hidden) => `…and ${hidden} more.`);

    expect(text.length).toBeLessThanOrEqual(SLACK_DESCRIPTION_MAX_CHARS);
    const shown = text.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(`…and ${500 - shown} more.`);
  });

  it('escapes rejected ARNs and reasons of a remediation summary before they reach Slack', () => {
    const results: RemediationResult[] = [
      { tableArn: HOSTILE, status: 'REJECTED', reason: `"${HOSTILE}" is not a DynamoDB table ARN` },
      ...Array.from({ length: 40 }, (_, i) => ({
        tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${'t'.repeat(200)}${i}`,
        status: 'FAILED' as const,
        reason: `CreateBackup failed: ${'<!channel> '.repeat(100)}`,
      })),
    ];

    const { chatbot } = renderRemediationSummary(results, ACCOUNT);

    expectInert(chatbot.content.description);
    expectInert(chatbot.content.title);
    expect(chatbot.content.description.length).toBeLessThanOrEqual(SLACK_DESCRIPTION_MAX_CHARS);
    expect(chatbot.content.description).toMatch(/…and \d+ more \(see the email\)\./);
  });

  it('keeps the digest of 5,000 failing tables with 255-character names and long reasons within budget', () => {
    const findings: Finding[] = Array.from({ length: 5000 }, (_, i) => {
      const tableName = `${String(i).padStart(5, '0')}${'n'.repeat(250)}`;
      return {
        ruleId: 'DynamoDB-005',
        region: REGION,
        tableName,
        tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`,
        status: i % 2 ? 'NON_COMPLIANT' : 'ERROR',
        reason: `Could not evaluate: ${HOSTILE} ${'r'.repeat(800)}`,
      };
    });
    const report: AuditReport = {
      region: REGION,
      accountId: ACCOUNT,
      startedAt: '2026-11-28T06:00:00.000Z',
      finishedAt: '2026-11-28T06:00:04.000Z',
      summary: { tables: 5000, compliant: 0, nonCompliant: 2500, errors: 2500, exempt: 0 },
      findings,
      remediationRequested: 0,
    };

    const digest = renderAuditDigest(report, { autoRemediation: false });

    const description = digest?.chatbot.content.description ?? '';
    expect(description.length).toBeLessThanOrEqual(SLACK_DESCRIPTION_MAX_CHARS);
    expectInert(description);
    expect(description).toMatch(/…and \d+ more \(see the email digest\)\./);
  });

  it('escapes the error text of an audit failure alert', () => {
    const { chatbot } = renderAuditFailure({
      accountId: ACCOUNT,
      region: REGION,
      headline: `audit of ${REGION} failed`,
      details: [`ListTables failed: AccessDeniedException: ${HOSTILE}`],
    });

    expectInert(chatbot.content.description);
  });
});
