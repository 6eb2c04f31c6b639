/**
 * What one account × region audit returns to the state machine: counts, the first 20 failing tables
 * with clipped reasons, the report's key; small enough for Step Functions whatever the region's size.
 */
import { tableArn } from '../lambda/shared/arn';
import {
  failedItemResult,
  isAuditItemResult,
  ITEM_FAILING_LIMIT,
  toItemResult,
} from '../lambda/shared/run/item-result';
import { AuditReport, Finding, RULE_ID } from '../lambda/shared/types';
import { summarize } from '../lambda/shared/audit-region';

const ACCOUNT = '444455556666';
const REGION = 'eu-west-1';

function finding(name: string, status: Finding['status'], reason = `reason of ${name}`): Finding {
  return {
    ruleId: RULE_ID,
    region: REGION,
    tableName: name,
    tableArn: tableArn(REGION, ACCOUNT, name),
    status,
    reason,
  };
}

function report(findings: Finding[], extra: Partial<AuditReport> = {}): AuditReport {
  return {
    region: REGION,
    accountId: ACCOUNT,
    startedAt: '2026-11-28T06:00:00.000Z',
    finishedAt: '2026-11-28T06:01:00.000Z',
    summary: summarize(findings),
    findings,
    remediationRequested: 0,
    ...extra,
  };
}

describe('the audit item result', () => {
  it('carries the counts and the failing tables, non-compliant first, not the compliant ones', () => {
    const findings = [
      finding('a-ok', 'COMPLIANT'),
      finding('b-error', 'ERROR'),
      finding('c-missing', 'NON_COMPLIANT'),
      finding('d-exempt', 'EXEMPT'),
    ];

    const result = toItemResult(
      report(findings),
      `reports/date=2026-11-28/${ACCOUNT}-${REGION}-20261128T060100Z.json`,
    );

    expect(result).toEqual({
      accountId: ACCOUNT,
      region: REGION,
      summary: { tables: 4, compliant: 1, nonCompliant: 1, errors: 1, exempt: 1 },
      reportKey: `reports/date=2026-11-28/${ACCOUNT}-${REGION}-20261128T060100Z.json`,
      failing: [
        { tableName: 'c-missing', status: 'NON_COMPLIANT', reason: 'reason of c-missing' },
        { tableName: 'b-error', status: 'ERROR', reason: 'reason of b-error' },
      ],
    });
    expect(isAuditItemResult(result)).toBe(true);
  });

  it('stays a few KB for a region of 10,000 failing tables with maximal names and reasons', () => {
    const findings = Array.from({ length: 10_000 }, (_, i) =>
      finding(`${String(i).padStart(5, '0')}${'t'.repeat(250)}`, 'NON_COMPLIANT', 'x'.repeat(2_000)),
    );

    const result = toItemResult(report(findings));

    expect(result.summary.nonCompliant).toBe(10_000);
    expect(result.failing).toHaveLength(ITEM_FAILING_LIMIT);
    expect(result.failing.every((f) => [...f.reason].length <= 300 && f.reason.endsWith('…'))).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(16 * 1024);
  });

  it("keeps a region's failure, clipped, with zero counts", () => {
    const result = toItemResult(report([], { failure: `ListTables failed: ${'y'.repeat(1_000)}` }));

    expect(result.failure?.startsWith('ListTables failed: ')).toBe(true);
    expect([...(result.failure ?? '')].length).toBe(300);
    expect(result.summary.tables).toBe(0);
  });

  it('an item that produced no result is a failure of that account and region', () => {
    const result = failedItemResult({ accountId: ACCOUNT, region: REGION }, 'States.Timeout');

    expect(result).toEqual({
      accountId: ACCOUNT,
      region: REGION,
      summary: { tables: 0, compliant: 0, nonCompliant: 0, errors: 0, exempt: 0 },
      failure: 'States.Timeout',
      failing: [],
    });
  });

  it.each([
    ['no summary', { accountId: ACCOUNT, region: REGION, failing: [] }],
    [
      'a negative count',
      {
        accountId: ACCOUNT,
        region: REGION,
        summary: { tables: -1, compliant: 0, nonCompliant: 0, errors: 0, exempt: 0 },
        failing: [],
      },
    ],
    [
      'a failing table of another status',
      { ...toItemResult(report([])), failing: [{ tableName: 't', status: 'COMPLIANT', reason: '' }] },
    ],
    ['an AuditReport', report([finding('abc', 'ERROR')])],
  ])('does not take %s for a result', (_label, value) => {
    expect(isAuditItemResult(value)).toBe(false);
  });
});
