/** The digest's lines about the reports bucket and Security Hub. */
import { renderAuditDigest } from '../lambda/shared/notify/audit-digest';
import { AuditReport, Finding, RULE_ID, Status } from '../lambda/shared/types';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

function finding(tableName: string, status: Status): Finding {
  return {
    ruleId: RULE_ID,
    region: REGION,
    tableName,
    tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`,
    status,
    reason: status === 'COMPLIANT' ? 'Has an AVAILABLE native backup.' : 'No backup at all.',
  };
}

function report(findings: Finding[]): AuditReport {
  const count = (status: Status) => findings.filter((f) => f.status === status).length;
  return {
    region: REGION,
    accountId: ACCOUNT,
    startedAt: '2026-11-28T06:00:00.000Z',
    finishedAt: '2026-11-28T06:00:04.000Z',
    summary: {
      tables: findings.length,
      compliant: count('COMPLIANT'),
      nonCompliant: count('NON_COMPLIANT'),
      errors: count('ERROR'),
      exempt: count('EXEMPT'),
    },
    findings,
    remediationRequested: 0,
  };
}

const SECURITY_HUB_LINE =
  'Security Hub is not enabled in eu-west-1 for this account, so no finding was imported.';

describe('digest lines about reports and Security Hub', () => {
  it('is sent for a report that could not be written even when every table complies', () => {
    const digest = renderAuditDigest(report([finding('orders', 'COMPLIANT')]), {
      autoRemediation: false,
      reportWriteError: 'could not write s3://reports/: AccessDenied: Access Denied',
    });

    expect(digest?.email).toContain(
      "WARNING: this audit's report could not be saved in the reports bucket (could not write s3://reports/: AccessDenied: Access Denied)",
    );
    expect(digest?.chatbot.content.description).toContain(':warning: the report could not be saved in S3');
    expect(digest?.email).toContain("Check the audit function's permissions and logs for what went wrong.");
  });

  it('is not sent for a Security Hub problem alone, but carries it when tables fail', () => {
    const compliant = report([finding('orders', 'COMPLIANT')]);
    expect(
      renderAuditDigest(compliant, { autoRemediation: false, securityHub: SECURITY_HUB_LINE }),
    ).toBeUndefined();

    const failing = renderAuditDigest(report([finding('orders', 'NON_COMPLIANT')]), {
      autoRemediation: false,
      securityHub: SECURITY_HUB_LINE,
    });

    expect(failing?.email.split('\n').filter((line) => line.includes('Security Hub'))).toEqual([
      `WARNING: ${SECURITY_HUB_LINE}`,
    ]);
    expect(failing?.chatbot.content.description).toContain(`:warning: ${SECURITY_HUB_LINE}`);
  });

  it('says nothing about either when both went well', () => {
    const digest = renderAuditDigest(report([finding('orders', 'NON_COMPLIANT')]), {
      autoRemediation: false,
    });
    expect(digest?.email).not.toMatch(/reports bucket|Security Hub/);
  });
});
