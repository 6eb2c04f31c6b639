/** The synchronous response of a very large region stays inside Lambda's 6 MB. */
import {
  fitResponse,
  LAMBDA_RESPONSE_LIMIT_BYTES,
  ResponseTooLargeError,
  responseBytes,
} from '../lambda/audit/response';
import { summarize } from '../lambda/shared/audit-region';
import { AuditReport, Finding, Status } from '../lambda/shared/types';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

function reportOf(tables: number, failingEvery: number, nameLength = 255): AuditReport {
  const findings: Finding[] = Array.from({ length: tables }, (_, i) => {
    const tableName = `${String(i).padStart(5, '0')}-${'n'.repeat(nameLength - 6)}`;
    const status: Status = i % failingEvery === 0 ? 'NON_COMPLIANT' : 'COMPLIANT';
    return {
      ruleId: 'DynamoDB-005',
      region: REGION,
      tableName,
      tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`,
      status,
      reason:
        status === 'COMPLIANT'
          ? 'Has 2 usable backups (native and AWS Backup), newest from 2026-11-27T06:00:00.000Z.'
          : 'No backup at all: no native on-demand backup and no AWS Backup recovery point.',
      ...(status === 'COMPLIANT' ? { lastBackupAt: '2026-11-27T06:00:00.000Z' } : {}),
    };
  });
  return {
    region: REGION,
    accountId: ACCOUNT,
    startedAt: '2026-11-28T06:00:00.000Z',
    finishedAt: '2026-11-28T06:01:00.000Z',
    summary: summarize(findings),
    findings,
    remediationRequested: 0,
  };
}

describe('the audit response', () => {
  it('returns a region that fits whole, with every finding and no omittedCompliant', () => {
    const report = reportOf(1000, 7);
    expect(fitResponse(report)).toBe(report);
  });

  it('leaves out the COMPLIANT findings of a 10,000-table region with long names, keeping every failing one', () => {
    const report = reportOf(10_000, 7);
    expect(responseBytes(report)).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT_BYTES);

    const response = fitResponse(report);

    expect(responseBytes(response)).toBeLessThanOrEqual(LAMBDA_RESPONSE_LIMIT_BYTES);
    const failing = report.findings.filter((f) => f.status !== 'COMPLIANT');
    expect(response.findings).toEqual(failing);
    expect(response.omittedCompliant).toBe(report.summary.compliant);
    expect(response.summary).toEqual({
      tables: 10_000,
      compliant: 8571,
      nonCompliant: 1429,
      errors: 0,
      exempt: 0,
    });
  });

  it('refuses, with a clear error, a response whose failing findings alone pass the limit', () => {
    expect(() => fitResponse(reportOf(10_000, 1))).toThrow(ResponseTooLargeError);
    expect(() => fitResponse(reportOf(10_000, 1))).toThrow(/exceed Lambda's 6 MB response limit/);
  });
});
