import { renderReports } from '../cli/formats';
import { AuditReport, Finding, RULE_ID } from '../lambda/shared/types';

const ACCOUNT = '123456789012';

function report(findings: Partial<Finding>[]): AuditReport {
  return {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    startedAt: '2026-11-28T09:30:00.000Z',
    finishedAt: '2026-11-28T09:30:01.000Z',
    summary: { tables: findings.length, compliant: 0, nonCompliant: 0, errors: findings.length, exempt: 0 },
    findings: findings.map((f) => ({
      ruleId: RULE_ID,
      region: 'eu-west-1',
      tableName: 'orders',
      tableArn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`,
      status: 'ERROR',
      reason: 'Could not evaluate.',
      ...f,
    })),
    remediationRequested: 0,
  };
}

const csvRows = (r: AuditReport) => renderReports([r], 'csv').trimEnd().split('\r\n').slice(1);

describe('CSV formula guard', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcell', "'\tcell"],
    ['\rcell', `"'\rcell"`],
  ])('neutralises a reason starting like a formula: %p', (reason, cell) => {
    const [row] = csvRows(report([{ reason }]));

    expect(row).toBe(
      `${ACCOUNT},eu-west-1,orders,ERROR,${cell},,,arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`,
    );
  });

  it('leaves a reason that merely contains those characters alone', () => {
    const [row] = csvRows(report([{ reason: 'Could not evaluate: a-b=c.' }]));

    expect(row).toContain(',ERROR,Could not evaluate: a-b=c.,');
  });

  it('never alters names, ARNs, statuses or timestamps, whatever they start with', () => {
    const [row] = csvRows(
      report([
        {
          tableName: '-ledger',
          tableArn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/-ledger`,
          status: 'COMPLIANT',
          reason: 'Has 1 usable backup (native).',
          lastBackupAt: '2026-11-27T00:00:00.000Z',
        },
      ]),
    );

    expect(row).toBe(
      `${ACCOUNT},eu-west-1,-ledger,COMPLIANT,Has 1 usable backup (native).,2026-11-27T00:00:00.000Z,,` +
        `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/-ledger`,
    );
  });
});
