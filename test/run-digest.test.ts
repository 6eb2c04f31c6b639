/**
 * The one digest of a run over many accounts: counts per account worst first, the accounts that could
 * not be audited, the first failing tables and the report's S3 location, inside SNS's and Slack's
 * limits at 1,000 accounts × 17 regions.
 */
import { messageBody, messageBytes, SUBJECT_MAX_LENGTH } from '../lambda/shared/notify/message';
import { renderRunDigest, reportUri } from '../lambda/shared/notify/run-digest';
import { SLACK_DESCRIPTION_MAX_CHARS } from '../lambda/shared/notify/slack-text';
import { AuditItemResult, failedItemResult } from '../lambda/shared/run/item-result';
import { summarizeRun } from '../lambda/shared/run/run-summary';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];
const RUN = { runId: '20261128T060000Z-3f2a9c1e', bucket: 'auditor-reports-bucket', regions: REGIONS.length };
const FINISHED = new Date('2026-11-28T06:42:00Z');
const accountId = (i: number) => String(100000000000 + i);
const roleError = (id: string) =>
  `MemberRoleError: cannot assume arn:aws:iam::${id}:role/DynamoDbBackupAuditorMember: AccessDenied: User: ` +
  `arn:aws:sts::111111111111:assumed-role/audit/dynamodb-backup-audit-${RUN.runId} is not authorized to perform: sts:AssumeRole`;

function itemResult(account: string, region: string, failing: number, compliant: number): AuditItemResult {
  return {
    accountId: account,
    region,
    summary: { tables: failing + compliant, compliant, nonCompliant: failing, errors: 0, exempt: 0 },
    reportKey: `reports/date=2026-11-28/${account}-${region}-20261128T060500Z.json`,
    failing: Array.from({ length: Math.min(failing, 20) }, (_, t) => ({
      tableName: `${'orders-archive-'.repeat(15)}${t}`,
      status: 'NON_COMPLIANT' as const,
      reason: `No backup at all: no native on-demand backup and no AWS Backup recovery point. ${'z'.repeat(180)}`,
    })),
  };
}

/** 1,000 accounts × 17 regions; 30 without the member role; account i has i % 7 failing tables a region. */
function organizationRun() {
  const results: AuditItemResult[] = [];
  for (let i = 0; i < 1_000; i++) {
    const id = accountId(i);
    for (const region of REGIONS) {
      if (i % 33 === 5) results.push(failedItemResult({ accountId: id, region }, roleError(id)));
      else results.push(itemResult(id, region, i % 7, 40));
    }
  }
  return summarizeRun({ ...RUN, finishedAt: FINISHED }, results);
}

describe('the run digest', () => {
  const summary = organizationRun();
  const digest = renderRunDigest(summary);
  if (!digest) throw new Error('expected a digest');

  it('stays within SNS limits at 1,000 accounts × 17 regions', () => {
    expect(messageBytes(digest)).toBeLessThanOrEqual(262_144);
    expect(digest.subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(digest.subject).not.toMatch(/[\r\n]/);
    expect(digest.chatbot.content.description.length).toBeLessThanOrEqual(SLACK_DESCRIPTION_MAX_CHARS);
    expect(JSON.parse(JSON.parse(messageBody(digest)).default)).toMatchObject({
      version: '1.0',
      source: 'custom',
    });
  });

  it('names the failing tables, the accounts and the accounts not audited in the subject', () => {
    expect(summary.unauditedAccounts).toHaveLength(31);
    expect(digest.subject).toBe(
      `DynamoDB-005: ${summary.totals.nonCompliant.toLocaleString('en-US')} tables without a usable backup in ` +
        `${summary.byAccount.filter((a) => a.summary.nonCompliant > 0).length} of 1,000 accounts; 31 not audited`,
    );
    expect(digest.email.split('\n')[0]).toContain('DynamoDB tables without a usable backup in');
    expect(digest.attributes).toEqual({ status: 'NON_COMPLIANT', region: 'multiple' });
  });

  it('lists every account that could not be audited, with why', () => {
    const section =
      digest.email.split('ACCOUNTS THAT COULD NOT BE AUDITED (31)\n')[1]?.split('\n\n')[0] ?? '';

    expect(section.split('\n')).toHaveLength(31);
    expect(section).toContain(`- ${accountId(5)} (all 17 regions): ${roleError(accountId(5))}`);
    expect(digest.chatbot.content.description).toContain(':x: Not audited:');
  });

  it('gives the counts per account, worst first', () => {
    const lines = digest.email.split('COUNTS PER ACCOUNT, WORST FIRST (1,000)\n')[1]?.split('\n') ?? [];
    const counts = lines
      .filter((l) => /^- \d{12}: /.test(l))
      .map((l) => Number(/: (\d+) non-compliant/.exec(l)?.[1]));

    expect(counts.length).toBeGreaterThan(100);
    expect(counts[0]).toBe(6 * 17);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('shows the first failing tables with account, region, table and reason, and counts the rest', () => {
    const first = summary.results.find((r) => r.failing.length > 0);
    const table = first?.failing[0];

    expect(digest.email).toContain(
      `- ${first?.accountId} ${first?.region} ${table?.tableName} (NON_COMPLIANT)\n  Why: No backup at all`,
    );
    expect(digest.email).toMatch(/FIRST FAILING TABLES \(\d[\d,]* of [\d,]+\)/);
    expect(digest.email).toMatch(/\.\.\. and [\d,]+ more failing tables not listed here/);
  });

  it("points to the run's report in S3", () => {
    const uri = `s3://${RUN.bucket}/runs/${RUN.runId}/summary.json`;

    expect(reportUri(summary)).toBe(uri);
    expect(digest.email).toContain(`Full report: ${uri}`);
    expect(digest.chatbot.content.nextSteps).toContain(`Full report of every account and region: ${uri}`);
  });

  it('is not sent when every table of every account complies', () => {
    const clean = summarizeRun(
      { ...RUN, finishedAt: FINISHED },
      [accountId(1), accountId(2)].flatMap((id) => REGIONS.map((region) => itemResult(id, region, 0, 3))),
    );

    expect(renderRunDigest(clean)).toBeUndefined();
  });

  it('is sent for failed regions alone, and escapes untrusted text for Slack', () => {
    const results = [
      itemResult(accountId(1), 'eu-west-1', 0, 3),
      failedItemResult(
        { accountId: accountId(1), region: 'eu-west-2' },
        'ListTables failed: <!channel> *boom*',
      ),
      itemResult(accountId(2), 'eu-west-1', 0, 3),
      itemResult(accountId(2), 'eu-west-2', 0, 3),
    ];

    const partial = renderRunDigest(summarizeRun({ ...RUN, regions: 2, finishedAt: FINISHED }, results));

    expect(partial?.subject).toBe('DynamoDB-005: 1 region failed');
    expect(partial?.email.split('\n')[0]).toBe('1 account-region audit failed.');
    expect(partial?.attributes.status).toBe('ERROR');
    expect(partial?.chatbot.content.description).not.toContain('<!channel>');
    expect(partial?.email).toContain(
      `- ${accountId(1)}: 0 non-compliant, 0 not evaluated of 3 tables; 1 of 2 regions not audited`,
    );
  });
});
