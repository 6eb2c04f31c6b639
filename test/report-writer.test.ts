import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidReportLocationError, parseS3Uri } from '../lambda/shared/reports/location';
import {
  FINDING_LINE_FIELDS,
  FindingLine,
  findingLines,
  reportKeys,
  writeReport,
} from '../lambda/shared/reports/report-writer';
import { AuditReport, Finding } from '../lambda/shared/types';

const s3 = mockClient(S3Client);
const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${name}`;

const FINDINGS: Finding[] = [
  {
    ruleId: 'DynamoDB-005',
    region: 'eu-west-1',
    tableName: 'orders',
    tableArn: arnOf('orders'),
    status: 'COMPLIANT',
    reason: 'Has a usable backup: native AVAILABLE backup of 2026-11-27T00:00:00.000Z.',
    lastBackupAt: '2026-11-27T00:00:00.000Z',
  },
  {
    ruleId: 'DynamoDB-005',
    region: 'eu-west-1',
    tableName: 'payments',
    tableArn: arnOf('payments'),
    status: 'NON_COMPLIANT',
    reason: 'No backup at all: no native backup and no AWS Backup recovery point.',
  },
  {
    ruleId: 'DynamoDB-005',
    region: 'eu-west-1',
    tableName: 'dev-scratch',
    tableArn: arnOf('dev-scratch'),
    status: 'EXEMPT',
    reason: 'Exempt until 2026-12-31: scratch data',
    exemptUntil: '2026-12-31',
  },
];

function report(overrides: Partial<AuditReport> = {}): AuditReport {
  return {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    startedAt: '2026-11-28T23:59:58.000Z',
    finishedAt: '2026-11-28T23:59:59.250Z',
    summary: { tables: 3, compliant: 1, nonCompliant: 1, errors: 0, exempt: 1 },
    findings: FINDINGS,
    remediationRequested: 0,
    ...overrides,
  };
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
});

describe('report object keys', () => {
  it('files a report under the UTC day and second it finished, named after its account and region', () => {
    expect(reportKeys(report())).toEqual({
      findings: 'findings/date=2026-11-28/123456789012-eu-west-1-20261128T235959Z.jsonl',
      report: 'reports/date=2026-11-28/123456789012-eu-west-1-20261128T235959Z.json',
    });
  });

  it('uses UTC, not the local day, for a finish time given with an offset', () => {
    const keys = reportKeys(report({ finishedAt: '2026-11-29T01:30:00+02:00' }));
    expect(keys.findings).toBe('findings/date=2026-11-28/123456789012-eu-west-1-20261128T233000Z.jsonl');
  });

  it('puts the same layout under a prefix', () => {
    expect(reportKeys(report(), 'audits/prod/').report).toBe(
      'audits/prod/reports/date=2026-11-28/123456789012-eu-west-1-20261128T235959Z.json',
    );
  });
});

describe('finding lines', () => {
  it('writes one JSON line per finding that parses back into the Finding, with account and audit time', () => {
    const text = findingLines(report());
    const lines = text.split('\n');

    expect(lines).toHaveLength(FINDINGS.length + 1);
    expect(lines.at(-1)).toBe('');
    const parsed = lines.slice(0, -1).map((line) => JSON.parse(line) as FindingLine);
    expect(parsed.map(({ accountId, auditedAt, ...finding }) => ({ accountId, auditedAt, finding }))).toEqual(
      FINDINGS.map((finding) => ({ accountId: ACCOUNT, auditedAt: '2026-11-28T23:59:59.250Z', finding })),
    );
  });

  it('carries no key outside the fields the Athena table declares', () => {
    const keys = findingLines(report())
      .trim()
      .split('\n')
      .flatMap((line) => Object.keys(JSON.parse(line) as object));
    expect(new Set(keys)).toEqual(new Set(FINDING_LINE_FIELDS));
  });

  it('writes nothing for a report without findings (a region that could not be audited)', () => {
    expect(findingLines(report({ findings: [], failure: 'ListTables failed: AccessDenied' }))).toBe('');
  });
});

describe('writing a report', () => {
  it('puts the findings and the whole report into the bucket, refusing a bucket of another account', async () => {
    const full = report();

    const result = await writeReport(s3 as unknown as S3Client, { bucket: 'reports', prefix: '' }, full, {
      expectedBucketOwner: ACCOUNT,
    });

    expect(result).toEqual({
      written: true,
      keys: reportKeys(full),
      uris: [`s3://reports/${reportKeys(full).report}`, `s3://reports/${reportKeys(full).findings}`],
    });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 2);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'reports',
      Key: reportKeys(full).findings,
      Body: findingLines(full),
      ContentLength: Buffer.byteLength(findingLines(full)),
      ContentType: 'application/x-ndjson; charset=utf-8',
      ExpectedBucketOwner: ACCOUNT,
    });
    const reportPut = s3
      .commandCalls(PutObjectCommand)
      .find((c) => c.args[0].input.Key?.startsWith('reports/'));
    expect(JSON.parse(String(reportPut?.args[0].input.Body))).toEqual(full);
    expect(reportPut?.args[0].input.ContentType).toBe('application/json; charset=utf-8');
  });

  it('sends an empty findings file (a region without tables) with an explicit Content-Length of 0', async () => {
    await writeReport(s3 as unknown as S3Client, { bucket: 'reports', prefix: '' }, report({ findings: [] }));

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Body: '', ContentLength: 0 });
  });

  it('returns the failure instead of throwing when S3 refuses the write', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    const result = await writeReport(
      s3 as unknown as S3Client,
      { bucket: 'reports', prefix: 'x/' },
      report(),
    );

    expect(result).toEqual({
      written: false,
      keys: reportKeys(report(), 'x/'),
      error: 'could not write s3://reports/x/: AccessDenied: Access Denied',
    });
  });
});

describe('S3 URIs (the CLI’s --output-s3)', () => {
  it.each([
    ['s3://my-bucket', { bucket: 'my-bucket', prefix: '' }],
    ['s3://my-bucket/', { bucket: 'my-bucket', prefix: '' }],
    ['s3://my-bucket/audits', { bucket: 'my-bucket', prefix: 'audits/' }],
    ['s3://my.bucket-1/audits/prod/', { bucket: 'my.bucket-1', prefix: 'audits/prod/' }],
  ])('reads %s', (uri, location) => {
    expect(parseS3Uri(uri)).toEqual(location);
  });

  it.each([
    ['my-bucket/audits', /not an S3 URI/],
    ['https://my-bucket.s3.amazonaws.com/x', /not an S3 URI/],
    ['s3://', /not a valid S3 bucket name/],
    ['s3://My_Bucket/x', /not a valid S3 bucket name/],
    ['s3://ab', /not a valid S3 bucket name/],
    ['s3://192.168.1.1/x', /not a valid S3 bucket name/],
    ['s3://my-bucket//x', /empty, "\." or "\.\." path segment/],
    ['s3://my-bucket/a/../b', /path segment/],
  ])('refuses %s', (uri, message) => {
    expect(() => parseS3Uri(uri)).toThrow(InvalidReportLocationError);
    expect(() => parseS3Uri(uri)).toThrow(message);
  });
});
